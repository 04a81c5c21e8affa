"""An independent checker: re-derive every constraint from the instance and test a schedule."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .model import Instance, Meeting, Schedule
from .parsing import parse_instance


def verify_schedule(instance: Instance | dict[str, Any], schedule: Schedule | dict[str, Any]) -> list[str]:
    """List every violated constraint (empty when the schedule is feasible and consistent)."""
    inst = instance if isinstance(instance, Instance) else parse_instance(instance)
    meetings, objective = _meetings(schedule)
    slots = {s.id: s for s in inst.slots}
    people = {p.id: p for p in inst.participants}
    weights = {frozenset((r.a, r.b)): r.weight for r in inst.requests}
    problems: list[str] = []
    seen_pairs: Counter[frozenset[str]] = Counter()
    per_person_slot: Counter[tuple[str, str]] = Counter()
    per_person: Counter[str] = Counter()
    per_slot: Counter[str] = Counter()
    tables: Counter[tuple[str, int]] = Counter()
    for i, m in enumerate(meetings):
        where = f"meetings[{i}] {m.a}–{m.b}@{m.slot}"
        pair = frozenset((m.a, m.b))
        if pair not in weights:
            problems.append(f"{where}: no such request")
        if m.slot not in slots:
            problems.append(f"{where}: unknown slot")
            continue
        for pid in (m.a, m.b):
            person = people.get(pid)
            if person is None:
                problems.append(f"{where}: unknown participant {pid}")
            elif person.available is not None and m.slot not in person.available:
                problems.append(f"{where}: {pid} is unavailable in {m.slot}")
            per_person_slot[pid, m.slot] += 1
            per_person[pid] += 1
        seen_pairs[pair] += 1
        per_slot[m.slot] += 1
        tables[m.slot, m.table] += 1
        limit = slots[m.slot].tables
        if m.table < 1 or (limit is not None and m.table > limit):
            problems.append(f"{where}: table {m.table} outside 1..{limit}")
    problems += [f"pair {sorted(p)} scheduled {n} times" for p, n in seen_pairs.items() if n > 1]
    problems += [f"{pid} has {n} meetings in {s}" for (pid, s), n in per_person_slot.items() if n > 1]
    problems += [f"table {t} of {s} used {n} times" for (s, t), n in tables.items() if n > 1]
    for pid, n in per_person.items():
        cap = people[pid].max_meetings if pid in people else None
        if cap is not None and n > cap:
            problems.append(f"{pid} has {n} meetings, max_meetings is {cap}")
    for sid, n in per_slot.items():
        limit = slots[sid].tables
        if limit is not None and n > limit:
            problems.append(f"slot {sid} holds {n} meetings but has {limit} tables")
    problems += _pinned_problems(inst, meetings)
    total = sum(weights.get(frozenset((m.a, m.b)), 0.0) for m in meetings)
    if objective is not None and abs(total - objective) > 1e-6 * max(1.0, abs(total)):
        problems.append(f"objective {objective} but the meetings weigh {total}")
    return problems


def _meetings(schedule: Schedule | dict[str, Any]) -> tuple[list[Meeting], float | None]:
    if isinstance(schedule, Schedule):
        return schedule.meetings, schedule.objective
    meetings = [Meeting(m["a"], m["b"], m["slot"], int(m["table"])) for m in schedule["meetings"]]
    return meetings, schedule.get("objective")


def _pinned_problems(inst: Instance, meetings: list[Meeting]) -> list[str]:
    placed = {(frozenset((m.a, m.b)), m.slot, m.table) for m in meetings}
    problems = []
    for i, old in enumerate(inst.existing):
        if not old.pinned:
            continue
        tables = [m.table for m in meetings if frozenset((m.a, m.b)) == frozenset((old.a, old.b))]
        if old.table is not None and (frozenset((old.a, old.b)), old.slot, old.table) not in placed:
            problems.append(f"pinned existing[{i}] is not at {old.slot} table {old.table}")
        elif old.table is None and not any(
            frozenset((m.a, m.b)) == frozenset((old.a, old.b)) and m.slot == old.slot for m in meetings
        ):
            problems.append(f"pinned existing[{i}] is not in {old.slot} (tables {tables})")
    return problems
