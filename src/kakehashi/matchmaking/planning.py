"""Scheduling in the product: export an event as the scheduler's INSTANCE, solve or import, store atomically.

Participants are `p<registration id>`, slots `s<slot id>` (see docs/scheduler-instance.md). A schedule is
written in one go: meetings that stay keep their row (and check-ins, video room), moved ones change slot
or table, dropped ones are removed, and the event's `schedule_version` guards against a concurrent write.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kakehashi.kernel import audit
from kakehashi.kernel.authz import Actor
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.i18n import N_
from kakehashi.kernel.notifications import notify
from kakehashi.matchmaking.errors import ScheduleRejected, ScheduleStale, WrongPhase
from kakehashi.matchmaking.events import get_event, require_organiser, slots_of
from kakehashi.matchmaking.models import Event, Meeting, MeetingRequest, Registration, ScheduleRun, Slot
from kakehashi.matchmaking.models.event import Phase
from kakehashi.matchmaking.models.meeting import Attendance, MeetingStatus, RequestStatus
from kakehashi.matchmaking.scheduling import DEFAULT_WEIGHTS, solve_json, verify_schedule

SCHEDULABLE = (Phase.REQUESTS_CLOSED.value, Phase.PROVISIONAL.value, Phase.FINAL.value)
DEFAULT_VIDEO_BASE = "https://meet.jit.si/kakehashi"


def slot_key(slot_id: int) -> str:
    return f"s{slot_id}"


def person_key(registration_id: int) -> str:
    return f"p{registration_id}"


def _ids(key: str, prefix: str) -> int | None:
    return int(key[1:]) if key.startswith(prefix) and key[1:].isdigit() else None


def active_registrations(session: Session, event_id: int) -> list[Registration]:
    """Registrations taking part (withdrawn ones are left out)."""
    return list(session.scalars(select(Registration).where(
        Registration.event_id == event_id, Registration.active.is_(True)).order_by(Registration.id)))


def accepted_requests(session: Session, event_id: int) -> list[MeetingRequest]:
    """Accepted requests between active participants: what the scheduler places."""
    active = {r.id for r in active_registrations(session, event_id)}
    rows = session.scalars(select(MeetingRequest).where(
        MeetingRequest.event_id == event_id, MeetingRequest.status == RequestStatus.ACCEPTED.value
    ).order_by(MeetingRequest.id))
    return [r for r in rows if r.requester_id in active and r.recipient_id in active]


def scheduled_meetings(session: Session, event_id: int) -> list[Meeting]:
    """The meetings of the current schedule (cancelled ones left out)."""
    return list(session.scalars(select(Meeting).where(
        Meeting.event_id == event_id, Meeting.status == MeetingStatus.SCHEDULED.value).order_by(Meeting.id)))


def export_instance(session: Session, event: Event, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """The event as the scheduler's INSTANCE JSON; the current schedule goes in `existing` (past ones pinned)."""
    now = now or utcnow()
    zone = ZoneInfo(event.timezone)
    slots = slots_of(session, event.id)
    start_of = {s.id: s.starts_at for s in slots}
    registrations = active_registrations(session, event.id)
    active = {reg.id for reg in registrations}
    requests = accepted_requests(session, event.id)
    pairs = {frozenset((r.requester_id, r.recipient_id)) for r in requests}
    existing: list[dict[str, Any]] = []
    pinned_slots: dict[int, set[int]] = {}
    for m in scheduled_meetings(session, event.id):
        if m.slot_id not in start_of or m.a_id not in active or m.b_id not in active:
            continue
        pinned = start_of[m.slot_id] <= now and frozenset((m.a_id, m.b_id)) in pairs  # the past cannot move
        existing.append({"a": person_key(m.a_id), "b": person_key(m.b_id), "slot": slot_key(m.slot_id),
                         "table": m.table_no, "pinned": pinned})
        for reg_id in (m.a_id, m.b_id) if pinned else ():
            pinned_slots.setdefault(reg_id, set()).add(m.slot_id)
    participants = []
    for reg in registrations:
        away = set(reg.unavailable)
        item: dict[str, Any] = {"id": person_key(reg.id), "side": reg.side,
                                "max_meetings": reg.max_meetings or event.max_meetings}
        if away:
            item["available"] = [slot_key(s.id) for s in slots if s.starts_at.isoformat() not in away
                                 or s.id in pinned_slots.get(reg.id, set())]
        participants.append(item)
    return {
        "event": {"id": event.id, "title": event.title, "start": event.starts_at.astimezone(zone).isoformat(),
                  "end": event.ends_at.astimezone(zone).isoformat()},
        "slots": [{"id": slot_key(s.id), "start": s.starts_at.astimezone(zone).isoformat(), "minutes": s.minutes,
                   "tables": s.tables} for s in slots],
        "participants": participants,
        "requests": [{"a": person_key(r.requester_id), "b": person_key(r.recipient_id), "kind": r.kind}
                     for r in requests],
        "existing": existing,
    }


