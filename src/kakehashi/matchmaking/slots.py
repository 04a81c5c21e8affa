"""Slot planning: cut meetings sessions into slots of equal length, skipping breaks (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PlannedSlot:
    """A slot to create: which session, when, how long, how many tables (None: video rooms)."""

    session_id: int
    starts_at: dt.datetime
    minutes: int
    tables: int | None


def plan_slots(
    sessions: list[tuple[int, dt.datetime, dt.datetime, int | None]],
    breaks: list[tuple[dt.datetime, dt.datetime]],
    minutes: int,
) -> list[PlannedSlot]:
    """Consecutive slots of `minutes` filling each session; a slot overlapping a break starts after it.

    Sessions that overlap each other yield each start time once (the first session listed wins), so a
    person can never be placed twice at the same moment.
    """
    length = dt.timedelta(minutes=minutes)
    planned: list[PlannedSlot] = []
    taken: list[tuple[dt.datetime, dt.datetime]] = []
    for session_id, start, end, tables in sorted(sessions, key=lambda s: (s[1], s[0])):
        cursor = start
        while cursor + length <= end:
            blocker = _first_overlap(cursor, cursor + length, [*breaks, *taken])
            if blocker is not None:
                cursor = max(cursor + dt.timedelta(minutes=1), blocker)
                continue
            planned.append(PlannedSlot(session_id, cursor, minutes, tables))
            cursor += length
        taken.extend((p.starts_at, p.starts_at + length) for p in planned if p.session_id == session_id)
    return sorted(planned, key=lambda p: p.starts_at)


def _first_overlap(start: dt.datetime, end: dt.datetime,
                   spans: list[tuple[dt.datetime, dt.datetime]]) -> dt.datetime | None:
    """The end of the latest span overlapping [start, end), or None."""
    ends = [span_end for span_start, span_end in spans if span_start < end and start < span_end]
    return max(ends) if ends else None
