"""Participant pages: browse and search participants (recommended ones first), send and answer requests."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kakehashi.kernel.authz import Actor, require
from kakehashi.kernel.errors import DomainError
from kakehashi.kernel.pagination import Page, clamp
from kakehashi.matchmaking import events, participation, queries
from kakehashi.matchmaking.models import Event, MeetingRequest, Registration
from kakehashi.matchmaking.recommend import services as recommend
from kakehashi.matchmaking.recommend.wording import reason_text
from kakehashi.matchmaking.web.events import is_organiser
from kakehashi.matchmaking.web.forms import field_errors, is_access_error, unit_of_work
from kakehashi.web.deps import DB, CurrentActor
from kakehashi.web.templating import render

router = APIRouter()
RECOMMENDED = 50
PAGE_SIZE = 50


def _recommended(session: Session, actor: Actor) -> dict[int, list[str]]:
    """Organisations the recommender suggests to the viewer's organisation, best first, with reasons."""
    if actor.org_id is None:
        return {}
    try:
        suggestions = recommend.recommend_partners(session, actor.org_id, actor=actor, limit=RECOMMENDED)
    except DomainError:
        return {}  # no profile yet, or nothing to suggest: the plain list still works
    return {s.recommendation.org_id: [reason_text(r) for r in s.recommendation.reasons] for s in suggestions}


def _pairs(session: Session, mine: Registration | None) -> dict[int, MeetingRequest]:
    """The viewer's requests by the other participant's registration id."""
    if mine is None:
        return {}
    received, sent = queries.requests_of(session, mine.id)
    found: dict[int, MeetingRequest] = {}
    for request in [*received, *sent]:
        other = request.requester_id if request.recipient_id == mine.id else request.recipient_id
        found.setdefault(other, request)
    return found


def participants_context(session: Session, event: Event, actor: Actor, *, q: str = "", side: str = "", page: int = 1,
                         errors: dict[str, str] | None = None, values: dict[str, str] | None = None) -> dict[str, Any]:
    """The participants page: recommended participants first, then a page of everyone matching the filters."""
    mine = participation.registration_of(session, event.id, actor.user_id)
    recommended = _recommended(session, actor)
    rows = queries.participants(session, event.id, q=q, side=side)
    rank = {org_id: i for i, org_id in enumerate(recommended)}
    suggested = sorted((r for r in rows if r.registration.org_id in rank), key=lambda r: rank[r.registration.org_id or 0])
    others = [r for r in rows if r.registration.org_id not in rank]
    number, size, offset = clamp(page, PAGE_SIZE)
    listing = Page(others[offset:offset + size], len(others), number, size)
    org_ids = {r.registration.org_id for r in rows} | {actor.org_id}
    return {"event": event, "mine": mine, "suggested": suggested, "others": listing, "reasons": recommended,
            "base_query": urlencode({"q": q, "side": side}),
            "pairs": _pairs(session, mine), "q": q, "side": side, "errors": errors or {}, "values": values or {},
            "opportunities": queries.opportunities_for_request(session, org_ids, viewer_org_id=actor.org_id),
            "organiser": is_organiser(actor, event)}


@router.get("/matchmaking/events/{event_id}/participants", response_class=HTMLResponse)
def participants_page(request: Request, event_id: int, session: DB, actor: CurrentActor, q: str = "",
                      side: str = "", page: int = 1) -> HTMLResponse:
    """Who takes part; the recommender's picks for the viewer's organisation come first, with reasons."""
    require(actor, "matchmaking.participate")
    event = events.get_event(session, event_id)
    context = participants_context(session, event, actor, q=q, side=side, page=page)
    session.commit()  # showing recommendations counts as exposure (the recommender spreads attention)
    return render(request, "matchmaking/participants.html", context)


@router.post("/matchmaking/events/{event_id}/requests")
def send_request(
    request: Request, event_id: int, session: DB, actor: CurrentActor, recipient_id: int = Form(...),
    message: str = Form(""), opportunity_id: str = Form(""),
) -> Response:
    """Ask a participant for a meeting, with a message and optionally an opportunity."""
    event = events.get_event(session, event_id)
    try:
        with unit_of_work(session):
            participation.send_request(session, event.id, actor=actor, recipient_id=recipient_id, message=message,
                                       opportunity_id=int(opportunity_id) if opportunity_id.isdigit() else None)
    except DomainError as exc:
        if is_access_error(exc):
            raise
        errors = {f"{recipient_id}.{k}": v for k, v in field_errors(exc).items()}
        context = participants_context(session, event, actor, errors=errors, values={"message": message,
                                                                                     "recipient_id": str(recipient_id)})
        return render(request, "matchmaking/participants.html", context, 422)
    return RedirectResponse(f"/matchmaking/events/{event_id}/requests?flash=request_sent", status_code=303)


@router.get("/matchmaking/events/{event_id}/requests", response_class=HTMLResponse)
def requests_page(request: Request, event_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """The viewer's received and sent requests in this event."""
    require(actor, "matchmaking.participate")
    event = events.get_event(session, event_id)
    mine = participation.registration_of(session, event.id, actor.user_id)
    received, sent = queries.requests_of(session, mine.id) if mine else ([], [])
    people = {p.registration.id: p for p in queries.participants(session, event.id)}
    return render(request, "matchmaking/requests.html", {"event": event, "mine": mine, "received": received,
                                                         "sent": sent, "people": people})


@router.post("/matchmaking/requests/{request_id}/{decision}")
def decide(request_id: int, decision: str, session: DB, actor: CurrentActor) -> Response:
    """Accept (`accept`, or `accept-keen` for "I want this too"), decline or withdraw a request."""
    with unit_of_work(session):
        if decision in ("accept", "accept-keen"):
            item = participation.accept_request(session, request_id, actor=actor, keen=decision == "accept-keen")
        elif decision == "decline":
            item = participation.decline_request(session, request_id, actor=actor)
        elif decision == "withdraw":
            item = participation.withdraw_request(session, request_id, actor=actor)
        else:
            item = participation.set_request_kind(session, request_id, actor=actor, kind=decision)
            return RedirectResponse(f"/matchmaking/events/{item.event_id}/schedule?flash=saved", status_code=303)
    return RedirectResponse(f"/matchmaking/events/{item.event_id}/requests?flash=saved", status_code=303)


@router.get("/matchmaking/meet/{org_id}", response_class=HTMLResponse)
def meet(request: Request, org_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """From a recommendation: the events where the viewer and that organisation both take part."""
    require(actor, "matchmaking.participate")
    return render(request, "matchmaking/meet.html", {"org_id": org_id,
                                                     "found": queries.events_with_both(session, actor.user_id or 0, org_id),
                                                     "people": {}})
