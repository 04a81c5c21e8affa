"""The solver's indexed view of an instance: slots in time order, people and slot sets as bitmasks."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .model import Instance

#: Stand-in capacity for a virtual slot (unlimited rooms).
UNLIMITED = 1 << 30


@dataclass(slots=True)
class Problem:
    """Integer-indexed instance. Slot k is the k-th slot by start time; bit k of a mask is slot k."""

    instance: Instance
    slot_ids: list[str]
    slot_day: list[int]
    day_masks: list[int]
    tables: list[int]
    person_ids: list[str]
    person_index: dict[str, int]
    avail: list[int]
    cap: list[int]
    req_a: list[int]
    req_b: list[int]
    weight: list[float]
    common: list[int]
    incident: list[list[int]]
    pair_index: dict[tuple[int, int], int]
    pinned: dict[int, tuple[int, int | None]]
    home: dict[int, tuple[int, int | None]]
    move_penalty: float
    #: Tie-break rank of each request among equal keys (identity for seed 0, shuffled otherwise).
    tiebreak: list[int] = field(default_factory=list)

    @property
    def n_slots(self) -> int:
        """Number of slots."""
        return len(self.slot_ids)

    @property
    def n_requests(self) -> int:
        """Number of requests."""
        return len(self.req_a)

    def request_of(self, a: int, b: int) -> int | None:
        """Index of the request between people `a` and `b`, if any."""
        return self.pair_index.get((min(a, b), max(a, b)))

    def score(self, r: int, k: int) -> float:
        """Internal value of holding request `r` in slot `k` (a kept previous meeting earns more)."""
        home = self.home.get(r)
        bonus = self.move_penalty if home is not None and home[0] == k else 0.0
        return self.weight[r] + bonus


def build_problem(instance: Instance, *, seed: int = 0) -> Problem:
    """Index a validated instance; a non-zero `seed` reshuffles how ties between requests break."""
    order = sorted(range(len(instance.slots)), key=lambda i: instance.slots[i].start)
    slots = [instance.slots[i] for i in order]
    slot_pos = {s.id: k for k, s in enumerate(slots)}
    days = sorted({s.start.date() for s in slots})
    all_mask = (1 << len(slots)) - 1
    person_ids = [p.id for p in instance.participants]
    person_index = {pid: i for i, pid in enumerate(person_ids)}
    avail, cap = [], []
    for person in instance.participants:
        mask = all_mask
        if person.available is not None:
            mask = sum(1 << slot_pos[s] for s in set(person.available))
        avail.append(mask)
        limit = len(slots) if person.max_meetings is None else person.max_meetings
        cap.append(min(limit, mask.bit_count()))
    problem = Problem(
        instance=instance,
        slot_ids=[s.id for s in slots],
        slot_day=[days.index(s.start.date()) for s in slots],
        day_masks=[sum(1 << k for k, s in enumerate(slots) if s.start.date() == day) for day in days],
        tables=[UNLIMITED if s.tables is None else s.tables for s in slots],
        person_ids=person_ids,
        person_index=person_index,
        avail=avail,
        cap=cap,
        req_a=[],
        req_b=[],
        weight=[],
        common=[],
        incident=[[] for _ in person_ids],
        pair_index={},
        pinned={},
        home={},
        move_penalty=instance.move_penalty,
    )
    _add_requests(problem, instance)
    _add_existing(problem, instance, slot_pos)
    problem.tiebreak = list(range(problem.n_requests))
    if seed:
        random.Random(seed).shuffle(problem.tiebreak)
    return problem


def _add_requests(problem: Problem, instance: Instance) -> None:
    for r, req in enumerate(instance.requests):
        a, b = problem.person_index[req.a], problem.person_index[req.b]
        problem.req_a.append(a)
        problem.req_b.append(b)
        problem.weight.append(req.weight)
        problem.common.append(problem.avail[a] & problem.avail[b])
        problem.incident[a].append(r)
        problem.incident[b].append(r)
        problem.pair_index[min(a, b), max(a, b)] = r


def _add_existing(problem: Problem, instance: Instance, slot_pos: dict[str, int]) -> None:
    for meeting in instance.existing:
        r = problem.request_of(problem.person_index[meeting.a], problem.person_index[meeting.b])
        if r is None:
            continue  # cancelled since the previous schedule: it is simply dropped
        place = (slot_pos[meeting.slot], meeting.table)
        if meeting.pinned:
            problem.pinned[r] = place
        problem.home[r] = place
