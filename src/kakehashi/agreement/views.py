"""Plain-data views of agreements, instruments and keys, shared by the JSON API and the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from kakehashi.agreement import jws, queries, services
from kakehashi.agreement.lifecycle import LifecycleError, Timeline
from kakehashi.agreement.models import Agreement, Instrument, SignerKey


def safe_timeline(session: Session, agreement: Agreement) -> Timeline | None:
    """The timeline, or None if stored instruments no longer fit the rules (shown, never a 500)."""
    try:
        return queries.timeline(session, agreement)
    except LifecycleError:
        return None


def agreement_summary(session: Session, agreement: Agreement, today: dt.date | None = None) -> dict[str, Any]:
    """Slug, titles, signing date and state on `today` (UTC date by default)."""
    today = today or dt.datetime.now(dt.UTC).date()
    timeline = safe_timeline(session, agreement)
    end = timeline.end_known_on(today) if timeline else None
    return {
        "slug": agreement.slug,
        "title": agreement.title,
        "title_ja": agreement.title_ja,
        "made_on": agreement.made_on.isoformat() if agreement.made_on else None,
        "state": timeline.state_on(today).value if timeline else "inconsistent",
        "in_force_on": timeline.in_force_on.isoformat() if timeline and timeline.in_force_on else None,
        "last_day_in_force": (end - dt.timedelta(days=1)).isoformat() if end else None,
    }


def agreement_detail(session: Session, agreement: Agreement, today: dt.date | None = None) -> dict[str, Any]:
    """Everything about an agreement a client needs to show it."""
    today = today or dt.datetime.now(dt.UTC).date()
    timeline = safe_timeline(session, agreement)
    base = queries.base_text(session, agreement.id)
    return {
        **agreement_summary(session, agreement, today),
        "rules": {
            "term_years": agreement.term_years,
            "notice_days": agreement.notice_days,
            "notice_counting": agreement.notice_counting,
            "renewal_window_days": agreement.renewal_window_days,
        },
        "participants": [
            {"code": p.code, "name": p.name, "side": p.side, "zone": p.zone} for p in queries.participants(session, agreement.id)
        ],
        "text": [{"paragraph": ref, "text": body} for ref, body in (timeline.text_on(base, today) if timeline else base)],
        "commitments": [
            {"paragraph": c.paragraph_ref, "area": c.area, "title": c.title, "title_ja": c.title_ja}
            for c in queries.commitments(session, agreement.id)
        ],
        "builds_on": [
            {"slug": other.slug, "relation": link.relation, "paragraph": link.paragraph_ref}
            for link, other in queries.links(session, agreement.id)
        ],
        "deadlines": [
            {"kind": d.kind, "on": d.on.isoformat(), "title": d.title} for d in (timeline.deadlines(today) if timeline else [])
        ],
        "instruments": [
            {"id": i.id, "type": i.type, "status": i.status, "log_index": i.log_index}
            for i in queries.instruments_of(session, agreement.id)
        ],
    }


def instrument_view(session: Session, instrument: Instrument) -> dict[str, Any]:
    """An instrument with the verdict on each signature and who still has to sign."""
    report = services.verify_stored(session, instrument)
    stored = queries.signatures_of(session, instrument.id)
    return {
        "id": instrument.id,
        "type": instrument.type,
        "title": instrument.title,
        "status": instrument.status,
        "payload": queries.payload_of(instrument),
        "payload_b64": jws.b64url(instrument.payload.encode()),
        "payload_sha256": instrument.payload_sha256,
        "created_at": instrument.created_at.isoformat(),
        "concluded_at": instrument.concluded_at.isoformat() if instrument.concluded_at else None,
        "log_index": instrument.log_index,
        "required": sorted(report.required),
        "missing": sorted(report.missing),
        "signatures": [
            {
                "participant": v.participant,
                "kid": v.kid,
                "signatory": v.signatory,
                "valid": v.valid,
                "reason": v.reason,
                "received_at": row.received_at.isoformat(),
            }
            for v, row in zip(report.signatures, stored, strict=True)
        ],
        "problems": report.problems,
        "jws": queries.instrument_jws(session, instrument),
    }


def key_view(key: SignerKey) -> dict[str, Any]:
    """A signing key as its owner sees it."""
    return {
        "kid": key.kid,
        "participant": key.participant_code,
        "label": key.label,
        "jwk": key.jwk,
        "demo": key.demo,
        "created_at": key.created_at.isoformat(),
        "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None,
        "log_index": key.log_index,
    }
