"""Startup and investor pages: profiles with exact amounts, pitch decks, the fund registry, missions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kakehashi import registry
from kakehashi.kernel.authz import Actor, can, require
from kakehashi.kernel.errors import DomainError, NotFound
from kakehashi.kernel.i18n import N_
from kakehashi.matchmaking import investment, queries
from kakehashi.matchmaking.decks import MAX_DECK_BYTES
from kakehashi.matchmaking.models import Mission
from kakehashi.matchmaking.web.forms import Parser, field_errors, is_access_error, split_list, unit_of_work
from kakehashi.web.deps import DB, CurrentActor
from kakehashi.web.templating import render

router = APIRouter()
STAGE_LABELS = {"idea": N_("Idea"), "pre_seed": N_("Pre-seed"), "seed": N_("Seed"), "series_a": N_("Series A"),
                "series_b": N_("Series B"), "growth": N_("Growth")}


def _common() -> dict[str, Any]:
    return {"stages": investment.STAGES, "stage_labels": STAGE_LABELS, "currencies": investment.CURRENCIES,
            "sectors": registry.SECTORS}


@router.get("/matchmaking/startups", response_class=HTMLResponse)
def startups(request: Request, session: DB, actor: CurrentActor, stage: str = "") -> HTMLResponse:
    """Startups with profiles, and investors with mandates."""
    require(actor, "matchmaking.participate")
    return render(request, "matchmaking/startups.html", {
        **_common(), "startups": queries.list_startups(session, stage=stage), "stage": stage,
        "investors": queries.list_investors(session, stage=stage)})


def _org_or_404(session: Session, org_id: int) -> Any:
    org = registry.get_organisation(session, org_id)
    if org is None:
        raise NotFound(N_("No such organisation."))
    return org


def _profile_context(session: Session, org_id: int, actor: Actor, errors: dict[str, str],
                     values: dict[str, str] | None = None) -> dict[str, Any]:
    org = _org_or_404(session, org_id)
    editable = actor.org_id == org_id or can(actor, "registry.org.edit", org_id=org_id)
    return {**_common(), "org": org, "startup": queries.startup_of(session, org_id),
            "investor": queries.investor_of(session, org_id), "editable": editable, "errors": errors,
            "values": values or {}, "max_deck_mb": MAX_DECK_BYTES // (1024 * 1024)}


@router.get("/matchmaking/profiles/{org_id}", response_class=HTMLResponse)
def profile(request: Request, org_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """An organisation's startup and/or investor profile, with edit forms for its members."""
    require(actor, "matchmaking.participate")
    return render(request, "matchmaking/profile.html", _profile_context(session, org_id, actor, {}))


async def _save(request: Request, session: Session, org_id: int, actor: Actor, action: Any) -> Response:
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if not hasattr(v, "read")}
    try:
        with unit_of_work(session):
            await action(form)
    except DomainError as exc:
        if is_access_error(exc):
            raise
        return render(request, "matchmaking/profile.html",
                      _profile_context(session, org_id, actor, field_errors(exc), values), 422)
    return RedirectResponse(f"/matchmaking/profiles/{org_id}?flash=saved", status_code=303)


@router.post("/matchmaking/profiles/{org_id}/startup")
async def save_startup(request: Request, org_id: int, session: DB, actor: CurrentActor) -> Response:
    """Save a startup profile."""
    async def action(form: Any) -> None:
        parser = Parser()
        funding = parser.amount("funding_to_date", str(form.get("funding_to_date", "")))
        raising = parser.amount("raising", str(form.get("raising", "")), optional=True)
        team = parser.integer("team_size", str(form.get("team_size", "")), optional=True)
        parser.check()
        assert funding is not None
        investment.save_startup(session, org_id, actor=actor, stage=str(form.get("stage", "")), funding_to_date=funding,
                                currency=str(form.get("currency", "")), raising=raising,
                                traction=str(form.get("traction", "")), team_size=team)

    return await _save(request, session, org_id, actor, action)


@router.post("/matchmaking/profiles/{org_id}/deck")
async def upload_deck(request: Request, org_id: int, session: DB, actor: CurrentActor) -> Response:
    """Upload a pitch deck (PDF, PPTX or ODP; judged by its bytes)."""
    async def action(form: Any) -> None:
        upload = form.get("deck")
        if not isinstance(upload, UploadFile):
            raise DomainError(N_("Choose a file."), field="deck")
        data = await upload.read(MAX_DECK_BYTES + 1)
        investment.upload_pitch_deck(session, org_id, actor=actor, filename=upload.filename or "deck", data=data)

    return await _save(request, session, org_id, actor, action)


