"""The matchmaking JSON API under /api/v1/matchmaking (plus the recommender's routes)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body
from sqlalchemy.orm import Session

from kakehashi.kernel.authz import Actor, require
from kakehashi.kernel.errors import NotFound
from kakehashi.kernel.i18n import N_
from kakehashi.matchmaking import agendas, events, opportunities, participation, phases, planning, queries
from kakehashi.matchmaking.models import Opportunity
from kakehashi.matchmaking.recommend import api as recommend_api
from kakehashi.matchmaking.schemas import (
    AgendaItemOut,
    DecisionIn,
    EventIn,
    EventOut,
    FundOut,
    OpportunityIn,
    OpportunityOut,
    PageOut,
    PhaseIn,
    RegistrationIn,
    RegistrationOut,
    RequestIn,
    RequestOut,
    RunOut,
    SessionIn,
)
from kakehashi.web.deps import DB, CurrentActor

routes = APIRouter(prefix="/api/v1/matchmaking", tags=["matchmaking"])


@routes.get("/events")
def list_events(session: DB, actor: CurrentActor, page: int = 1, size: int = 20, past: bool = False) -> PageOut:
    """Upcoming (or past) events."""
    require(actor, "matchmaking.participate")
    listing = queries.list_events(session, page=page, size=size, past=past)
    return PageOut(total=listing.total, page=listing.page, size=listing.size,
                   items=[EventOut.model_validate(e) for e in listing.items])


@routes.post("/events", status_code=201)
def create_event(body: EventIn, session: DB, actor: CurrentActor) -> EventOut:
    """Create an event (draft phase)."""
    spec = events.EventSpec(**body.model_dump(exclude={"organiser_org_id"}))
    event = events.create_event(session, spec, actor=actor, organiser_org_id=body.organiser_org_id)
    session.commit()
    return EventOut.model_validate(event)


@routes.get("/events/{event_id}")
def get_event(event_id: int, session: DB, actor: CurrentActor) -> EventOut:
    """One event."""
    require(actor, "matchmaking.participate")
    return EventOut.model_validate(events.get_event(session, event_id))


@routes.post("/events/{event_id}/sessions", status_code=201)
def add_session(event_id: int, body: SessionIn, session: DB, actor: CurrentActor) -> dict[str, int]:
    """Add a session; returns its id and the event's slot count."""
    item = events.add_session(session, event_id, actor=actor, **body.model_dump())
    session.commit()
    return {"id": item.id, "slots": len(events.slots_of(session, event_id))}


@routes.post("/events/{event_id}/phase")
def change_phase(event_id: int, body: PhaseIn, session: DB, actor: CurrentActor) -> EventOut:
    """Move the event to another phase."""
    event = phases.advance_phase(session, event_id, actor=actor, to=body.to)
    session.commit()
    return EventOut.model_validate(event)


@routes.post("/events/{event_id}/registrations", status_code=201)
def register(event_id: int, body: RegistrationIn, session: DB, actor: CurrentActor) -> RegistrationOut:
    """Register the caller."""
    reg = participation.register(session, event_id, actor=actor, **body.model_dump())
    session.commit()
    return RegistrationOut.model_validate(reg)


@routes.get("/events/{event_id}/registrations")
def registrations(event_id: int, session: DB, actor: CurrentActor) -> list[RegistrationOut]:
    """The event's participants."""
    require(actor, "matchmaking.participate")
    return [RegistrationOut.model_validate(r) for r in planning.active_registrations(session, event_id)]


@routes.post("/events/{event_id}/requests", status_code=201)
def send_request(event_id: int, body: RequestIn, session: DB, actor: CurrentActor) -> RequestOut:
    """Ask a participant for a meeting."""
    request = participation.send_request(session, event_id, actor=actor, **body.model_dump())
    session.commit()
    return RequestOut.model_validate(request)


@routes.post("/requests/{request_id}/accept")
def accept(request_id: int, body: DecisionIn, session: DB, actor: CurrentActor) -> RequestOut:
    """Accept a request addressed to the caller."""
    request = participation.accept_request(session, request_id, actor=actor, keen=body.keen)
    session.commit()
    return RequestOut.model_validate(request)


@routes.post("/requests/{request_id}/decline")
def decline(request_id: int, session: DB, actor: CurrentActor) -> RequestOut:
    """Decline a request addressed to the caller."""
    request = participation.decline_request(session, request_id, actor=actor)
    session.commit()
    return RequestOut.model_validate(request)


@routes.get("/events/{event_id}/instance")
def instance(event_id: int, session: DB, actor: CurrentActor) -> dict[str, Any]:
    """The event as the scheduler's INSTANCE JSON (docs/scheduler-instance.md)."""
    event = events.get_event(session, event_id)
    events.require_organiser(actor, event)
    return planning.export_instance(session, event)


