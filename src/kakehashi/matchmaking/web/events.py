"""Event pages: list, create and edit, sessions, breaks, groups, phases, registration."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kakehashi.kernel.authz import Actor, can, require
from kakehashi.kernel.errors import DomainError, NotFound
from kakehashi.kernel.i18n import N_
from kakehashi.matchmaking import events, participation, phases, pitches, planning, queries
from kakehashi.matchmaking.models import Event, EventBreak, EventSession, RegistrationGroup
from kakehashi.matchmaking.models.event import EventFormat, Phase, SessionKind
from kakehashi.matchmaking.web.forms import (
    Parser,
    field_errors,
    is_access_error,
    local_input,
    renamed_fields,
    split_list,
    unit_of_work,
)
from kakehashi.web.deps import DB, CurrentActor
from kakehashi.web.templating import render

router = APIRouter()


def is_organiser(actor: Actor, event: Event) -> bool:
    """Whether the viewer may organise this event (drives which tools a page shows)."""
    return can(actor, "matchmaking.event.organise", org_id=event.organiser_org_id)


@router.get("/matchmaking/events", response_class=HTMLResponse)
def event_list(request: Request, session: DB, actor: CurrentActor, page: int = 1, past: bool = False) -> HTMLResponse:
    """Upcoming (or past) matchmaking events."""
    require(actor, "matchmaking.participate")
    listing = queries.list_events(session, page=page, past=past,
                                  all_drafts=can(actor, "matchmaking.event.organise"), draft_org_id=actor.org_id)
    return render(request, "matchmaking/events.html", {
        "listing": listing, "past": past, "can_organise": can(actor, "matchmaking.event.organise", org_id=actor.org_id)})


def _form_values(event: Event | None) -> dict[str, Any]:
    if event is None:
        return {"format": "hybrid", "timezone": "Asia/Tokyo", "slot_minutes": 30, "max_meetings": 8,
                "request_hours": 72}
    return {"title": event.title, "description": event.description, "format": event.format, "venue": event.venue,
            "timezone": event.timezone, "starts_at": local_input(event.starts_at, event.timezone),
            "ends_at": local_input(event.ends_at, event.timezone), "slot_minutes": event.slot_minutes,
            "max_meetings": event.max_meetings, "request_hours": event.request_hours,
            "video_base_url": event.video_base_url}


def _render_form(request: Request, event: Event | None, values: dict[str, Any], errors: dict[str, str],
                 status: int = 200) -> HTMLResponse:
    return render(request, "matchmaking/event_form.html", {
        "event": event, "values": values, "errors": errors, "formats": [f.value for f in EventFormat]}, status)


@router.get("/matchmaking/events/new", response_class=HTMLResponse)
def new_event(request: Request, actor: CurrentActor) -> HTMLResponse:
    """The form to create an event."""
    require(actor, "matchmaking.event.organise", org_id=actor.org_id)
    return _render_form(request, None, _form_values(None), {})


def _spec(values: dict[str, str]) -> events.EventSpec:
    parser = Parser()
    zone = values["timezone"] if values["timezone"] in ("Asia/Tokyo", "Asia/Kolkata") else "Asia/Tokyo"
    spec = events.EventSpec(
        title=values["title"], description=values["description"], format=values["format"], venue=values["venue"],
        timezone=values["timezone"], starts_at=parser.local_datetime("starts_at", values["starts_at"], zone),
        ends_at=parser.local_datetime("ends_at", values["ends_at"], zone),
        slot_minutes=parser.integer("slot_minutes", values["slot_minutes"]) or 0,
        max_meetings=parser.integer("max_meetings", values["max_meetings"]) or 0,
        request_hours=parser.integer("request_hours", values["request_hours"]) or 0,
        video_base_url=values["video_base_url"],
    )
    parser.check()
    return spec


EVENT_FIELDS = ("title", "description", "format", "venue", "timezone", "starts_at", "ends_at", "slot_minutes",
                "max_meetings", "request_hours", "video_base_url")


async def _posted(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    form = await request.form()
    return {name: str(form.get(name, "")) for name in names}


@router.post("/matchmaking/events/new")
async def create_event(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Create an event (in the draft phase) and go to it."""
    values = await _posted(request, EVENT_FIELDS)
    try:
        with unit_of_work(session):
            event = events.create_event(session, _spec(values), actor=actor)
    except DomainError as exc:
        if is_access_error(exc):
            raise
        return _render_form(request, None, values, field_errors(exc), 422)
    return RedirectResponse(f"/matchmaking/events/{event.id}?flash=event_created", status_code=303)


