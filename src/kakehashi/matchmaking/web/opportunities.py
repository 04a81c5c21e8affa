"""Opportunity pages: search, create and edit, submit, officer review, expressions of interest, renewal."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kakehashi import identity, registry
from kakehashi.kernel.authz import Actor, can, require
from kakehashi.kernel.errors import DomainError, NotFound
from kakehashi.kernel.i18n import N_
from kakehashi.matchmaking import opportunities, queries
from kakehashi.matchmaking.models import Opportunity
from kakehashi.matchmaking.models.opportunity import OpportunityKind
from kakehashi.matchmaking.web.forms import field_errors, is_access_error, unit_of_work
from kakehashi.web.deps import DB, CurrentActor
from kakehashi.web.templating import render

router = APIRouter()
KIND_LABELS = {
    "technology_offer": N_("Technology offer"), "technology_request": N_("Technology request"),
    "business_offer": N_("Business offer"), "business_request": N_("Business request"),
    "rnd_partner_search": N_("R&D partner search"), "investment_opportunity": N_("Investment opportunity"),
}
STATUS_LABELS = {"draft": N_("Draft"), "submitted": N_("Waiting for review"), "published": N_("Published"),
                 "rejected": N_("Needs changes"), "expired": N_("Expired"), "withdrawn": N_("Withdrawn")}


def _common() -> dict[str, Any]:
    return {"kinds": list(OpportunityKind), "kind_labels": KIND_LABELS, "status_labels": STATUS_LABELS,
            "sectors": registry.SECTORS}


@router.get("/matchmaking/opportunities", response_class=HTMLResponse)
def search(request: Request, session: DB, actor: CurrentActor, q: str = "", kind: str = "", side: str = "",
           sector: str = "", page: int = 1) -> HTMLResponse:
    """Search published opportunities in any language."""
    require(actor, "matchmaking.participate")
    listing = queries.search_opportunities(session, q=q, kind=kind, side=side, sector=sector, page=page)
    mine = queries.opportunities_of_org(session, actor.org_id) if actor.org_id else []
    reviewable = can(actor, "matchmaking.opportunity.review", side=actor.side.value if actor.side else None)
    return render(request, "matchmaking/opportunities.html", {
        **_common(), "listing": listing, "mine": mine, "q": q, "kind": kind, "side": side, "sector": sector,
        "queue": queries.review_queue(session, actor.side.value if actor.side else None) if reviewable else [],
        "base_query": f"q={q}&kind={kind}&side={side}&sector={sector}"})


def _values(opportunity: Opportunity | None) -> dict[str, Any]:
    if opportunity is None:
        return {"kind": "", "title": "", "summary": "", "language": "en", "sectors": [], "anonymous": False}
    return {"kind": opportunity.kind, "title": opportunity.title, "summary": opportunity.summary,
            "language": opportunity.language, "sectors": opportunity.sectors, "anonymous": opportunity.anonymous}


def _form(request: Request, opportunity: Opportunity | None, values: dict[str, Any], errors: dict[str, str],
          status: int = 200) -> HTMLResponse:
    return render(request, "matchmaking/opportunity_form.html",
                  {**_common(), "opportunity": opportunity, "values": values, "errors": errors}, status)


@router.get("/matchmaking/opportunities/new", response_class=HTMLResponse)
def new(request: Request, actor: CurrentActor) -> HTMLResponse:
    """The form for a new opportunity."""
    require(actor, "matchmaking.opportunity.create")
    return _form(request, None, _values(None), {})


async def _spec(request: Request) -> tuple[opportunities.OpportunitySpec, dict[str, Any]]:
    form = await request.form()
    sectors = [str(s) for s in form.getlist("sectors")]
    spec = opportunities.OpportunitySpec(
        kind=str(form.get("kind", "")), title=str(form.get("title", "")), summary=str(form.get("summary", "")),
        language=str(form.get("language", "en")), sectors=tuple(sectors), anonymous=form.get("anonymous") == "yes")
    values = {"kind": spec.kind, "title": spec.title, "summary": spec.summary, "language": spec.language,
              "sectors": sectors, "anonymous": spec.anonymous}
    return spec, values


@router.post("/matchmaking/opportunities/new")
async def create(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Save a draft; `submit=yes` also sends it for review."""
    spec, values = await _spec(request)
    submit = (await request.form()).get("submit") == "yes"
    try:
        with unit_of_work(session):
            item = opportunities.create_opportunity(session, spec, actor=actor)
            if submit:
                opportunities.submit_opportunity(session, item.id, actor=actor)
    except DomainError as exc:
        if is_access_error(exc):
            raise
        return _form(request, None, values, field_errors(exc), 422)
    return RedirectResponse(f"/matchmaking/opportunities/{item.id}?flash=saved", status_code=303)


