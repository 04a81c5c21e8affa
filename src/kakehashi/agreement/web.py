"""Pages: agreements (text, state, timeline, deadlines + iCal), instruments and signing, keys, the log."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kakehashi.agreement import exports, queries, services, transparency, views
from kakehashi.agreement.checkpoint import split_note
from kakehashi.agreement.lifecycle import text_diff
from kakehashi.kernel.areas import AREAS
from kakehashi.kernel.authz import Actor, can, require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import DomainError, ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.web.deps import DB, PUBLIC, CurrentActor, csrf_protect, get_settings
from kakehashi.web.i18n import current_timezone
from kakehashi.web.i18n import gettext as _
from kakehashi.web.templating import render

router = APIRouter(dependencies=[Depends(csrf_protect)])

# What an officer fills in for each type (name, label, input type); the service adds the rest.
FORMS: dict[str, list[tuple[str, str, str]]] = {
    "renewal": [("term_years", N_("Further term (years)"), "number")],
    "modification": [
        ("summary", N_("What changes, in one sentence"), "text"),
        ("effective_date", N_("Takes effect on"), "date"),
        ("paragraph", N_("Paragraph (e.g. P7(iii))"), "text"),
        ("text", N_("New text of the paragraph (leave empty to remove it)"), "textarea"),
    ],
    "discontinuation_notice": [
        ("notice_date", N_("Date of the notice"), "date"),
        ("discontinuation_date", N_("Discontinue from (optional; at least the notice period)"), "date"),
    ],
    "cost_sharing_concurrence": [
        ("activity", N_("Activity"), "text"),
        ("description", N_("What is shared and why"), "textarea"),
        ("amount_jpy", N_("Japanese side's share (JPY)"), "text"),
        ("amount_inr", N_("Indian side's share (INR)"), "text"),
    ],
    "minutes_approval": [("meeting", N_("Meeting"), "text"), ("minutes_sha256", N_("SHA-256 of the minutes"), "text")],
    "signature": [],
}
TYPE_TITLES = {
    "signature": N_("Signature of the agreement"),
    "renewal": N_("Renewal"),
    "modification": N_("Modification"),
    "discontinuation_notice": N_("Notice of discontinuation"),
    "cost_sharing_concurrence": N_("Cost-sharing concurrence"),
    "purpose_consent": N_("Consent to another purpose"),
    "minutes_approval": N_("Approval of minutes"),
    "key_rotation": N_("Key rotation or revocation"),
}
# Flash messages the redirects below carry (translated by the shell when shown).
FLASHES = (N_("Key registered"), N_("Key revoked"), N_("Signature recorded"), N_("Instrument drafted"))
STATUS_TITLES = {
    "signing": N_("Awaiting signatures"),
    "concluded": N_("Concluded"),
    "withdrawn": N_("Withdrawn"),
}
STATE_TITLES = {
    "draft": N_("Draft"),
    "signed_by_one": N_("Signed by one participant"),
    "in_force": N_("In force"),
    "renewed": N_("In force (renewed)"),
    "notice_given": N_("In force, notice of discontinuation given"),
    "discontinued": N_("Discontinued"),
    "expired": N_("Expired"),
    "inconsistent": N_("Instruments do not fit the rules"),
}


def _today() -> dt.date:
    return utcnow().astimezone(ZoneInfo(current_timezone.get())).date()


def _as_of(on: str) -> dt.date:
    try:
        return dt.date.fromisoformat(on) if on else _today()
    except ValueError:
        return _today()


@router.get("/agreement", response_class=HTMLResponse, dependencies=[PUBLIC])
def agreements(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    """Every agreement with its state today."""
    require(actor, "agreement.view")
    items = [views.agreement_summary(session, a, _today()) for a in queries.list_agreements(session)]
    return render(request, "agreement/list.html", {"items": items, "states": STATE_TITLES})


@router.get("/agreement/keys", response_class=HTMLResponse)
def keys_page(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    """Your signing keys: create one in this browser, register one made with the CLI, revoke."""
    require(actor, "keys.manage_own")
    mine = queries.keys_of_user(session, actor.user_id or 0)
    return render(request, "agreement/keys.html", {"keys": mine, "errors": {}, "may_sign": _may_sign(actor)})


def _may_sign(actor: Actor) -> bool:
    return actor.ministry is not None and can(actor, "agreement.instrument.sign", side=actor.side.value if actor.side else None)


@router.post("/agreement/keys")
async def register_key(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Register a public JWK pasted from `kakehashi keys generate`."""
    form = await request.form()
    try:
        jwk = json.loads(str(form.get("jwk", "")))
        jwk = jwk.get("jwk", jwk) if isinstance(jwk, dict) else jwk
        services.register_key(
            session, actor=actor, jwk=jwk if isinstance(jwk, dict) else {}, label=str(form.get("label", "")), now=utcnow()
        )
    except (json.JSONDecodeError, DomainError) as exc:
        session.rollback()
        message = _(exc.message) if isinstance(exc, DomainError) else _("Paste the JSON that `kakehashi keys generate` printed.")
        mine = queries.keys_of_user(session, actor.user_id or 0)
        return render(
            request, "agreement/keys.html", {"keys": mine, "errors": {"jwk": message}, "may_sign": _may_sign(actor)}, 422
        )
    session.commit()
    return RedirectResponse("/agreement/keys?flash=key_registered", status_code=303)


