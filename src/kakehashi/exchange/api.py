"""The exchange API under /api/v1/exchange: share, list, access with a stated purpose (the decision is
logged either way), history, ODRL policies, consents, and the purpose vocabulary."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.responses import JSONResponse, Response

from kakehashi.exchange import consents, queries, services
from kakehashi.exchange.config import keyring_for, limits_for
from kakehashi.exchange.forms import terms_from_policy
from kakehashi.exchange.odrl import export_odrl
from kakehashi.exchange.policy import AccessMode, Recipients, Tlp
from kakehashi.exchange.schemas import (
    AccessIn,
    AccessOut,
    ConsentDecisionIn,
    ConsentIn,
    ConsentOut,
    DecisionOut,
    ItemOut,
    ItemPage,
    PurposeIn,
    PurposeOut,
    TermsIn,
)
from kakehashi.exchange.terms import Terms, conditions_of
from kakehashi.exchange.web import content_response
from kakehashi.kernel.authz import require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import ValidationFailed
from kakehashi.web import openapi
from kakehashi.web.deps import DB, CurrentActor, get_settings
from kakehashi.web.errors import problem

router = APIRouter(prefix="/api/v1/exchange", tags=["exchange"])


@router.get("/items")
def list_items(session: DB, actor: CurrentActor, scope: str = "shared-with-me", page: int = 1, size: int = 25) -> ItemPage:
    """Items shared with the caller (`scope=shared-with-me`) or by the caller's party (`shared-by-us`)."""
    require(actor, "exchange.access")
    found = (queries.shared_by_us if scope == "shared-by-us" else queries.shared_with_me)(session, actor, page=page,
                                                                                           size=size)
    return ItemPage(items=[ItemOut.of(i) for i in found.items], total=found.total, page=found.page, size=found.size)


def _terms(value: str) -> Terms:
    try:
        given = TermsIn.model_validate_json(value)
    except ValidationError as exc:
        raise ValidationFailed({".".join(str(p) for p in e["loc"]) or "terms": e["msg"] for e in exc.errors()}) from exc
    r = given.recipients
    return Terms(frozenset(given.purposes),
                 Recipients(frozenset(r.sides), frozenset(r.ministries), frozenset(map(str, r.organisations)),
                            frozenset(map(str, r.users))),
                 given.valid_from, given.valid_until, Tlp(given.tlp), given.onward_sharing, AccessMode(given.access),
                 given.retain_until)


@router.post("/items", status_code=201)
async def share(request: Request, session: DB, actor: CurrentActor) -> ItemOut:
    """Multipart: `file`, `title`, optional `description` and `kind`, and the conditions as `terms` (JSON)
    or `policy` (an ODRL 2.2 policy under the Kakehashi profile)."""
    require(actor, "exchange.share")
    settings = get_settings(request)
    form = await request.form()
    upload, policy, terms_json = form.get("file"), form.get("policy"), form.get("terms")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise ValidationFailed({"file": "A file is required."})
    if isinstance(policy, UploadFile):
        terms = terms_from_policy(await policy.read())
    elif isinstance(policy, str) and policy:
        terms = terms_from_policy(policy.encode())
    elif isinstance(terms_json, str):
        terms = _terms(terms_json)
    else:
        raise ValidationFailed({"terms": "Give the conditions as `terms` (JSON) or `policy` (ODRL)."})
    item = services.share_item(
        session, services.Upload(upload.filename, upload.content_type or "", upload.file), terms,
        title=str(form.get("title") or ""), description=str(form.get("description") or ""),
        kind=str(form.get("kind") or "document"), actor=actor, keyring=keyring_for(settings),
        limits=limits_for(settings), now=utcnow())
    session.commit()
    return ItemOut.of(item, queries.recipients_of(session, item.id))


@router.get("/items/{item_id}")
def get_item(item_id: int, session: DB, actor: CurrentActor) -> ItemOut:
    """An item's metadata and conditions (404 for those it was not shared with)."""
    item = queries.visible_item(session, item_id, actor)
    return ItemOut.of(item, queries.recipients_of(session, item.id))


@router.get("/items/{item_id}/policy", responses=openapi.JSON_LD)
def get_policy(item_id: int, session: DB, actor: CurrentActor) -> JSONResponse:
    """The item's conditions as ODRL 2.2 JSON-LD."""
    item = queries.visible_item(session, item_id, actor)
    return JSONResponse(export_odrl(conditions_of(item, queries.recipients_of(session, item.id)), item_id=str(item.id)),
                        media_type="application/ld+json")


