"""Organiser pages: run the scheduler, import/export its JSON, late changes, and the dashboard with charts."""

from __future__ import annotations

import json
from typing import Any

import orjson
from fastapi import APIRouter, Form, Request, UploadFile
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kakehashi.kernel.authz import Actor
from kakehashi.kernel.errors import DomainError, NotFound
from kakehashi.kernel.i18n import N_
from kakehashi.matchmaking import charts, dashboard, events, participation, planning, queries
from kakehashi.matchmaking.models import Event
from kakehashi.matchmaking.models.meeting import RequestKind
from kakehashi.matchmaking.scheduling import SchedulingInputError
from kakehashi.matchmaking.web.forms import field_errors, is_access_error, unit_of_work
from kakehashi.web.deps import DB, CurrentActor
from kakehashi.web.i18n import fmt_datetime
from kakehashi.web.i18n import gettext as _
from kakehashi.web.templating import render

router = APIRouter()
MAX_TIME_LIMIT = 60.0
MAX_IMPORT_BYTES = 20 * 1024 * 1024


def _organised(session: Session, event_id: int, actor: Actor) -> Event:
    event = events.get_event(session, event_id)
    events.require_organiser(actor, event)
    return event


def schedule_context(session: Session, event: Event, errors: dict[str, str] | None = None) -> dict[str, Any]:
    """The schedule page: the latest run against its bound, meetings by slot, requests to weigh."""
    people = {p.registration.id: p for p in queries.participants(session, event.id)}
    slots = events.slots_of(session, event.id)
    by_slot: dict[int, list[Any]] = {s.id: [] for s in slots}
    for meeting in planning.scheduled_meetings(session, event.id):
        by_slot.setdefault(meeting.slot_id, []).append(meeting)
    return {"event": event, "run": planning.latest_run(session, event.id), "slots": slots, "by_slot": by_slot,
            "people": people, "accepted": planning.accepted_requests(session, event.id),
            "kinds": [k.value for k in RequestKind], "errors": errors or {},
            "schedulable": event.phase in planning.SCHEDULABLE}


