"""Read functions: agreements and their parts, instruments as JWS, keys, and lifecycle timelines."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.agreement import instruments as checks
from kakehashi.agreement import jws, lifecycle
from kakehashi.agreement.errors import AgreementNotFound
from kakehashi.agreement.models import (
    Agreement,
    AgreementLink,
    Commitment,
    Instrument,
    Paragraph,
    Participant,
    Reminder,
    Signatory,
    Signature,
    SignerKey,
)


def list_agreements(session: Session) -> list[Agreement]:
    """Every agreement, oldest first."""
    return list(session.scalars(select(Agreement).order_by(Agreement.made_on, Agreement.id)))


def get_agreement(session: Session, slug: str) -> Agreement:
    """The agreement with this slug; raise AgreementNotFound."""
    agreement = session.scalar(select(Agreement).where(Agreement.slug == slug))
    if agreement is None:
        raise AgreementNotFound(f"No agreement {slug!r}.", field="slug")
    return agreement


def get_instrument(session: Session, instrument_id: int, *, lock: bool = False) -> Instrument:
    """The instrument with this id (`lock`: row-locked until the transaction ends, re-read); raise AgreementNotFound."""
    instrument = session.get(Instrument, instrument_id, with_for_update=lock or None, populate_existing=lock)
    if instrument is None:
        raise AgreementNotFound(f"No instrument {instrument_id}.", field="instrument_id")
    return instrument


def participants(session: Session, agreement_id: int) -> list[Participant]:
    """The participants of an agreement, in a stable order."""
    query = select(Participant).where(Participant.agreement_id == agreement_id).order_by(Participant.id)
    return list(session.scalars(query))


def participant_codes(session: Session, agreement_id: int) -> list[str]:
    """The participant codes of an agreement (METI, MEITY)."""
    return [p.code for p in participants(session, agreement_id)]


def signatories(session: Session, agreement_id: int) -> list[Signatory]:
    """Who signed (or signs) for each participant, with their titles."""
    return list(session.scalars(select(Signatory).where(Signatory.agreement_id == agreement_id).order_by(Signatory.id)))


def paragraphs(session: Session, agreement_id: int) -> list[Paragraph]:
    """The signed text, paragraph by paragraph."""
    query = select(Paragraph).where(Paragraph.agreement_id == agreement_id).order_by(Paragraph.position)
    return list(session.scalars(query))


def commitments(session: Session, agreement_id: int) -> list[Commitment]:
    """The commitments of an agreement in text order."""
    query = select(Commitment).where(Commitment.agreement_id == agreement_id).order_by(Commitment.position)
    return list(session.scalars(query))


def links(session: Session, agreement_id: int) -> list[tuple[AgreementLink, Agreement]]:
    """Agreements this one builds on, with the link."""
    query = (
        select(AgreementLink, Agreement)
        .join(Agreement, Agreement.id == AgreementLink.related_id)
        .where(AgreementLink.agreement_id == agreement_id)
    )
    return [(link, other) for link, other in session.execute(query)]


def instruments_of(session: Session, agreement_id: int) -> list[Instrument]:
    """Every instrument of an agreement, oldest first."""
    query = select(Instrument).where(Instrument.agreement_id == agreement_id).order_by(Instrument.created_at, Instrument.id)
    return list(session.scalars(query))


def signatures_of(session: Session, instrument_id: int) -> list[Signature]:
    """The signatures received for an instrument, in the order received."""
    query = select(Signature).where(Signature.instrument_id == instrument_id).order_by(Signature.received_at, Signature.id)
    return list(session.scalars(query))


def payload_of(instrument: Instrument) -> dict[str, Any]:
    """The instrument's payload as an object."""
    value: dict[str, Any] = json.loads(instrument.payload)
    return value


def instrument_jws(session: Session, instrument: Instrument) -> dict[str, Any]:
    """The instrument as a JWS in General JSON Serialization (payload + every signature received)."""
    entries = [{"protected": s.protected, "signature": s.signature} for s in signatures_of(session, instrument.id)]
    return jws.assemble(instrument.payload.encode(), entries)


