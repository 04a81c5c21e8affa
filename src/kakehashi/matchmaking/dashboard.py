"""The organiser's figures: requests and acceptance, value against the proven bound, no-shows, feedback."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kakehashi.kernel.clock import utcnow
from kakehashi.matchmaking.events import slots_of
from kakehashi.matchmaking.models import Event, Meeting, MeetingFeedback, MeetingRequest, Registration, ScheduleRun
from kakehashi.matchmaking.models.meeting import MeetingStatus, RequestStatus
from kakehashi.matchmaking.planning import latest_run


@dataclass(frozen=True)
class SlotLoad:
    """Meetings placed in one slot against its tables (None: video rooms)."""

    starts_at: dt.datetime
    meetings: int
    tables: int | None


@dataclass
class EventStats:
    """Everything the dashboard shows about one event."""

    registrations: int = 0
    by_side: dict[str, int] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    run: ScheduleRun | None = None
    meetings: int = 0
    past_meetings: int = 0
    held: int = 0
    no_shows: int = 0
    feedback: int = 0
    took_place: int = 0
    cooperation: dict[str, int] = field(default_factory=dict)
    slots: list[SlotLoad] = field(default_factory=list)

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted (incl. later cancelled) over all answered or expired requests."""
        yes = self.requests.get("accepted", 0) + self.requests.get("cancelled", 0)
        decided = yes + self.requests.get("declined", 0) + self.requests.get("expired", 0)
        return yes / decided if decided else None

    @property
    def bound_share(self) -> float | None:
        """The schedule's value as a share of the proven upper bound."""
        return self.run.ratio if self.run is not None else None

    @property
    def scheduled_share(self) -> float | None:
        """Accepted requests that got a meeting."""
        accepted = self.requests.get("accepted", 0)
        return self.meetings / accepted if accepted else None


def event_stats(session: Session, event: Event, *, now: dt.datetime | None = None) -> EventStats:
    """Compute the dashboard figures of an event."""
    now = now or utcnow()
    stats = EventStats(run=latest_run(session, event.id))
    sides = session.execute(select(Registration.side, func.count()).where(
        Registration.event_id == event.id, Registration.active.is_(True)).group_by(Registration.side))
    stats.by_side = {side: count for side, count in sides}
    stats.registrations = sum(stats.by_side.values())
    statuses = session.execute(select(MeetingRequest.status, func.count()).where(
        MeetingRequest.event_id == event.id).group_by(MeetingRequest.status))
    stats.requests = {status: count for status, count in statuses}
    slots = slots_of(session, event.id)
    start_of = {s.id: s.starts_at for s in slots}
    meetings = list(session.scalars(select(Meeting).where(
        Meeting.event_id == event.id, Meeting.status == MeetingStatus.SCHEDULED.value)))
    stats.meetings = len(meetings)
    per_slot = Counter(m.slot_id for m in meetings)
    stats.slots = [SlotLoad(s.starts_at, per_slot[s.id], s.tables) for s in slots]
    for meeting in meetings:
        if start_of.get(meeting.slot_id, now) >= now:
            continue
        stats.past_meetings += 1
        both = meeting.a_checked_in_at is not None and meeting.b_checked_in_at is not None
        stats.held += both
        stats.no_shows += not both
    _feedback(session, event, stats)
    return stats


def _feedback(session: Session, event: Event, stats: EventStats) -> None:
    rows = session.execute(select(MeetingFeedback.took_place, MeetingFeedback.cooperation)
                           .join(Meeting, Meeting.id == MeetingFeedback.meeting_id)
                           .where(Meeting.event_id == event.id))
    answers = Counter[str]()
    for took_place, cooperation in rows:
        stats.feedback += 1
        stats.took_place += took_place
        answers[cooperation] += 1
    stats.cooperation = {key: answers.get(key, 0) for key in ("yes", "maybe", "no")}


REQUEST_ORDER = tuple(status.value for status in RequestStatus)