@router.post("/matchmaking/profiles/{org_id}/investor")
async def save_investor(request: Request, org_id: int, session: DB, actor: CurrentActor) -> Response:
    """Save an investor mandate."""
    async def action(form: Any) -> None:
        parser = Parser()
        low = parser.amount("ticket_min", str(form.get("ticket_min", "")))
        high = parser.amount("ticket_max", str(form.get("ticket_max", "")))
        parser.check()
        assert low is not None and high is not None
        spec = investment.InvestorSpec(
            ticket_min=low, ticket_max=high, currency=str(form.get("currency", "")),
            stages=tuple(str(s) for s in form.getlist("stages")), sectors=tuple(str(s) for s in form.getlist("sectors")),
            countries=tuple(str(c) for c in form.getlist("countries")), thesis=str(form.get("thesis", "")))
        investment.save_investor(session, org_id, spec, actor=actor)

    return await _save(request, session, org_id, actor, action)


@router.get("/matchmaking/decks/{deck_id}")
def download_deck(deck_id: int, session: DB, actor: CurrentActor) -> Response:
    """Download a pitch deck (investors, officers and the startup itself)."""
    deck = investment.pitch_deck_for(session, deck_id, actor=actor)
    return Response(deck.data, media_type=deck.content_type, headers={
        "Content-Disposition": f'attachment; filename="{deck.filename}"', "X-Content-Type-Options": "nosniff"})


@router.get("/matchmaking/funds", response_class=HTMLResponse)
def funds(request: Request, session: DB, actor: CurrentActor, corridor: bool = False, invests_in: str = "",
          page: int = 1) -> HTMLResponse:
    """The fund registry, e.g. funds with Japanese players investing in Indian startups."""
    require(actor, "matchmaking.participate")
    return render(request, "matchmaking/funds.html", {
        **_common(), "listing": queries.list_funds(session, corridor=corridor, invests_in=invests_in, page=page),
        "corridor": corridor, "invests_in": invests_in, "errors": {}, "values": {},
        "can_add": can(actor, "registry.org.edit", org_id=actor.org_id)})


@router.post("/matchmaking/funds")
async def add_fund(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Register a fund."""
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    try:
        with unit_of_work(session):
            parser = Parser()
            size = parser.amount("size", values.get("size", ""), optional=True)
            vintage = parser.integer("vintage", values.get("vintage", ""), optional=True)
            manager_org = parser.integer("manager_org_id", values.get("manager_org_id", ""), optional=True)
            parser.check()
            investment.save_fund(session, investment.FundSpec(
                name=values.get("name", ""), manager_name=values.get("manager_name", ""),
                domicile=values.get("domicile", ""), currency=values.get("currency", ""),
                invests_in=tuple(str(c) for c in form.getlist("invests_in")), size=size, vintage=vintage,
                stages=tuple(str(s) for s in form.getlist("stages")),
                japanese_backers=tuple(split_list(values.get("japanese_backers", ""))),
                description=values.get("description", ""), website=values.get("website", ""),
                manager_org_id=manager_org if manager_org is not None else actor.org_id), actor=actor)
    except DomainError as exc:
        if is_access_error(exc):
            raise
        return render(request, "matchmaking/funds.html", {
            **_common(), "listing": queries.list_funds(session), "corridor": False, "invests_in": "",
            "errors": field_errors(exc), "values": values, "can_add": True}, 422)
    return RedirectResponse("/matchmaking/funds?flash=saved", status_code=303)


@router.get("/matchmaking/missions", response_class=HTMLResponse)
def missions(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    """Delegations of companies and investors visiting the other country."""
    require(actor, "matchmaking.participate")
    return render(request, "matchmaking/missions.html", _missions_context(session, actor, {}, {}))


def _missions_context(session: Session, actor: Actor, errors: dict[str, str], values: dict[str, str]) -> dict[str, Any]:
    items: list[tuple[Mission, list[Any]]] = [(m, queries.mission_members(session, m.id))
                                               for m in queries.list_missions(session)]
    return {"missions": items, "errors": errors, "values": values,
            "can_create": can(actor, "matchmaking.event.organise", org_id=actor.org_id)}


@router.post("/matchmaking/missions")
async def create_mission(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Create a mission."""
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    try:
        with unit_of_work(session):
            parser = Parser()
            starts, ends = parser.date("starts_on", values.get("starts_on", "")), parser.date("ends_on",
                                                                                               values.get("ends_on", ""))
            parser.check()
            investment.create_mission(session, actor=actor, title=values.get("title", ""),
                                      origin=values.get("origin", ""), destination=values.get("destination", ""),
                                      starts_on=starts, ends_on=ends, cities=values.get("cities", ""),
                                      description=values.get("description", ""))
    except DomainError as exc:
        if is_access_error(exc):
            raise
        return render(request, "matchmaking/missions.html", _missions_context(session, actor, field_errors(exc), values),
                      422)
    return RedirectResponse("/matchmaking/missions?flash=saved", status_code=303)


@router.post("/matchmaking/missions/{mission_id}/join")
async def join_mission(request: Request, mission_id: int, session: DB, actor: CurrentActor) -> Response:
    """Put one's organisation on a mission."""
    form = await request.form()
    with unit_of_work(session):
        investment.join_mission(session, mission_id, actor=actor, role=str(form.get("role", "company")))
    return RedirectResponse("/matchmaking/missions?flash=saved", status_code=303)