@router.get("/matchmaking/events/{event_id}/edit", response_class=HTMLResponse)
def edit_event(request: Request, event_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """The form to edit an event."""
    event = events.get_event(session, event_id)
    events.require_organiser(actor, event)
    return _render_form(request, event, _form_values(event), {})


@router.post("/matchmaking/events/{event_id}/edit")
async def save_event(request: Request, event_id: int, session: DB, actor: CurrentActor) -> Response:
    """Save an edited event."""
    values = await _posted(request, EVENT_FIELDS)
    event = events.get_event(session, event_id)
    try:
        with unit_of_work(session):
            events.update_event(session, event_id, _spec(values), actor=actor)
    except DomainError as exc:
        if is_access_error(exc):
            raise
        return _render_form(request, event, values, field_errors(exc), 422)
    return RedirectResponse(f"/matchmaking/events/{event_id}?flash=saved", status_code=303)


def detail_context(session: Session, event: Event, actor: Actor) -> dict[str, Any]:
    """What the event page shows: timing, sessions, slots, groups, the viewer's registration, tools."""
    blocks = list(session.scalars(select(EventSession).where(EventSession.event_id == event.id)
                                  .order_by(EventSession.starts_at)))
    return {
        "event": event, "sessions": blocks, "organiser": is_organiser(actor, event),
        "breaks": list(session.scalars(select(EventBreak).where(EventBreak.event_id == event.id)
                                       .order_by(EventBreak.starts_at))),
        "groups": list(session.scalars(select(RegistrationGroup).where(RegistrationGroup.event_id == event.id))),
        "slots": events.slots_of(session, event.id), "next_phases": [p.value for p in phases.next_phases(event)],
        "mine": participation.registration_of(session, event.id, actor.user_id),
        "pitches": {b.id: pitches.pitches_of(session, b.id) for b in blocks if b.kind == SessionKind.PITCH},
        "run": planning.latest_run(session, event.id), "phases": [p.value for p in Phase],
        "participant_count": len(planning.active_registrations(session, event.id)), "errors": {},
        "startup_choices": [(str(org.id), org.name_en) for _profile, org in queries.list_startups(session)]
        if is_organiser(actor, event) else [],
        "pitch_choices": [(str(b.id), b.name) for b in blocks if b.kind == SessionKind.PITCH],
    }


@router.get("/matchmaking/events/{event_id}", response_class=HTMLResponse)
def event_detail(request: Request, event_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """An event: when and where (JST and IST side by side), its sessions, and what the viewer can do next."""
    require(actor, "matchmaking.participate")
    event = events.get_event(session, event_id)
    if event.phase == Phase.DRAFT and not is_organiser(actor, event):
        raise NotFound(N_("No such event."))  # a draft is the organiser's until it opens
    return render(request, "matchmaking/event.html", detail_context(session, event, actor))


async def _organiser_action(request: Request, session: Session, event_id: int, actor: Actor, action: Any) -> Response:
    """Run an organiser form action; field errors re-render the event page, nothing half-written."""
    event = events.get_event(session, event_id)
    try:
        with unit_of_work(session):
            action(await request.form())
    except DomainError as exc:
        if is_access_error(exc):
            raise
        context = detail_context(session, event, actor)
        context["errors"] = field_errors(exc)
        return render(request, "matchmaking/event.html", context, 422)
    return RedirectResponse(f"/matchmaking/events/{event_id}?flash=saved", status_code=303)


@router.post("/matchmaking/events/{event_id}/sessions")
async def add_session(request: Request, event_id: int, session: DB, actor: CurrentActor) -> Response:
    """Add a meetings or pitch session (its times read in the event's zone)."""
    zone = events.get_event(session, event_id).timezone

    def action(form: Any) -> None:
        parser = Parser()
        starts = parser.local_datetime("starts_at", str(form.get("starts_at", "")), zone)
        ends = parser.local_datetime("ends_at", str(form.get("ends_at", "")), zone)
        tables = parser.integer("tables", str(form.get("tables", "")), optional=True)
        parser.check()
        events.add_session(session, event_id, actor=actor, name=str(form.get("name", "")), starts_at=starts,
                           ends_at=ends, kind=str(form.get("kind", "meetings")), tables=tables,
                           room=str(form.get("room", "")))

    return await _organiser_action(request, session, event_id, actor, action)


@router.post("/matchmaking/events/{event_id}/sessions/{session_id}/delete")
async def delete_session(request: Request, event_id: int, session_id: int, session: DB, actor: CurrentActor) -> Response:
    """Remove a session."""
    return await _organiser_action(request, session, event_id, actor,
                                   lambda form: events.remove_session(session, event_id, session_id, actor=actor))


@router.post("/matchmaking/events/{event_id}/breaks")
async def add_break(request: Request, event_id: int, session: DB, actor: CurrentActor) -> Response:
    """Add a break."""
    zone = events.get_event(session, event_id).timezone

    def action(form: Any) -> None:
        parser = Parser()
        starts = parser.local_datetime("break_starts_at", str(form.get("break_starts_at", "")), zone)
        ends = parser.local_datetime("break_ends_at", str(form.get("break_ends_at", "")), zone)
        parser.check()
        with renamed_fields({"starts_at": "break_starts_at", "ends_at": "break_ends_at"}):
            events.add_break(session, event_id, actor=actor, label=str(form.get("label", "")), starts_at=starts,
                             ends_at=ends)

    return await _organiser_action(request, session, event_id, actor, action)


@router.post("/matchmaking/events/{event_id}/breaks/{break_id}/delete")
async def delete_break(request: Request, event_id: int, break_id: int, session: DB, actor: CurrentActor) -> Response:
    """Remove a break."""
    return await _organiser_action(request, session, event_id, actor,
                                   lambda form: events.remove_break(session, event_id, break_id, actor=actor))


@router.post("/matchmaking/events/{event_id}/groups")
async def add_group(request: Request, event_id: int, session: DB, actor: CurrentActor) -> Response:
    """Add a registration group."""
    def action(form: Any) -> None:
        with renamed_fields({"name": "group_name"}):
            events.add_group(session, event_id, actor=actor, code=str(form.get("code", "")),
                             name=str(form.get("group_name", "")), may_meet=split_list(str(form.get("may_meet", ""))))

    return await _organiser_action(request, session, event_id, actor, action)


@router.post("/matchmaking/events/{event_id}/pitches")
async def add_pitch(request: Request, event_id: int, session: DB, actor: CurrentActor) -> Response:
    """Give a startup a turn in a pitch session."""
    zone = events.get_event(session, event_id).timezone

    def action(form: Any) -> None:
        parser = Parser()
        starts = parser.local_datetime("pitch_starts_at", str(form.get("pitch_starts_at", "")), zone)
        minutes = parser.integer("minutes", str(form.get("minutes", "")))
        org_id = parser.integer("org_id", str(form.get("org_id", "")))
        session_id = parser.integer("session_id", str(form.get("session_id", "")))
        parser.check()
        with renamed_fields({"title": "pitch_title", "starts_at": "pitch_starts_at"}):
            pitches.add_pitch(session, event_id, session_id or 0, actor=actor, org_id=org_id or 0,
                              title=str(form.get("pitch_title", "")), starts_at=starts, minutes=minutes or 0)

    return await _organiser_action(request, session, event_id, actor, action)


@router.post("/matchmaking/events/{event_id}/phase")
def change_phase(event_id: int, session: DB, actor: CurrentActor, to: str = Form("")) -> Response:
    """Move the event to another phase."""
    with unit_of_work(session):
        phases.advance_phase(session, event_id, actor=actor, to=to)
    return RedirectResponse(f"/matchmaking/events/{event_id}?flash=phase_changed", status_code=303)


def _registration_context(session: Session, event: Event, actor: Actor, values: dict[str, Any],
                          errors: dict[str, str]) -> dict[str, Any]:
    return {"event": event, "values": values, "errors": errors, "slots": events.slots_of(session, event.id),
            "groups": list(session.scalars(select(RegistrationGroup).where(RegistrationGroup.event_id == event.id))),
            "mine": participation.registration_of(session, event.id, actor.user_id)}


@router.get("/matchmaking/events/{event_id}/register", response_class=HTMLResponse)
def registration_form(request: Request, event_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """Register (or change one's registration): group, attendance, meeting cap, availability, pitch."""
    require(actor, "matchmaking.participate")
    event = events.get_event(session, event_id)
    mine = participation.registration_of(session, event.id, actor.user_id)
    starts = set(mine.unavailable) if mine else set()
    values = {"attendance": mine.attendance if mine else "", "max_meetings": mine.max_meetings if mine else "",
              "pitch": mine.pitch if mine else "",
              "unavailable": {s.id for s in events.slots_of(session, event.id) if s.starts_at.isoformat() in starts}}
    return render(request, "matchmaking/register.html", _registration_context(session, event, actor, values, {}))


@router.post("/matchmaking/events/{event_id}/unregister")
def unregister(event_id: int, session: DB, actor: CurrentActor) -> Response:
    """Leave the event (open requests and future meetings are cancelled; the other side is told)."""
    mine = participation.registration_of(session, event_id, actor.user_id)
    if mine is not None:
        with unit_of_work(session):
            participation.withdraw_registration(session, mine.id, actor=actor)
    return RedirectResponse(f"/matchmaking/events/{event_id}?flash=you_left_the_event", status_code=303)


@router.post("/matchmaking/events/{event_id}/register")
async def register(request: Request, event_id: int, session: DB, actor: CurrentActor) -> Response:
    """Save a registration (new or changed)."""
    form = await request.form()
    event = events.get_event(session, event_id)
    unavailable = [int(str(v)) for v in form.getlist("unavailable") if str(v).isdigit()]
    attendance, cap_text = str(form.get("attendance", "")), str(form.get("max_meetings", ""))
    pitch, group = str(form.get("pitch", "")), str(form.get("group", ""))
    values = {"attendance": attendance, "max_meetings": cap_text, "pitch": pitch, "group": group,
              "unavailable": set(unavailable)}
    try:
        with unit_of_work(session):
            parser = Parser()
            cap = parser.integer("max_meetings", cap_text, optional=True)
            parser.check()
            mine = participation.registration_of(session, event.id, actor.user_id)
            if mine is None:
                participation.register(session, event.id, actor=actor, group_code=group or None,
                                       attendance=attendance or None, max_meetings=cap,
                                       unavailable_slot_ids=unavailable, pitch=pitch)
            else:
                participation.update_registration(session, mine.id, actor=actor, attendance=attendance or None,
                                                  max_meetings=cap, unavailable_slot_ids=unavailable, pitch=pitch)
    except DomainError as exc:
        if is_access_error(exc):
            raise
        return render(request, "matchmaking/register.html",
                      _registration_context(session, event, actor, values, field_errors(exc)), 422)
    return RedirectResponse(f"/matchmaking/events/{event_id}/participants?flash=registered", status_code=303)