def _visible(session: Session, opportunity_id: int, actor: Actor) -> Opportunity:
    require(actor, "matchmaking.participate")
    item = opportunities.get_opportunity(session, opportunity_id)
    if not opportunities.may_view(actor, item):
        raise NotFound(N_("No such opportunity."))
    return item


@router.get("/matchmaking/opportunities/{opportunity_id}", response_class=HTMLResponse)
def detail(request: Request, opportunity_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """An opportunity; the owner and contact show only to whom the owner disclosed them (if anonymous)."""
    item = _visible(session, opportunity_id, actor)
    disclosed = opportunities.contact_visible(session, item, actor=actor)
    owner = opportunities.is_owner(actor, item)
    contact = identity.get_user(session, item.contact_user_id) if disclosed and item.contact_user_id else None
    interests = queries.interests_in(session, item.id) if owner else []
    return render(request, "matchmaking/opportunity.html", {
        **_common(), "item": item, "owner": owner, "contact": contact,
        "org": registry.get_organisation(session, item.org_id) if disclosed or not item.anonymous else None,
        "interests": [(i, registry.get_organisation(session, i.org_id)) for i in interests],
        "my_interest": queries.interest_of_org(session, item.id, actor.org_id),
        "reviewer": can(actor, "matchmaking.opportunity.review", side=item.side) and item.status == "submitted",
        "errors": {}})


@router.get("/matchmaking/opportunities/{opportunity_id}/edit", response_class=HTMLResponse)
def edit(request: Request, opportunity_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """Edit one's opportunity (a published one goes back to review)."""
    item = _visible(session, opportunity_id, actor)
    if not opportunities.is_owner(actor, item):
        raise NotFound(N_("No such opportunity."))
    return _form(request, item, _values(item), {})


@router.post("/matchmaking/opportunities/{opportunity_id}/edit")
async def save(request: Request, opportunity_id: int, session: DB, actor: CurrentActor) -> Response:
    """Save an edited opportunity."""
    item = _visible(session, opportunity_id, actor)
    spec, values = await _spec(request)
    try:
        with unit_of_work(session):
            opportunities.update_opportunity(session, item.id, spec, actor=actor)
    except DomainError as exc:
        if is_access_error(exc):
            raise
        return _form(request, item, values, field_errors(exc), 422)
    return RedirectResponse(f"/matchmaking/opportunities/{item.id}?flash=saved", status_code=303)


@router.post("/matchmaking/opportunities/{opportunity_id}/{action}")
def act(opportunity_id: int, action: str, session: DB, actor: CurrentActor, note: str = Form(""),
        message: str = Form("")) -> Response:
    """Owner and officer actions: submit, withdraw, renew, approve, reject, interest."""
    with unit_of_work(session):
        if action == "submit":
            opportunities.submit_opportunity(session, opportunity_id, actor=actor)
        elif action == "withdraw":
            opportunities.withdraw_opportunity(session, opportunity_id, actor=actor)
        elif action == "renew":
            opportunities.renew_opportunity(session, opportunity_id, actor=actor)
        elif action in ("approve", "reject"):
            opportunities.review_opportunity(session, opportunity_id, actor=actor, approve=action == "approve",
                                             note=note)
        elif action == "interest":
            opportunities.express_interest(session, opportunity_id, actor=actor, message=message)
        else:
            raise NotFound(N_("No such action."))
    return RedirectResponse(f"/matchmaking/opportunities/{opportunity_id}?flash=saved", status_code=303)


@router.post("/matchmaking/interests/{interest_id}/{decision}")
def decide_interest(interest_id: int, decision: str, session: DB, actor: CurrentActor) -> Response:
    """The owner accepts (disclosing the contact) or declines an expression of interest."""
    if decision not in ("accept", "decline"):
        raise NotFound(N_("No such action."))
    with unit_of_work(session):
        interest = opportunities.decide_interest(session, interest_id, actor=actor, accept=decision == "accept")
    return RedirectResponse(f"/matchmaking/opportunities/{interest.opportunity_id}?flash=saved", status_code=303)
