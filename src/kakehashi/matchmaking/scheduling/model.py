"""Typed value objects for scheduler instances and schedules (the documented JSON, parsed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

KINDS = ("must", "mutual", "one_sided")
#: Weight used when a request gives none: must-meet > mutual > one-sided.
DEFAULT_WEIGHTS = {"must": 10.0, "mutual": 3.0, "one_sided": 1.0}
#: Cost of moving or dropping a meeting of the previous schedule in a re-solve.
DEFAULT_MOVE_PENALTY = 5.0


@dataclass(frozen=True, slots=True)
class Slot:
    """A meeting slot; `tables` is None for a virtual slot with unlimited rooms."""

    id: str
    start: datetime
    minutes: int
    tables: int | None


@dataclass(frozen=True, slots=True)
class Participant:
    """A person taking meetings; `available` None means every slot, `max_meetings` None no cap."""

    id: str
    side: str
    available: tuple[str, ...] | None
    max_meetings: int | None


@dataclass(frozen=True, slots=True)
class Request:
    """An accepted request for one 1:1 meeting between `a` and `b`."""

    a: str
    b: str
    weight: float
    kind: str


@dataclass(frozen=True, slots=True)
class ExistingMeeting:
    """A meeting of the previous schedule; `pinned` ones must stay exactly where they are."""

    a: str
    b: str
    slot: str
    table: int | None
    pinned: bool = False


@dataclass(frozen=True, slots=True)
class Instance:
    """A whole scheduling problem as exported by an event."""

    slots: tuple[Slot, ...]
    participants: tuple[Participant, ...]
    requests: tuple[Request, ...]
    existing: tuple[ExistingMeeting, ...] = ()
    event_start: datetime | None = None
    event_end: datetime | None = None
    move_penalty: float = DEFAULT_MOVE_PENALTY


@dataclass(frozen=True, slots=True)
class Meeting:
    """One scheduled meeting: a pair at a slot and a table (or virtual room) number."""

    a: str
    b: str
    slot: str
    table: int


@dataclass(frozen=True, slots=True)
class Unscheduled:
    """A request left out of the schedule and why."""

    a: str
    b: str
    weight: float
    reason: str
    detail: str = ""


@dataclass(slots=True)
class Schedule:
    """A solver result: feasible meetings, their value, and the proven upper bound."""

    meetings: list[Meeting]
    objective: float
    upper_bound: float
    bound_kind: str
    status: str
    seconds: float
    idle_gaps: int = 0
    moved: int = 0
    dropped: int = 0
    cancelled: int = 0
    unscheduled: list[Unscheduled] = field(default_factory=list)
    bounds: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        """Share of the upper bound achieved (1.0 when the bound is zero)."""
        return self.objective / self.upper_bound if self.upper_bound > 0 else 1.0
