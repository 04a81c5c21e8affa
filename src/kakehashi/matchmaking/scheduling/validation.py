"""Semantic checks on a parsed instance: references, duplicates and infeasible pinned meetings."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import timedelta

from .errors import SchedulingInputError
from .model import ExistingMeeting, Instance


def validate(instance: Instance) -> None:
    """Raise `SchedulingInputError` for the first item that makes the instance unusable."""
    _check_slots(instance)
    slot_ids = {s.id for s in instance.slots}
    people = _check_participants(instance, slot_ids)
    pairs = _check_requests(instance, people)
    _check_existing(instance, people, pairs)
    if instance.move_penalty < 0:
        raise SchedulingInputError("move_penalty", "bad_value", "move_penalty must be >= 0")


def _check_slots(instance: Instance) -> None:
    seen: dict[str, int] = {}
    for i, slot in enumerate(instance.slots):
        if slot.id in seen:
            raise SchedulingInputError(f"slots[{i}].id", "duplicate_id", f"slot '{slot.id}' repeats slots[{seen[slot.id]}]")
        seen[slot.id] = i
        end = slot.start + timedelta(minutes=slot.minutes)
        before = instance.event_start is not None and slot.start < instance.event_start
        after = instance.event_end is not None and end > instance.event_end
        if before or after:
            raise SchedulingInputError(f"slots[{i}].start", "slot_outside_event", f"slot '{slot.id}' lies outside the event")
    order = sorted(range(len(instance.slots)), key=lambda k: instance.slots[k].start)
    for prev, cur in itertools.pairwise(order):
        first, second = instance.slots[prev], instance.slots[cur]
        if first.start + timedelta(minutes=first.minutes) > second.start:
            # Overlapping slots would let one person sit in two meetings at once.
            raise SchedulingInputError(
                f"slots[{cur}].start",
                "overlapping_slots",
                f"slot '{second.id}' overlaps slot '{first.id}'",
            )


def _check_participants(instance: Instance, slot_ids: set[str]) -> dict[str, int]:
    people: dict[str, int] = {}
    for i, person in enumerate(instance.participants):
        if person.id in people:
            raise SchedulingInputError(
                f"participants[{i}].id",
                "duplicate_id",
                f"participant '{person.id}' repeats participants[{people[person.id]}]",
            )
        people[person.id] = i
        for j, slot in enumerate(person.available or ()):
            if slot not in slot_ids:
                raise SchedulingInputError(f"participants[{i}].available[{j}]", "unknown_slot", f"no slot '{slot}'")
    return people


def _check_requests(instance: Instance, people: dict[str, int]) -> dict[frozenset[str], int]:
    pairs: dict[frozenset[str], int] = {}
    for i, req in enumerate(instance.requests):
        _check_pair(f"requests[{i}]", req.a, req.b, people)
        pair = frozenset((req.a, req.b))
        if pair in pairs:
            raise SchedulingInputError(
                f"requests[{i}]",
                "duplicate_pair",
                f"{req.a}–{req.b} repeats requests[{pairs[pair]}] (a-b and b-a are the same pair)",
            )
        pairs[pair] = i
    return pairs


def _check_pair(path: str, a: str, b: str, people: dict[str, int]) -> None:
    for end, pid in (("a", a), ("b", b)):
        if pid not in people:
            raise SchedulingInputError(f"{path}.{end}", "unknown_participant", f"no participant '{pid}'")
    if a == b:
        raise SchedulingInputError(f"{path}.b", "self_request", f"'{a}' cannot meet themself")


def _check_existing(instance: Instance, people: dict[str, int], pairs: dict[frozenset[str], int]) -> None:
    slots = {s.id: s for s in instance.slots}
    seen_pairs: dict[frozenset[str], int] = {}
    busy: dict[tuple[str, str], int] = {}
    tables: dict[tuple[str, int], int] = {}
    for i, meeting in enumerate(instance.existing):
        path = f"existing[{i}]"
        _check_pair(path, meeting.a, meeting.b, people)
        if meeting.slot not in slots:
            raise SchedulingInputError(f"{path}.slot", "unknown_slot", f"no slot '{meeting.slot}'")
        pair = frozenset((meeting.a, meeting.b))
        if pair in seen_pairs:
            raise SchedulingInputError(path, "duplicate_pair", f"repeats existing[{seen_pairs[pair]}]")
        seen_pairs[pair] = i
        limit = slots[meeting.slot].tables
        # Tables may have been removed since: an unpinned meeting then just gets another table.
        if meeting.pinned and meeting.table is not None and limit is not None and meeting.table > limit:
            raise SchedulingInputError(f"{path}.table", "bad_table", f"slot '{meeting.slot}' has only {limit} tables")
        if meeting.table is not None:
            key = (meeting.slot, meeting.table)
            if key in tables:
                raise SchedulingInputError(f"{path}.table", "table_taken", f"same table as existing[{tables[key]}]")
            tables[key] = i
        for pid in (meeting.a, meeting.b):
            if (pid, meeting.slot) in busy:
                raise SchedulingInputError(
                    path,
                    "double_booked",
                    f"'{pid}' also meets in slot '{meeting.slot}' in existing[{busy[pid, meeting.slot]}]",
                )
            busy[pid, meeting.slot] = i
        if meeting.pinned:
            _check_pinned(instance, path, meeting, people, pairs)
    _check_pinned_totals(instance)


def _check_pinned(
    instance: Instance,
    path: str,
    meeting: ExistingMeeting,
    people: dict[str, int],
    pairs: dict[frozenset[str], int],
) -> None:
    if frozenset((meeting.a, meeting.b)) not in pairs:
        raise SchedulingInputError(path, "pinned_without_request", "a pinned meeting needs a matching request")
    for end, pid in (("a", meeting.a), ("b", meeting.b)):
        available = instance.participants[people[pid]].available
        if available is not None and meeting.slot not in available:
            raise SchedulingInputError(
                f"{path}.{end}",
                "unavailable_slot",
                f"pinned meeting puts '{pid}' in slot '{meeting.slot}', where they are unavailable",
            )


def _check_pinned_totals(instance: Instance) -> None:
    pinned = [(i, m) for i, m in enumerate(instance.existing) if m.pinned]
    per_person: Counter[str] = Counter()
    per_slot: Counter[str] = Counter()
    caps = {p.id: p.max_meetings for p in instance.participants}
    limits = {s.id: s.tables for s in instance.slots}
    for i, meeting in pinned:
        per_slot[meeting.slot] += 1
        limit = limits[meeting.slot]
        if limit is not None and per_slot[meeting.slot] > limit:
            raise SchedulingInputError(
                f"existing[{i}].slot", "tables_full", f"pinned meetings exceed slot '{meeting.slot}' tables"
            )
        for end, pid in (("a", meeting.a), ("b", meeting.b)):
            per_person[pid] += 1
            cap = caps[pid]
            if cap is not None and per_person[pid] > cap:
                raise SchedulingInputError(
                    f"existing[{i}].{end}",
                    "over_max_meetings",
                    f"pinned meetings exceed max_meetings of '{pid}'",
                )