def instrument_log_payload(session: Session, instrument: Instrument, agreement_slug: str) -> dict[str, Any]:
    """What the log records when an instrument is concluded: the JWS and when each party signed."""
    signed_at = {s.participant_code: s.received_at.isoformat() for s in signatures_of(session, instrument.id)}
    return {
        "instrument_id": instrument.id,
        "agreement": agreement_slug,
        "type": instrument.type,
        "jws": instrument_jws(session, instrument),
        "signed_at": signed_at,
    }


def key_log_payload(key: SignerKey) -> dict[str, Any]:
    """What the log records when a key is registered."""
    return {
        "kid": key.kid,
        "participant": key.participant_code,
        "user_id": key.user_id,
        "label": key.label,
        "jwk": dict(key.jwk),
        "demo": key.demo,
    }


def keyring(session: Session) -> dict[str, checks.SignerKey]:
    """Every registered key as the verifier sees it, by kid."""
    return {
        k.kid: checks.SignerKey(k.kid, k.participant_code, k.label, dict(k.jwk), k.revoked_at, k.demo)
        for k in session.scalars(select(SignerKey))
    }


def keys_of_user(session: Session, user_id: int) -> list[SignerKey]:
    """A user's keys, newest first."""
    query = select(SignerKey).where(SignerKey.user_id == user_id).order_by(SignerKey.created_at.desc())
    return list(session.scalars(query))


def rules_of(agreement: Agreement) -> lifecycle.AgreementRules:
    """The agreement's lifecycle rules as the engine takes them."""
    return lifecycle.AgreementRules(
        term_years=agreement.term_years,
        notice_days=agreement.notice_days,
        notice_counting=lifecycle.NoticeCounting(agreement.notice_counting),
        renewal_window_days=agreement.renewal_window_days,
    )


def parties(session: Session, agreement_id: int) -> list[lifecycle.Party]:
    """Participants with their time zones."""
    return [lifecycle.Party(p.code, p.zone) for p in participants(session, agreement_id)]


def act_of(session: Session, instrument: Instrument) -> lifecycle.Act | None:
    """The lifecycle act an instrument stands for (None for types that do not change the lifecycle)."""
    signed = tuple(lifecycle.Signed(s.participant_code, s.received_at) for s in signatures_of(session, instrument.id))
    payload = payload_of(instrument)
    if instrument.type == "signature":
        return lifecycle.AgreementSignature(signed)
    if instrument.status != "concluded":
        return None
    if instrument.type == "renewal":
        return lifecycle.Renewal(signed, int(payload["term_years"]))
    if instrument.type == "modification":
        changes = tuple((c["paragraph"], c["text"]) for c in payload["changes"])
        return lifecycle.Modification(signed, date.fromisoformat(payload["effective_date"]), changes)
    if instrument.type == "discontinuation_notice":
        assert instrument.concluded_at is not None
        until = payload.get("discontinuation_date")
        return lifecycle.Notice(
            payload["sender"],
            payload["recipient"],
            instrument.concluded_at,
            date.fromisoformat(payload["notice_date"]),
            date.fromisoformat(until) if until else None,
        )
    return None


def acts(session: Session, agreement_id: int, *, exclude: int | None = None) -> list[lifecycle.Act]:
    """The lifecycle acts of an agreement's instruments (leaving out instrument `exclude`)."""
    found = [act_of(session, i) for i in instruments_of(session, agreement_id) if i.status != "withdrawn" and i.id != exclude]
    return [a for a in found if a is not None]


def timeline(session: Session, agreement: Agreement) -> lifecycle.Timeline:
    """The agreement's lifecycle timeline from its instruments."""
    return lifecycle.build_timeline(parties(session, agreement.id), rules_of(agreement), acts(session, agreement.id))


def base_text(session: Session, agreement_id: int) -> list[tuple[str, str]]:
    """The signed text as (paragraph ref, text) pairs."""
    return [(p.ref, p.text) for p in paragraphs(session, agreement_id)]


def reminders_of(session: Session, agreement_id: int) -> list[Reminder]:
    """Reminders already sent for an agreement, oldest first."""
    return list(session.scalars(select(Reminder).where(Reminder.agreement_id == agreement_id).order_by(Reminder.sent_at)))
