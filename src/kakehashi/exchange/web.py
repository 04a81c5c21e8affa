"""Pages of the exchange: shared with me, shared by us, share, an item (access with a stated purpose,
consent requests), its access history, consent requests to decide, the purpose vocabulary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from starlette.datastructures import UploadFile
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse

from kakehashi.exchange import consents, queries, services
from kakehashi.exchange.config import keyring_for, limits_for
from kakehashi.exchange.forms import TLP_LABELS, rule_message, terms_from_form, terms_from_policy
from kakehashi.exchange.odrl import export_odrl
from kakehashi.exchange.policy import Action, Tlp
from kakehashi.exchange.terms import conditions_of
from kakehashi.exchange.web_consents import router as consents_router
from kakehashi.kernel.authz import Ministry, require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import DomainError, ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.web import i18n
from kakehashi.web.deps import DB, CurrentActor, csrf_protect, get_settings
from kakehashi.web.i18n import gettext as _
from kakehashi.web.templating import render

router = APIRouter(dependencies=[Depends(csrf_protect)])
router.include_router(consents_router)
FLASHES = (N_("Shared"), N_("Withdrawn"), N_("Permitted"))  # shown through base.html's _(flash)


def purpose_labels(session: DB) -> dict[str, str]:
    """Purpose code → label in the viewer's language."""
    japanese = i18n.current_locale.get() == "ja"
    return {p.code: (p.label_ja if japanese else p.label_en) for p in queries.purposes(session)}


@router.get("/exchange")
def home() -> RedirectResponse:
    return RedirectResponse("/exchange/shared-with-me", status_code=303)


@router.get("/exchange/shared-with-me", response_class=HTMLResponse)
def shared_with_me(request: Request, session: DB, actor: CurrentActor, page: int = 1) -> HTMLResponse:
    require(actor, "exchange.access")
    return render(request, "exchange/list.html", {"tab": "with-me", "page": queries.shared_with_me(session, actor, page=page),
                                                  "labels": purpose_labels(session)})


@router.get("/exchange/shared-by-us", response_class=HTMLResponse)
def shared_by_us(request: Request, session: DB, actor: CurrentActor, page: int = 1) -> HTMLResponse:
    require(actor, "exchange.share")
    return render(request, "exchange/list.html", {"tab": "by-us", "page": queries.shared_by_us(session, actor, page=page),
                                                  "labels": purpose_labels(session)})