@routes.get("/events/{event_id}/schedule")
def schedule(event_id: int, session: DB, actor: CurrentActor) -> dict[str, Any]:
    """The current schedule as SCHEDULE JSON."""
    event = events.get_event(session, event_id)
    events.require_organiser(actor, event)
    return planning.export_schedule(session, event)


@routes.put("/events/{event_id}/schedule")
def import_schedule(event_id: int, session: DB, actor: CurrentActor, body: Any = Body(...)) -> RunOut:
    """Store a SCHEDULE JSON computed elsewhere (every constraint is checked; a bad one writes nothing)."""
    run = planning.import_schedule(session, event_id, body, actor=actor)
    session.commit()
    return RunOut.model_validate(run)


@routes.post("/events/{event_id}/schedule/solve")
def solve(event_id: int, session: DB, actor: CurrentActor, time_limit: float = 10.0) -> RunOut:
    """Run the scheduler (keeping current meetings where it can) and store its result."""
    run = planning.solve_event(session, event_id, actor=actor, time_limit=min(max(time_limit, 0.5), 60.0))
    session.commit()
    return RunOut.model_validate(run)


@routes.get("/agenda")
def agenda(session: DB, actor: CurrentActor, event_id: int | None = None) -> list[AgendaItemOut]:
    """The caller's meetings in published (provisional or final) schedules."""
    require(actor, "matchmaking.participate")
    assert actor.user_id is not None
    return [AgendaItemOut(**{k: getattr(item, k) for k in AgendaItemOut.model_fields if hasattr(item, k)},
                          counterpart_org_id=item.counterpart_org.id if item.counterpart_org else None)
            for item in agendas.agenda_for(session, actor.user_id, event_id=event_id)]


def opportunity_out(session: Session, item: Opportunity, actor: Actor) -> OpportunityOut:
    """The API shape, hiding the owner of an anonymous opportunity unless disclosed to the caller."""
    disclosed = not item.anonymous or opportunities.contact_visible(session, item, actor=actor)
    return OpportunityOut(id=item.id, reference=item.reference, kind=item.kind, title=item.title, summary=item.summary,
                          language=item.language, sectors=item.sectors, side=item.side, status=item.status,
                          anonymous=item.anonymous, org_id=item.org_id if disclosed else None,
                          published_at=item.published_at, expires_at=item.expires_at)


@routes.get("/opportunities")
def search_opportunities(session: DB, actor: CurrentActor, q: str = "", kind: str = "", side: str = "",
                         sector: str = "", page: int = 1, size: int = 20) -> PageOut:
    """Search published opportunities (text in any of the three languages)."""
    require(actor, "matchmaking.participate")
    listing = queries.search_opportunities(session, q=q, kind=kind, side=side, sector=sector, page=page, size=size)
    return PageOut(total=listing.total, page=listing.page, size=listing.size,
                   items=[opportunity_out(session, o, actor) for o in listing.items])


@routes.get("/opportunities/{opportunity_id}")
def get_opportunity(opportunity_id: int, session: DB, actor: CurrentActor) -> OpportunityOut:
    """One opportunity."""
    require(actor, "matchmaking.participate")
    item = opportunities.get_opportunity(session, opportunity_id)
    if not opportunities.may_view(actor, item):
        raise NotFound(N_("No such opportunity."))
    return opportunity_out(session, item, actor)


@routes.post("/opportunities", status_code=201)
def create_opportunity(body: OpportunityIn, session: DB, actor: CurrentActor) -> OpportunityOut:
    """Create a draft (and with `submit`, send it for review)."""
    spec = opportunities.OpportunitySpec(kind=body.kind, title=body.title, summary=body.summary,
                                         language=body.language, sectors=tuple(body.sectors), anonymous=body.anonymous)
    item = opportunities.create_opportunity(session, spec, actor=actor)
    if body.submit:
        opportunities.submit_opportunity(session, item.id, actor=actor)
    session.commit()
    return opportunity_out(session, item, actor)


@routes.get("/funds")
def funds(session: DB, actor: CurrentActor, corridor: bool = False, invests_in: str = "", page: int = 1,
          size: int = 50) -> PageOut:
    """The fund registry (`corridor=true`: Japanese players investing in India)."""
    require(actor, "matchmaking.participate")
    listing = queries.list_funds(session, corridor=corridor, invests_in=invests_in, page=page, size=size)
    return PageOut(total=listing.total, page=listing.page, size=listing.size,
                   items=[FundOut.model_validate(f) for f in listing.items])


# The shell includes `router`: these routes and the recommender's (/api/v1/organisations/{id}/recommendations).
router = APIRouter()
router.include_router(routes)
router.include_router(recommend_api.router)
