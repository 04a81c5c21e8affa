"""Event set-up use cases: create and edit an event, sessions, breaks, groups, slots, and its phases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kakehashi.kernel import audit
from kakehashi.kernel.authz import Actor, require
from kakehashi.kernel.clock import ZONES, utcnow
from kakehashi.kernel.errors import Conflict, ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.matchmaking.errors import MatchmakingNotFound
from kakehashi.matchmaking.models import Event, EventBreak, EventSession, Meeting, RegistrationGroup, Slot
from kakehashi.matchmaking.models.event import EventFormat, Phase, SessionKind
from kakehashi.matchmaking.slots import plan_slots

MAX_EVENT_DAYS = 14


@dataclass(frozen=True)
class EventSpec:
    """What an organiser fills in for an event; times are aware datetimes."""

    title: str
    format: str
    timezone: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    slot_minutes: int = 30
    max_meetings: int = 8
    request_hours: int = 72
    description: str = ""
    venue: str = ""
    video_base_url: str = ""

    def check(self) -> None:
        """Raise ValidationFailed naming every bad field."""
        errors: dict[str, str] = {}
        if not self.title.strip() or len(self.title) > 200:
            errors["title"] = N_("A title of 1 to 200 characters is required.")
        if self.format not in EventFormat.__members__.values():
            errors["format"] = N_("Choose physical, virtual or hybrid.")
        if self.timezone not in ZONES:
            errors["timezone"] = N_("Choose JST or IST.")
        if self.ends_at <= self.starts_at:
            errors["ends_at"] = N_("The end must come after the start.")
        elif self.ends_at - self.starts_at > dt.timedelta(days=MAX_EVENT_DAYS):
            errors["ends_at"] = N_("An event lasts at most 14 days.")
        if not 5 <= self.slot_minutes <= 240:
            errors["slot_minutes"] = N_("A slot lasts 5 to 240 minutes.")
        if not 1 <= self.max_meetings <= 100:
            errors["max_meetings"] = N_("Between 1 and 100 meetings per participant.")
        if not 1 <= self.request_hours <= 24 * 30:
            errors["request_hours"] = N_("Requests expire after 1 hour to 30 days.")
        if self.video_base_url and not self.video_base_url.startswith(("https://", "http://")):
            errors["video_base_url"] = N_("A web address starting with https://.")
        if len(self.venue) > 300 or len(self.description) > 10_000:
            errors["venue" if len(self.venue) > 300 else "description"] = N_("Too long.")
        if errors:
            raise ValidationFailed(errors)


def get_event(session: Session, event_id: int) -> Event:
    """An event by id, or MatchmakingNotFound."""
    event = session.get(Event, event_id)
    if event is None:
        raise MatchmakingNotFound(N_("No such event."))
    return event


def require_organiser(actor: Actor, event: Event) -> None:
    """Only the event's organisers (its organising organisation's admins, officers, programme managers)."""
    require(actor, "matchmaking.event.organise", org_id=event.organiser_org_id)


def create_event(session: Session, spec: EventSpec, *, actor: Actor, organiser_org_id: int | None = None) -> Event:
    """A new event in the draft phase; an organisation admin organises for their own organisation."""
    org_id = organiser_org_id if organiser_org_id is not None else actor.org_id
    require(actor, "matchmaking.event.organise", org_id=org_id)
    spec.check()
    event = Event(organiser_org_id=org_id, created_by=actor.user_id, created_at=utcnow(), phase=Phase.DRAFT.value)
    _apply(event, spec)
    session.add(event)
    session.flush()
    audit.record(session, actor, "matchmaking.event.created", target_type="matchmaking_event", target_id=event.id,
                 details={"title": event.title})
    return event


def update_event(session: Session, event_id: int, spec: EventSpec, *, actor: Actor) -> Event:
    """Edit an event; timing changes rebuild the slots (refused once meetings are scheduled)."""
    event = get_event(session, event_id)
    require_organiser(actor, event)
    spec.check()
    timing_changed = (event.starts_at, event.ends_at, event.slot_minutes, event.format) != (
        spec.starts_at, spec.ends_at, spec.slot_minutes, spec.format)
    _apply(event, spec)
    if timing_changed:
        _check_sessions_inside(session, event)
        rebuild_slots(session, event)
    audit.record(session, actor, "matchmaking.event.updated", target_type="matchmaking_event", target_id=event.id)
    return event


def _apply(event: Event, spec: EventSpec) -> None:
    event.title, event.description, event.format = spec.title.strip(), spec.description, spec.format
    event.venue, event.timezone = spec.venue.strip(), spec.timezone
    event.starts_at, event.ends_at = spec.starts_at.astimezone(dt.UTC), spec.ends_at.astimezone(dt.UTC)
    event.slot_minutes, event.max_meetings, event.request_hours = spec.slot_minutes, spec.max_meetings, spec.request_hours
    event.video_base_url = spec.video_base_url.strip().rstrip("/")


def _check_sessions_inside(session: Session, event: Event) -> None:
    for item in session.scalars(select(EventSession).where(EventSession.event_id == event.id)):
        if item.starts_at < event.starts_at or item.ends_at > event.ends_at:
            raise ValidationFailed({"starts_at": N_("A session would fall outside the event; move it first.")})


def add_session(
    session: Session, event_id: int, *, actor: Actor, name: str, starts_at: dt.datetime, ends_at: dt.datetime,
    kind: str = SessionKind.MEETINGS.value, tables: int | None = None, room: str = "",
) -> EventSession:
    """Add a meetings or pitch session; meetings sessions need tables unless the event is virtual."""
    event = get_event(session, event_id)
    require_organiser(actor, event)
    errors: dict[str, str] = {}
    if not name.strip() or len(name) > 200:
        errors["name"] = N_("A name of 1 to 200 characters is required.")
    if kind not in SessionKind.__members__.values():
        errors["kind"] = N_("Choose meetings or pitch.")
    if ends_at <= starts_at:
        errors["ends_at"] = N_("The end must come after the start.")
    elif starts_at < event.starts_at or ends_at > event.ends_at:
        errors["starts_at"] = N_("The session must lie within the event.")
    if kind == SessionKind.MEETINGS and event.has_tables and (tables is None or not 1 <= tables <= 2000):
        errors["tables"] = N_("Number of tables: 1 to 2000.")
    if errors:
        raise ValidationFailed(errors)
    item = EventSession(event_id=event.id, name=name.strip(), kind=kind, starts_at=starts_at.astimezone(dt.UTC),
                        ends_at=ends_at.astimezone(dt.UTC), room=room.strip()[:200],
                        tables=tables if event.has_tables and kind == SessionKind.MEETINGS else None)
    session.add(item)
    session.flush()
    if kind == SessionKind.MEETINGS:
        rebuild_slots(session, event)
    return item


def remove_session(session: Session, event_id: int, session_id: int, *, actor: Actor) -> None:
    """Remove a session (and its slots, while no meeting is scheduled)."""
    event = get_event(session, event_id)
    require_organiser(actor, event)
    item = session.get(EventSession, session_id)
    if item is None or item.event_id != event.id:
        raise MatchmakingNotFound(N_("No such session."))
    _refuse_when_scheduled(session, event)
    session.execute(delete(Slot).where(Slot.session_id == item.id))
    session.delete(item)
    session.flush()
    rebuild_slots(session, event)


def add_break(session: Session, event_id: int, *, actor: Actor, label: str, starts_at: dt.datetime,
              ends_at: dt.datetime) -> EventBreak:
    """A pause in which no meeting is placed."""
    event = get_event(session, event_id)
    require_organiser(actor, event)
    if not label.strip():
        raise ValidationFailed({"label": N_("Give the break a name.")})
    if ends_at <= starts_at:
        raise ValidationFailed({"ends_at": N_("The end must come after the start.")})
    item = EventBreak(event_id=event.id, label=label.strip()[:200], starts_at=starts_at.astimezone(dt.UTC),
                      ends_at=ends_at.astimezone(dt.UTC))
    session.add(item)
    session.flush()
    rebuild_slots(session, event)
    return item


def remove_break(session: Session, event_id: int, break_id: int, *, actor: Actor) -> None:
    """Remove a break; the slots it blocked come back."""
    event = get_event(session, event_id)
    require_organiser(actor, event)
    item = session.get(EventBreak, break_id)
    if item is None or item.event_id != event.id:
        raise MatchmakingNotFound(N_("No such break."))
    session.delete(item)
    session.flush()
    rebuild_slots(session, event)


def add_group(session: Session, event_id: int, *, actor: Actor, code: str, name: str,
              may_meet: list[str]) -> RegistrationGroup:
    """A registration group; `may_meet` lists the group codes its members may request (empty: any)."""
    event = get_event(session, event_id)
    require_organiser(actor, event)
    code = code.strip().lower()
    if not code.replace("_", "").replace("-", "").isalnum() or len(code) > 40:
        raise ValidationFailed({"code": N_("Use letters, digits, - or _ (at most 40).")})
    if not name.strip():
        raise ValidationFailed({"name": N_("A name is required.")})
    exists = session.scalar(select(RegistrationGroup.id).where(RegistrationGroup.event_id == event.id,
                                                               RegistrationGroup.code == code))
    if exists is not None:
        raise Conflict(N_("This event already has a group with that code."), field="code")
    group = RegistrationGroup(event_id=event.id, code=code, name=name.strip()[:200],
                              may_meet=sorted({m.strip().lower() for m in may_meet if m.strip()}))
    session.add(group)
    session.flush()
    return group


def rebuild_slots(session: Session, event: Event) -> list[Slot]:
    """Derive the slots from the meetings sessions, breaks and slot length (refused once meetings exist)."""
    sessions = list(session.scalars(select(EventSession).where(
        EventSession.event_id == event.id, EventSession.kind == SessionKind.MEETINGS.value)))
    breaks = list(session.scalars(select(EventBreak).where(EventBreak.event_id == event.id)))
    planned = plan_slots([(s.id, s.starts_at, s.ends_at, s.tables) for s in sessions],
                         [(b.starts_at, b.ends_at) for b in breaks], event.slot_minutes)
    current = {(s.session_id, s.starts_at, s.minutes, s.tables) for s in slots_of(session, event.id)}
    if current == {(p.session_id, p.starts_at, p.minutes, p.tables) for p in planned}:
        return slots_of(session, event.id)
    _refuse_when_scheduled(session, event)
    session.execute(delete(Slot).where(Slot.event_id == event.id))
    slots = [Slot(event_id=event.id, session_id=p.session_id, starts_at=p.starts_at, minutes=p.minutes,
                  tables=p.tables) for p in planned]
    session.add_all(slots)
    session.flush()
    return slots


def _refuse_when_scheduled(session: Session, event: Event) -> None:
    count = session.scalar(select(func.count()).select_from(Meeting).where(Meeting.event_id == event.id)) or 0
    if count:
        raise Conflict(N_("Meetings are already scheduled: the slots can no longer change."), code="scheduled")


def slots_of(session: Session, event_id: int) -> list[Slot]:
    """The event's slots in time order."""
    return list(session.scalars(select(Slot).where(Slot.event_id == event_id).order_by(Slot.starts_at)))