@router.post("/items/{item_id}/access", response_model=None, responses=openapi.DOCUMENT_OR_DECISION)
def access(request: Request, item_id: int, body: AccessIn, session: DB, actor: CurrentActor) -> Response:
    """Ask to view, download or share onward for a stated purpose. Permitted view/download returns the
    (verified, marked) content; a denial is 403 problem+json naming the rule; both are logged."""
    outcome = services.access_item(session, item_id, actor=actor, action=body.action, purpose=body.purpose,
                                   keyring=keyring_for(get_settings(request)), now=utcnow())
    session.commit()
    decision = DecisionOut(permit=outcome.decision.permit, rule=outcome.decision.rule, reason=outcome.decision.reason,
                           access_id=outcome.access.id, log_index=outcome.access.log_index)
    if decision.permit and outcome.body is not None:
        response = content_response(outcome.item.file_name, outcome.item.media_type, outcome.body,
                                    inline=body.action == "view")
        response.headers["X-Kakehashi-Rule"], response.headers["X-Kakehashi-Log-Index"] = decision.rule, str(decision.log_index)
        return response
    if decision.permit:
        return JSONResponse(decision.model_dump())
    status = 403 if queries.can_see(session, outcome.item, actor) else 404
    denied = problem(request, status, "Access denied", decision.reason, code=decision.rule)
    payload: dict[str, Any] = orjson.loads(denied.body)
    return JSONResponse({**payload, **decision.model_dump()}, status_code=status, media_type=denied.media_type)


@router.get("/items/{item_id}/accesses")
def history(item_id: int, session: DB, actor: CurrentActor, page: int = 1, size: int = 50) -> list[AccessOut]:
    """Every decision on the item, newest first (for the discloser)."""
    item = queries.visible_item(session, item_id, actor)
    consents.require_discloser(session, item, actor)
    return [AccessOut.of(row) for row in queries.access_history(session, item.id, page=page, size=size).items]


@router.post("/items/{item_id}/withdraw")
def withdraw(item_id: int, session: DB, actor: CurrentActor) -> ItemOut:
    """The discloser withdraws the item."""
    item = services.withdraw_item(session, item_id, actor=actor, now=utcnow())
    session.commit()
    return ItemOut.of(item)


@router.post("/items/{item_id}/consents", status_code=201)
def ask_consent(item_id: int, body: ConsentIn, session: DB, actor: CurrentActor) -> ConsentOut:
    """Ask the discloser's prior written consent for another purpose (or onward sharing)."""
    consent = consents.request_consent(session, item_id, actor=actor, purpose=body.purpose,
                                       onward_sharing=body.onward_sharing, justification=body.justification, now=utcnow())
    session.commit()
    return ConsentOut.of(consent)


@router.get("/consents")
def list_consents(session: DB, actor: CurrentActor, role: str = "decide") -> list[ConsentOut]:
    """Requests to decide (`role=decide`, officers of the disclosing side) or the caller's own (`role=mine`)."""
    require(actor, "exchange.access")
    rows = queries.my_consent_requests(session, actor) if role == "mine" else queries.consents_to_decide(session, actor)
    return [ConsentOut.of(row.consent) for row in rows]


@router.post("/consents/{consent_id}/{verb}")
def decide_consent(request: Request, consent_id: int, verb: str, body: ConsentDecisionIn, session: DB,
                   actor: CurrentActor) -> ConsentOut:
    """`grant` (drafts the signed instrument), `refuse`, `revoke`, or `withdraw` (the requester)."""
    now = utcnow()
    if verb == "grant":
        consent = consents.grant_consent(session, consent_id, actor=actor, note=body.note,
                                         to_organisation=body.to_organisation, now=now,
                                         demo_keys=get_settings(request).demo_keys_server_side)
    elif verb == "refuse":
        consent = consents.refuse_consent(session, consent_id, actor=actor, note=body.note, now=now)
    elif verb == "revoke":
        consent = consents.revoke_consent(session, consent_id, actor=actor, note=body.note, now=now)
    elif verb == "withdraw":
        consent = consents.withdraw_request(session, consent_id, actor=actor, now=now)
    else:
        raise ValidationFailed({"verb": "One of grant, refuse, revoke, withdraw."})
    session.commit()
    return ConsentOut.of(consent)


@router.get("/purposes")
def list_purposes(session: DB, actor: CurrentActor) -> list[PurposeOut]:
    """The purpose vocabulary."""
    require(actor, "exchange.access")
    return [PurposeOut(code=p.code, label_en=p.label_en, label_ja=p.label_ja, clause=p.clause)
            for p in queries.purposes(session)]


@router.post("/purposes", status_code=201)
def add_purpose(body: PurposeIn, session: DB, actor: CurrentActor) -> PurposeOut:
    """An officer adds a purpose."""
    purpose = services.add_purpose(session, code=body.code, label_en=body.label_en, label_ja=body.label_ja,
                                   clause=body.clause, actor=actor, now=utcnow())
    session.commit()
    return PurposeOut(code=purpose.code, label_en=purpose.label_en, label_ja=purpose.label_ja, clause=purpose.clause)

