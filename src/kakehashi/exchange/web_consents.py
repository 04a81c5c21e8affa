"""Pages for prior written consent (ask, grant, refuse, revoke, withdraw) and the purpose vocabulary."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kakehashi.exchange import consents, queries, services
from kakehashi.kernel.authz import require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import DomainError, ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.web import i18n
from kakehashi.web.deps import DB, CurrentActor, get_settings
from kakehashi.web.i18n import gettext as _
from kakehashi.web.templating import render

router = APIRouter()
FLASHES = (N_("Consent requested"), N_("Consent granted"), N_("Awaiting your signature"), N_("Consent refused"),
           N_("Consent revoked"), N_("Request withdrawn"), N_("Purpose added"))


def _labels(session: DB) -> dict[str, str]:
    japanese = i18n.current_locale.get() == "ja"
    return {p.code: (p.label_ja if japanese else p.label_en) for p in queries.purposes(session)}


@router.post("/exchange/items/{item_id}/consents")
def ask(request: Request, item_id: int, session: DB, actor: CurrentActor, purpose: str = Form(""),
        onward_sharing: str = Form(""), justification: str = Form("")) -> Response:
    """A recipient asks the discloser's prior written consent."""
    try:
        consents.request_consent(session, item_id, actor=actor, purpose=purpose, onward_sharing=bool(onward_sharing),
                                 justification=justification, now=utcnow())
        session.commit()
    except DomainError as exc:
        session.rollback()
        if exc.status not in (400, 422):
            raise
        from kakehashi.exchange.web import _item_context  # the item page's module imports this one
        messages = exc.errors.values() if isinstance(exc, ValidationFailed) else [exc.message]
        context = {**_item_context(session, actor, item_id), "consent_error": "; ".join(_(m) for m in messages)}
        return render(request, "exchange/item.html", context, 422)
    return RedirectResponse(f"/exchange/items/{item_id}?flash=consent_requested", status_code=303)


@router.get("/exchange/consents", response_class=HTMLResponse)
def consent_list(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    require(actor, "exchange.access")
    return render(request, "exchange/consents.html", {
        "to_decide": queries.consents_to_decide(session, actor), "mine": queries.my_consent_requests(session, actor),
        "labels": _labels(session), "can_decide": actor.is_officer or actor.is_admin})


@router.post("/exchange/consents/{consent_id}/{verb}")
def decide(request: Request, consent_id: int, verb: str, session: DB, actor: CurrentActor, note: str = Form(""),
           to_organisation: str = Form("")) -> Response:
    """Grant, refuse, revoke (officers of the discloser's side) or withdraw (the requester)."""
    now = utcnow()
    if verb == "grant":
        consent = consents.grant_consent(session, consent_id, actor=actor, note=note, to_organisation=bool(to_organisation),
                                         now=now, demo_keys=get_settings(request).demo_keys_server_side)
        flash = "consent_granted" if consent.status == "granted" else "awaiting_your_signature"
        if consent.status == "awaiting_signature" and consent.instrument_id is not None:
            session.commit()
            return RedirectResponse(f"/agreement/instruments/{consent.instrument_id}?flash={flash}", status_code=303)
    elif verb == "refuse":
        consents.refuse_consent(session, consent_id, actor=actor, note=note, now=now)
        flash = "consent_refused"
    elif verb == "revoke":
        consents.revoke_consent(session, consent_id, actor=actor, note=note, now=now)
        flash = "consent_revoked"
    elif verb == "withdraw":
        consents.withdraw_request(session, consent_id, actor=actor, now=now)
        flash = "request_withdrawn"
    else:
        return render(request, "error.html", {"status": 404, "message": _("Not found")}, 404)
    session.commit()
    return RedirectResponse(f"/exchange/consents?flash={flash}", status_code=303)


@router.get("/exchange/purposes", response_class=HTMLResponse)
def purposes(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    require(actor, "exchange.access")
    return render(request, "exchange/purposes.html", {"purposes": queries.purposes(session), "errors": {}, "values": {},
                                                      "can_edit": actor.is_officer or actor.is_admin})


@router.post("/exchange/purposes")
def add_purpose(request: Request, session: DB, actor: CurrentActor, code: str = Form(""), label_en: str = Form(""),
                label_ja: str = Form(""), clause: str = Form("")) -> Response:
    """An officer adds a purpose to the vocabulary."""
    try:
        services.add_purpose(session, code=code.strip(), label_en=label_en, label_ja=label_ja, clause=clause,
                             actor=actor, now=utcnow())
        session.commit()
    except ValidationFailed as exc:
        session.rollback()
        return render(request, "exchange/purposes.html", {
            "purposes": queries.purposes(session), "errors": {k: _(v) for k, v in exc.errors.items()},
            "values": {"code": code, "label_en": label_en, "label_ja": label_ja, "clause": clause},
            "can_edit": True}, 422)
    return RedirectResponse("/exchange/purposes?flash=purpose_added", status_code=303)
