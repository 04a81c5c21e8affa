"""Matchmaking events for tests, built through the services (so the same rules hold as in the product)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from kakehashi.identity.models import User
from kakehashi.kernel.authz import Actor
from kakehashi.kernel.clock import JST
from kakehashi.matchmaking import events, participation, phases
from kakehashi.matchmaking.models import Event, MeetingRequest, Registration

DAY = dt.datetime(2031, 3, 10, tzinfo=JST)


def make_event(
    session: Session, organiser: User, *, fmt: str = "physical", tables: int | None = 4, slots: int = 4,
    minutes: int = 30, opened: bool = True, start: dt.datetime | None = None, max_meetings: int = 8,
) -> Event:
    """An event with one meetings session of `slots` slots (09:00 JST on a day in 2031), opened by default."""
    start = start or DAY.replace(hour=9)
    actor = organiser.actor()
    spec = events.EventSpec(title="Tokyo–Bengaluru Digital Partnering", format=fmt, timezone="Asia/Tokyo",
                            starts_at=start.replace(hour=8), ends_at=start.replace(hour=20), slot_minutes=minutes,
                            max_meetings=max_meetings, request_hours=48)
    event = events.create_event(session, spec, actor=actor)
    events.add_session(session, event.id, actor=actor, name="Morning meetings", starts_at=start,
                       ends_at=start + dt.timedelta(minutes=minutes * slots),
                       tables=None if fmt == "virtual" else tables)
    if opened:
        phases.advance_phase(session, event.id, actor=actor, to="open")
    return event


def register(session: Session, event: Event, user: User, **kwargs: object) -> Registration:
    """Register `user` in `event`."""
    return participation.register(session, event.id, actor=user.actor(), **kwargs)  # type: ignore[arg-type]


def agree(session: Session, event: Event, a: User, b: User, *, keen: bool = False) -> MeetingRequest:
    """`a` requests a meeting with `b` and `b` accepts."""
    theirs = participation.registration_of(session, event.id, b.id)
    assert theirs is not None
    request = participation.send_request(session, event.id, actor=a.actor(), recipient_id=theirs.id, message="Hello")
    return participation.accept_request(session, request.id, actor=b.actor(), keen=keen)


def actor(user: User) -> Actor:
    return user.actor()