@router.get("/matchmaking/events/{event_id}/schedule", response_class=HTMLResponse)
def schedule_page(request: Request, event_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """Schedule and publish: value against the proven bound, the agenda by slot, import/export."""
    event = _organised(session, event_id, actor)
    return render(request, "matchmaking/schedule.html", schedule_context(session, event))


def _failed(request: Request, session: Session, event: Event, exc: DomainError) -> HTMLResponse:
    if is_access_error(exc):
        raise exc
    return render(request, "matchmaking/schedule.html", schedule_context(session, event, field_errors(exc)), 422)


@router.post("/matchmaking/events/{event_id}/schedule/solve")
def solve(request: Request, event_id: int, session: DB, actor: CurrentActor, time_limit: float = Form(10.0)) -> Response:
    """Run the scheduler (a re-solve keeps existing meetings where it can) and store the result."""
    event = _organised(session, event_id, actor)
    try:
        with unit_of_work(session):
            planning.solve_event(session, event.id, actor=actor, time_limit=min(max(time_limit, 0.5), MAX_TIME_LIMIT))
    except DomainError as exc:
        return _failed(request, session, event, exc)
    return RedirectResponse(f"/matchmaking/events/{event_id}/schedule?flash=schedule_stored", status_code=303)


@router.post("/matchmaking/events/{event_id}/schedule/import")
async def import_schedule(request: Request, event_id: int, session: DB, actor: CurrentActor,
                          file: UploadFile | None = None) -> Response:
    """Store a SCHEDULE JSON computed elsewhere (checked against the event first)."""
    event = _organised(session, event_id, actor)
    data = await file.read(MAX_IMPORT_BYTES + 1) if file is not None else b""
    try:
        if len(data) > MAX_IMPORT_BYTES:
            raise DomainError(_("The file is larger than the limit."), field="schedule")
        try:
            parsed = json.loads(data or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise DomainError(_("The file is not JSON."), field="schedule") from None
        with unit_of_work(session):
            planning.import_schedule(session, event.id, parsed, actor=actor)
    except SchedulingInputError as exc:
        return _failed(request, session, event, DomainError(exc.message, field="schedule"))
    except DomainError as exc:
        return _failed(request, session, event, exc)
    return RedirectResponse(f"/matchmaking/events/{event_id}/schedule?flash=schedule_imported", status_code=303)


def _json_download(data: dict[str, Any], name: str) -> Response:
    return Response(orjson.dumps(data, option=orjson.OPT_INDENT_2), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/matchmaking/events/{event_id}/instance.json")
def instance_json(event_id: int, session: DB, actor: CurrentActor) -> Response:
    """The event as the scheduler's INSTANCE JSON (for `kakehashi matchmaking schedule`)."""
    event = _organised(session, event_id, actor)
    return _json_download(planning.export_instance(session, event), f"event-{event.id}-instance.json")


@router.get("/matchmaking/events/{event_id}/schedule.json")
def schedule_json(event_id: int, session: DB, actor: CurrentActor) -> Response:
    """The current schedule as SCHEDULE JSON."""
    event = _organised(session, event_id, actor)
    return _json_download(planning.export_schedule(session, event), f"event-{event.id}-schedule.json")


@router.post("/matchmaking/events/{event_id}/late-request")
def late_request(request: Request, event_id: int, session: DB, actor: CurrentActor, a_id: str = Form(""),
                 b_id: str = Form(""), kind: str = Form("must")) -> Response:
    """Add an agreed meeting after requests closed; the next re-solve places it."""
    event = _organised(session, event_id, actor)
    try:
        with unit_of_work(session):
            participation.add_late_request(session, event.id, actor=actor, a_id=int(a_id or 0), b_id=int(b_id or 0),
                                           kind=kind)
    except (DomainError, ValueError) as exc:
        error = exc if isinstance(exc, DomainError) else DomainError(_("Choose two participants."), field="b_id")
        return _failed(request, session, event, error)
    return RedirectResponse(f"/matchmaking/events/{event_id}/schedule?flash=saved", status_code=303)


@router.get("/matchmaking/events/{event_id}/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, event_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """Requests, acceptance, value against the bound, no-shows and feedback, with charts."""
    event = _organised(session, event_id, actor)
    return render(request, "matchmaking/dashboard.html", {"event": event, "stats": dashboard.event_stats(session, event)})


@router.get("/matchmaking/events/{event_id}/charts/{name}.svg")
def chart(event_id: int, name: str, session: DB, actor: CurrentActor) -> Response:
    """One dashboard chart as SVG: `requests`, `slots` or `feedback`."""
    event = _organised(session, event_id, actor)
    stats = dashboard.event_stats(session, event)
    if name == "requests":
        keys = [k for k in dashboard.REQUEST_ORDER if stats.requests.get(k)]
        svg = charts.bar_chart([_(STATUS_LABELS[k]) for k in keys], [stats.requests[k] for k in keys], horizontal=True)
    elif name == "slots":
        svg = charts.bar_chart([fmt_datetime(s.starts_at, "short", tz=event.timezone) for s in stats.slots],
                               [s.meetings for s in stats.slots], limits=[s.tables for s in stats.slots])
    elif name == "feedback":
        svg = charts.bar_chart([_("Yes"), _("Maybe"), _("No")],
                               [stats.cooperation.get(k, 0) for k in ("yes", "maybe", "no")])
    else:
        raise NotFound(N_("No such chart."))
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=60"})


STATUS_LABELS = {"pending": N_("Pending"), "accepted": N_("Accepted"), "declined": N_("Declined"),
                 "expired": N_("Expired"), "withdrawn": N_("Withdrawn"), "cancelled": N_("Cancelled")}