def _check_schedulable(event: Event) -> None:
    if event.phase not in SCHEDULABLE:
        raise WrongPhase(N_("Close requests before scheduling."), field="phase")


def solve_event(session: Session, event_id: int, *, actor: Actor, time_limit: float = 10.0) -> ScheduleRun:
    """Run the scheduler on the event (keeping the current schedule where it can) and store the result."""
    event = get_event(session, event_id)
    require_organiser(actor, event)
    _check_schedulable(event)
    version = event.schedule_version
    result = solve_json(export_instance(session, event), time_limit=time_limit)
    return apply_schedule(session, event, result, actor=actor, source="solve", expected_version=version)


def import_schedule(session: Session, event_id: int, data: Any, *, actor: Actor) -> ScheduleRun:
    """Store a SCHEDULE JSON computed elsewhere (e.g. by the CLI) after checking every constraint."""
    event = get_event(session, event_id)
    require_organiser(actor, event)
    _check_schedulable(event)
    version = event.schedule_version
    meetings = _meeting_list(data)
    instance = export_instance(session, event)
    problems = verify_schedule(instance, {"meetings": meetings})
    if problems:
        raise ScheduleRejected(problems[0], field="schedule")
    kinds = {frozenset((r["a"], r["b"])): r["kind"] for r in instance["requests"]}
    objective = sum(DEFAULT_WEIGHTS[kinds[frozenset((m["a"], m["b"]))]] for m in meetings)
    result = {"meetings": meetings, "objective": objective, "upper_bound": None, "bound_kind": "",
              "status": "imported", "seconds": 0.0, "unscheduled": []}
    return apply_schedule(session, event, result, actor=actor, source="import", expected_version=version)


def _meeting_list(data: Any) -> list[dict[str, Any]]:
    raw = data.get("meetings") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        raise ScheduleRejected(N_("A schedule is a JSON object with a list of meetings."), field="schedule")
    meetings = []
    for i, item in enumerate(raw):
        ok = isinstance(item, dict) and all(isinstance(item.get(k), str) for k in ("a", "b", "slot"))
        if not ok or isinstance(item.get("table"), bool) or not isinstance(item.get("table"), int):
            raise ScheduleRejected(f"meetings[{i}]: a, b and slot are strings, table an integer", field="schedule")
        meetings.append({"a": item["a"], "b": item["b"], "slot": item["slot"], "table": item["table"]})
    return meetings


def apply_schedule(
    session: Session, event: Event, result: dict[str, Any], *, actor: Actor, source: str, expected_version: int,
) -> ScheduleRun:
    """Write a schedule atomically: all meetings change together or, on a concurrent write, none do."""
    bumped = session.execute(update(Event).where(Event.id == event.id, Event.schedule_version == expected_version)
                             .values(schedule_version=expected_version + 1))
    if not getattr(bumped, "rowcount", 0):
        raise ScheduleStale(N_("The schedule changed meanwhile; nothing was written. Try again."))
    session.refresh(event)
    requests: dict[frozenset[int | None], MeetingRequest] = {
        frozenset((r.requester_id, r.recipient_id)): r for r in accepted_requests(session, event.id)}
    slots = {s.id: s for s in slots_of(session, event.id)}
    current = {m.request_id: m for m in scheduled_meetings(session, event.id)}
    attendance = {r.id: r.attendance for r in active_registrations(session, event.id)}
    now = utcnow()
    touched: set[int] = set()
    kept: set[int] = set()
    for item in result["meetings"]:
        a, b, slot_id = _ids(item["a"], "p"), _ids(item["b"], "p"), _ids(item["slot"], "s")
        request = requests.get(frozenset((a, b)))
        if request is None or slot_id not in slots:
            raise ScheduleRejected(N_("The schedule names a meeting the event does not have."), field="schedule")
        meeting = current.get(request.id)
        if meeting is None:
            meeting = Meeting(event_id=event.id, request_id=request.id, a_id=request.requester_id,
                              b_id=request.recipient_id, created_at=now, slot_id=slot_id, table_no=item["table"])
            session.add(meeting)
            touched.update((meeting.a_id, meeting.b_id))
        elif (meeting.slot_id, meeting.table_no) != (slot_id, item["table"]):
            touched.update((meeting.a_id, meeting.b_id))
        meeting.slot_id, meeting.table_no, meeting.updated_at = slot_id, int(item["table"]), now
        meeting.video_url = meeting.video_url or _video_url(event, attendance, meeting, slots[slot_id])
        kept.add(request.id)
    for request_id, meeting in current.items():
        if request_id not in kept and slots[meeting.slot_id].starts_at > now:  # a meeting held stays on record
            touched.update((meeting.a_id, meeting.b_id))
            session.delete(meeting)
    run = _record_run(session, event, result, actor=actor, source=source, affected=len(touched))
    if event.phase == Phase.REQUESTS_CLOSED:
        event.phase = Phase.PROVISIONAL.value
    elif event.phase == Phase.FINAL:
        _tell_changed(session, event, touched)
    session.flush()
    return run


