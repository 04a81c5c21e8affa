"""Pitch sessions within events: startups take turns on stage in front of the investors present."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.kernel.authz import Actor
from kakehashi.kernel.errors import ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.matchmaking.errors import MatchmakingNotFound
from kakehashi.matchmaking.events import get_event, require_organiser
from kakehashi.matchmaking.models import EventSession, PitchSlot, StartupProfile
from kakehashi.matchmaking.models.event import SessionKind


def add_pitch(session: Session, event_id: int, session_id: int, *, actor: Actor, org_id: int, title: str,
              starts_at: dt.datetime, minutes: int) -> PitchSlot:
    """Give a startup (with a startup profile) a turn in a pitch session; turns never overlap."""
    event = get_event(session, event_id)
    require_organiser(actor, event)
    block = session.get(EventSession, session_id)
    if block is None or block.event_id != event.id or block.kind != SessionKind.PITCH:
        raise MatchmakingNotFound(N_("No such pitch session."))
    errors: dict[str, str] = {}
    if session.scalar(select(StartupProfile.id).where(StartupProfile.org_id == org_id)) is None:
        errors["org_id"] = N_("Only startups with a startup profile can pitch.")
    if not title.strip() or len(title) > 200:
        errors["title"] = N_("A title of 1 to 200 characters is required.")
    end = starts_at + dt.timedelta(minutes=minutes)
    if not 1 <= minutes <= 60 or starts_at < block.starts_at or end > block.ends_at:
        errors["starts_at"] = N_("The pitch must fit inside its session.")
    for other in pitches_of(session, block.id):
        if other.starts_at < end and starts_at < other.starts_at + dt.timedelta(minutes=other.minutes):
            errors["starts_at"] = N_("Another pitch is on stage then.")
        if other.org_id == org_id:
            errors["org_id"] = N_("This startup already pitches in this session.")
    if errors:
        raise ValidationFailed(errors)
    pitch = PitchSlot(session_id=block.id, org_id=org_id, title=title.strip(), starts_at=starts_at.astimezone(dt.UTC),
                      minutes=minutes)
    session.add(pitch)
    session.flush()
    return pitch


def pitches_of(session: Session, session_id: int) -> list[PitchSlot]:
    """The turns of a pitch session in order."""
    return list(session.scalars(select(PitchSlot).where(PitchSlot.session_id == session_id)
                                .order_by(PitchSlot.starts_at)))