def _share_context(session: DB, values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    today = dt.datetime.now(i18n.zone()).date()
    defaults = {"valid_from": today.isoformat(), "valid_until": (today + dt.timedelta(days=90)).isoformat(),
                "tlp": "AMBER", "access": "view_only", "purposes": [], "sides": [], "ministries": []}
    return {"values": {**defaults, **values}, "errors": errors, "labels": purpose_labels(session),
            "tlps": [(t.value, _(TLP_LABELS[t.value])) for t in Tlp], "ministries": [m.value for m in Ministry]}


@router.get("/exchange/share", response_class=HTMLResponse)
def share_form(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    require(actor, "exchange.share")
    return render(request, "exchange/share.html", _share_context(session, {}, {}))


@router.post("/exchange/share")
async def share(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Upload and conditions (or an ODRL policy); errors re-render the form with what was typed."""
    require(actor, "exchange.share")
    settings = get_settings(request)
    form = await request.form()
    fields = {key: [str(v) for v in form.getlist(key) if isinstance(v, str)] for key in form}
    upload, policy = form.get("file"), form.get("policy")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ValidationFailed({"file": N_("Choose a file to share.")})
        if isinstance(policy, UploadFile) and policy.filename:
            terms = terms_from_policy(await policy.read())
        else:
            terms = terms_from_form(session, fields, zone=i18n.zone(), today=dt.datetime.now(i18n.zone()).date())
        item = services.share_item(
            session, services.Upload(upload.filename, upload.content_type or "", upload.file), terms,
            title=fields.get("title", [""])[0], description=fields.get("description", [""])[0],
            kind=fields.get("kind", ["document"])[0], actor=actor, keyring=keyring_for(settings),
            limits=limits_for(settings), now=utcnow())
        session.commit()
    except DomainError as exc:
        session.rollback()
        errors = exc.errors if isinstance(exc, ValidationFailed) else {exc.field or "form": exc.message}
        values = {key: (v if key in ("purposes", "sides", "ministries") else (v[0] if v else "")) for key, v in fields.items()}
        return render(request, "exchange/share.html",
                      _share_context(session, values, {k: _(v) for k, v in errors.items()}), exc.status)
    return RedirectResponse(f"/exchange/items/{item.id}?flash=shared", status_code=303)


def _item_context(session: DB, actor: CurrentActor, item_id: int) -> dict[str, Any]:
    item = queries.visible_item(session, item_id, actor)
    decides = consents.is_discloser(session, item, actor) or actor.is_admin or (
        actor.is_officer and actor.side is not None and actor.side.value == item.discloser_side)
    return {"item": item, "recipients": queries.recipients_of(session, item.id), "labels": purpose_labels(session),
            "tlp_label": _(TLP_LABELS[item.tlp]), "is_discloser": decides,
            "consents": queries.consents_of_item(session, item.id) if decides else
            [c for c in queries.consents_of_item(session, item.id) if c.requested_by == actor.user_id],
            "decision": None, "errors": {}, "rule_message": rule_message, "consent_error": ""}


@router.get("/exchange/items/{item_id}", response_class=HTMLResponse)
def item_page(request: Request, item_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    require(actor, "exchange.access")
    return render(request, "exchange/item.html", _item_context(session, actor, item_id))


@router.post("/exchange/items/{item_id}/access")
def access(request: Request, item_id: int, session: DB, actor: CurrentActor, purpose: str = Form(""),
           action: str = Form("view")) -> Response:
    """Decide, log, and serve the (verified, marked) content, or show why not."""
    outcome = services.access_item(session, item_id, actor=actor, action=action, purpose=purpose,
                                   keyring=keyring_for(get_settings(request)), now=utcnow())
    session.commit()  # the decision is recorded whatever it was
    if outcome.decision.permit and outcome.body is not None:
        return content_response(outcome.item.file_name, outcome.item.media_type, outcome.body,
                                inline=action == Action.VIEW)
    if outcome.decision.permit:
        return RedirectResponse(f"/exchange/items/{item_id}?flash=permitted", status_code=303)
    if not queries.can_see(session, outcome.item, actor):
        return render(request, "error.html", {"status": 404, "message": _(rule_message(outcome.decision.rule))}, 404)
    context = _item_context(session, actor, item_id)
    context["decision"] = outcome.decision
    return render(request, "exchange/item.html", context, 403)


def content_response(file_name: str, media_type: str, body: Iterator[bytes], *, inline: bool) -> Response:
    """The content with a safe disposition, never cached; text and images are sandboxed (no script runs)."""
    disposition = "inline" if inline else "attachment"
    headers = {"Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(file_name)}", "Cache-Control": "no-store"}
    if media_type != "application/pdf":  # Chromium's PDF viewer does not run in a sandbox
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox allow-downloads"
    if media_type.startswith("text/"):  # text is marked, so already whole: name its encoding
        media_type = "text/plain" if inline else media_type  # browsers display plain text, they download CSV
        data = b"".join(body)
        return Response(data, media_type=f"{media_type}; charset={_charset(data)}", headers=headers)
    return StreamingResponse(body, media_type=media_type, headers=headers)


def _charset(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "shift_jis"
    return "utf-8"


@router.get("/exchange/items/{item_id}/history", response_class=HTMLResponse)
def history(request: Request, item_id: int, session: DB, actor: CurrentActor, page: int = 1) -> HTMLResponse:
    item = queries.visible_item(session, item_id, actor)
    consents.require_discloser(session, item, actor)
    return render(request, "exchange/history.html", {"item": item, "page": queries.access_history(session, item.id, page=page),
                                                     "rule_message": rule_message})


@router.get("/exchange/items/{item_id}/policy.json")
def policy(item_id: int, session: DB, actor: CurrentActor) -> Response:
    """The item's conditions as ODRL 2.2 JSON-LD."""
    item = queries.visible_item(session, item_id, actor)
    document = export_odrl(conditions_of(item, queries.recipients_of(session, item.id)), item_id=str(item.id))
    return JSONResponse(document, media_type="application/ld+json")


@router.post("/exchange/items/{item_id}/withdraw")
def withdraw(item_id: int, session: DB, actor: CurrentActor) -> Response:
    services.withdraw_item(session, item_id, actor=actor, now=utcnow())
    session.commit()
    return RedirectResponse(f"/exchange/items/{item_id}?flash=withdrawn", status_code=303)