def _video_url(event: Event, attendance: dict[int, str], meeting: Meeting, slot: Slot) -> str:
    remote = slot.tables is None or Attendance.VIRTUAL.value in (attendance.get(meeting.a_id),
                                                                 attendance.get(meeting.b_id))
    if not event.has_video or not remote:
        return ""
    return f"{event.video_base_url or DEFAULT_VIDEO_BASE}-{event.id}-{secrets.token_urlsafe(9)}"


def _record_run(session: Session, event: Event, result: dict[str, Any], *, actor: Actor, source: str,
                affected: int) -> ScheduleRun:
    run = ScheduleRun(
        event_id=event.id, source=source, objective=float(result["objective"]),
        upper_bound=None if result.get("upper_bound") is None else float(result["upper_bound"]),
        bound_kind=str(result.get("bound_kind") or ""), status=str(result.get("status") or ""),
        seconds=float(result.get("seconds") or 0.0), meetings=len(result["meetings"]),
        moved=int(result.get("moved") or 0), dropped=int(result.get("dropped") or 0),
        unscheduled=list(result.get("unscheduled") or [])[:500], created_by=actor.user_id, created_at=utcnow(),
    )
    session.add(run)
    session.flush()
    audit.record(session, actor, "matchmaking.schedule.stored", target_type="matchmaking_event", target_id=event.id,
                 details={"run": run.id, "source": source, "meetings": run.meetings, "objective": run.objective,
                          "upper_bound": run.upper_bound, "people_affected": affected})
    return run


def _tell_changed(session: Session, event: Event, registration_ids: set[int]) -> None:
    for reg in session.scalars(select(Registration).where(Registration.id.in_(registration_ids))):
        notify(session, user_id=reg.user_id, kind="matchmaking.schedule.changed", title=N_("Your agenda changed"),
               body=N_("A late change moved meetings in your agenda for %(event)s."), params={"event": event.title},
               link=f"/matchmaking/agenda?event={event.id}")


def announce_schedule(session: Session, event: Event) -> int:
    """Tell everyone with a meeting that the agenda is final; returns how many were told."""
    people = {reg_id for m in scheduled_meetings(session, event.id) for reg_id in (m.a_id, m.b_id)}
    for reg in session.scalars(select(Registration).where(Registration.id.in_(people))):
        notify(session, user_id=reg.user_id, kind="matchmaking.schedule.final", title=N_("Your agenda is final"),
               body=N_("Your meetings for %(event)s are scheduled."), params={"event": event.title},
               link=f"/matchmaking/agenda?event={event.id}")
    return len(people)


def latest_run(session: Session, event_id: int) -> ScheduleRun | None:
    """The most recent schedule run of an event."""
    return session.scalar(select(ScheduleRun).where(ScheduleRun.event_id == event_id)
                          .order_by(ScheduleRun.id.desc()).limit(1))


def export_schedule(session: Session, event: Event) -> dict[str, Any]:
    """The current schedule as SCHEDULE JSON (with the latest run's figures)."""
    run = latest_run(session, event.id)
    slots = {s.id: s for s in slots_of(session, event.id)}
    meetings = sorted(scheduled_meetings(session, event.id), key=lambda m: (slots[m.slot_id].starts_at, m.table_no))
    return {
        "meetings": [{"a": person_key(m.a_id), "b": person_key(m.b_id), "slot": slot_key(m.slot_id),
                      "table": m.table_no} for m in meetings],
        "objective": run.objective if run else 0.0, "upper_bound": run.upper_bound if run else None,
        "ratio": run.ratio if run else None, "bound_kind": run.bound_kind if run else "",
        "status": run.status if run else "",
    }