@router.post("/agreement/keys/{kid}/revoke")
async def revoke_key(kid: str, request: Request, session: DB, actor: CurrentActor) -> Response:
    """Revoke one of your keys (recorded on the log)."""
    form = await request.form()
    services.revoke_key(session, kid, actor=actor, reason=str(form.get("reason", "")), now=utcnow())
    session.commit()
    return RedirectResponse("/agreement/keys?flash=key_revoked", status_code=303)


@router.get("/agreement/log", response_class=HTMLResponse, dependencies=[PUBLIC])
def log_page(request: Request, session: DB, actor: CurrentActor, page: int = 1) -> HTMLResponse:
    """The transparency log: latest checkpoint with cosignatures, and the newest entries."""
    require(actor, "agreement.view")
    latest = transparency.latest_checkpoint(session)
    size = latest.size if latest else 0
    per_page = 50
    page = max(1, page)
    top = max(0, size - (page - 1) * per_page)
    entries = [e for e in (transparency.get_entry(session, i) for i in range(top - 1, max(-1, top - 1 - per_page), -1)) if e]
    signers = [s.name for s in split_note(latest.note)[1]] if latest else []
    witnesses = transparency.witness_rows(session)
    return render(
        request,
        "agreement/log.html",
        {
            "latest": latest,
            "signers": signers,
            "entries": entries,
            "page": page,
            "has_more": top - per_page > 0,
            "witnesses": witnesses,
            "log_key": transparency.log_verifier_key(session).vkey() if latest else "",
        },
    )


@router.get("/agreement/instruments/{instrument_id}", response_class=HTMLResponse)
def instrument_page(instrument_id: int, request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    """An instrument: payload, each signature's status, who still signs, sign here, download the original."""
    require(actor, "agreement.view")
    return _instrument_page(request, session, actor, instrument_id, {})


def _instrument_page(
    request: Request, session: DB, actor: Actor, instrument_id: int, errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    instrument = queries.get_instrument(session, instrument_id)
    view = views.instrument_view(session, instrument)
    agreement = next(a for a in queries.list_agreements(session) if a.id == instrument.agreement_id)
    own = services.actor_participant(session, agreement.id, actor)
    my_kids = [k.kid for k in queries.keys_of_user(session, actor.user_id or 0) if k.revoked_at is None]
    can_sign = (
        instrument.status == "signing"
        and own is not None
        and own.code in view["missing"]
        and can(actor, "agreement.instrument.sign", side=own.side)
    )
    demo = get_settings(request).demo_keys_server_side and any(
        k.demo and k.revoked_at is None for k in queries.keys_of_user(session, actor.user_id or 0)
    )
    return render(
        request,
        "agreement/instrument.html",
        {
            "instrument": instrument,
            "view": view,
            "agreement": agreement,
            "can_sign": can_sign,
            "my_kids": my_kids,
            "demo": demo,
            "errors": errors,
            "type_title": TYPE_TITLES.get(instrument.type, instrument.type),
            "statuses": STATUS_TITLES,
            "received": [row.received_at for row in queries.signatures_of(session, instrument.id)],
            "payload_pretty": json.dumps(view["payload"], indent=2, ensure_ascii=False),
        },
        status,
    )


@router.post("/agreement/instruments/{instrument_id}/signatures")
async def upload_signature(instrument_id: int, request: Request, session: DB, actor: CurrentActor) -> Response:
    """Sign: with the demo key (demo only), or by uploading the entry `kakehashi instruments sign` printed."""
    form = await request.form()
    try:
        if form.get("method") == "demo":
            services.sign_with_demo_key(
                session, instrument_id, actor=actor, now=utcnow(), enabled=get_settings(request).demo_keys_server_side
            )
        else:
            entry = json.loads(str(form.get("signature", "")))
            services.submit_signature(session, instrument_id, entry if isinstance(entry, dict) else {}, actor=actor, now=utcnow())
    except (json.JSONDecodeError, DomainError) as exc:
        session.rollback()
        message = (
            _(exc.message) if isinstance(exc, DomainError) else _("Paste the JSON that `kakehashi instruments sign` printed.")
        )
        status = exc.status if isinstance(exc, DomainError) and exc.status == 409 else 422
        return _instrument_page(request, session, actor, instrument_id, {"signature": message}, status)
    session.commit()
    return RedirectResponse(f"/agreement/instruments/{instrument_id}?flash=signature_recorded", status_code=303)


@router.get("/agreement/instruments/{instrument_id}/original")
def download_original(instrument_id: int, session: DB, actor: CurrentActor) -> Response:
    """The original as a file (verify it with `kakehashi instruments verify FILE`)."""
    require(actor, "agreement.view")
    body = json.dumps(exports.build_original(session, instrument_id), indent=1, ensure_ascii=False)
    headers = {"Content-Disposition": f'attachment; filename="instrument-{instrument_id}-original.json"'}
    return Response(body, media_type="application/json", headers=headers)


@router.get("/agreement/{slug}", response_class=HTMLResponse, dependencies=[PUBLIC])
def agreement_page(slug: str, request: Request, session: DB, actor: CurrentActor, on: str = "") -> HTMLResponse:
    """The agreement as of a date: state, current text, deadlines, commitments, instruments."""
    require(actor, "agreement.view")
    agreement = queries.get_agreement(session, slug)
    day = _as_of(on)
    detail = views.agreement_detail(session, agreement, day)
    by_area = {area.code: [c for c in queries.commitments(session, agreement.id) if c.area == area.code] for area in AREAS}
    return render(
        request,
        "agreement/agreement.html",
        {
            "agreement": agreement,
            "detail": detail,
            "day": day,
            "states": STATE_TITLES,
            "areas": AREAS,
            "by_area": by_area,
            "instruments": queries.instruments_of(session, agreement.id),
            "types": TYPE_TITLES,
            "statuses": STATUS_TITLES,
            "participants": queries.participants(session, agreement.id),
            "links": queries.links(session, agreement.id),
            "signatories": queries.signatories(session, agreement.id),
            "may_draft": can(actor, "agreement.instrument.draft"),
            "modified": any(
                i.type == "modification" and i.status == "concluded" for i in queries.instruments_of(session, agreement.id)
            ),
        },
    )


@router.get("/agreement/{slug}/diff", response_class=HTMLResponse, dependencies=[PUBLIC])
def diff_page(slug: str, request: Request, session: DB, actor: CurrentActor, since: str = "", until: str = "") -> HTMLResponse:
    """The text as signed (or on `since`) against the text on `until` (default today), as a unified diff."""
    require(actor, "agreement.view")
    agreement = queries.get_agreement(session, slug)
    timeline = views.safe_timeline(session, agreement)
    base = queries.base_text(session, agreement.id)
    old = timeline.text_on(base, _as_of(since)) if timeline and since else base
    end = _as_of(until)
    new = timeline.text_on(base, end) if timeline else base
    diff = text_diff(old, new, old_label=since or _("as signed"), new_label=end.isoformat())
    return render(request, "agreement/diff.html", {"agreement": agreement, "diff": diff, "since": since, "until": end})


@router.get("/agreement/{slug}/deadlines", response_class=HTMLResponse, dependencies=[PUBLIC])
def deadlines_page(slug: str, request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    """Upcoming deadlines, the reminders already sent, and the iCalendar feed."""
    require(actor, "agreement.view")
    agreement = queries.get_agreement(session, slug)
    timeline = views.safe_timeline(session, agreement)
    reminders = queries.reminders_of(session, agreement.id)
    return render(
        request,
        "agreement/deadlines.html",
        {
            "agreement": agreement,
            "deadlines": timeline.deadlines(_today()) if timeline else [],
            "reminders": reminders,
        },
    )


@router.get("/agreement/{slug}/deadlines.ics", dependencies=[PUBLIC])
def deadlines_ics(slug: str, request: Request, session: DB, actor: CurrentActor) -> Response:
    """The deadlines as an iCalendar feed (all-day events)."""
    require(actor, "agreement.view")
    agreement = queries.get_agreement(session, slug)
    timeline = views.safe_timeline(session, agreement)
    body = exports.calendar(
        agreement, timeline.deadlines(_today()) if timeline else [], base_url=get_settings(request).base_url, stamp=utcnow()
    )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{slug}-deadlines.ics"'},
    )


@router.get("/agreement/{slug}/instruments/new", response_class=HTMLResponse)
def new_instrument(slug: str, request: Request, session: DB, actor: CurrentActor, type: str = "renewal") -> HTMLResponse:
    """The form to draft an instrument of one type."""
    require(actor, "agreement.instrument.draft")
    agreement = queries.get_agreement(session, slug)
    kind = type if type in FORMS else "renewal"
    return render(request, "agreement/new_instrument.html", _form_context(agreement, kind, {}, {}))


def _form_context(agreement: Any, kind: str, values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "agreement": agreement,
        "kind": kind,
        "fields": FORMS[kind],
        "values": values,
        "errors": errors,
        "types": [(name, TYPE_TITLES[name]) for name in FORMS],
    }


def _members(kind: str, form: dict[str, str]) -> dict[str, Any]:
    """Turn a flat form into the type's payload members (values stay strings when invalid, so errors name them)."""
    filled = {k: v.strip() for k, v in form.items() if k not in ("csrf_token", "type") and v.strip()}
    if kind == "renewal":
        term = filled.get("term_years", "")
        return {"term_years": int(term) if term.isdigit() else term}
    if kind == "modification":
        change = {"paragraph": filled.pop("paragraph", ""), "text": form.get("text", "").strip()}
        filled.pop("text", None)
        return {**filled, "changes": [change]}
    if kind == "cost_sharing_concurrence":
        shares = [
            {"participant": "METI", "currency": "JPY", "amount": filled.pop("amount_jpy", "0")},
            {"participant": "MEITY", "currency": "INR", "amount": filled.pop("amount_inr", "0")},
        ]
        return {**filled, "shares": shares}
    return filled


@router.post("/agreement/{slug}/instruments")
async def create_instrument(slug: str, request: Request, session: DB, actor: CurrentActor) -> Response:
    """Draft the instrument, then go to its page to sign."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    kind = form.get("type", "")
    agreement = queries.get_agreement(session, slug)
    if kind not in FORMS:
        kind = "renewal"
    try:
        instrument = services.draft_instrument(session, slug, kind, _members(kind, form), actor=actor, now=utcnow())
    except ValidationFailed as exc:
        session.rollback()
        errors = {
            field.split(".")[-1] if not field.startswith("changes") else "text": _(msg) for field, msg in exc.errors.items()
        }
        return render(request, "agreement/new_instrument.html", _form_context(agreement, kind, form, errors), 422)
    except DomainError as exc:
        session.rollback()
        return render(
            request,
            "agreement/new_instrument.html",
            _form_context(agreement, kind, form, {exc.field or "form": _(exc.message)}),
            422,
        )
    session.commit()
    return RedirectResponse(f"/agreement/instruments/{instrument.id}?flash=instrument_drafted", status_code=303)
