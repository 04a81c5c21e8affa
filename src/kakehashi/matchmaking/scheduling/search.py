"""Build a schedule from an LP-chosen meeting set, then improve it by insertions and ejections."""

from __future__ import annotations

import time
from collections.abc import Sequence

from .agenda import Agenda, place_pinned
from .ejection import SlotMinimum, eject_insert, place_directly
from .problem import Problem

MAX_PASSES = 8


class Deadline:
    """A monotonic-clock deadline; `expired` is checked between moves, never inside one."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def expired(self) -> bool:
        """Whether the time is up."""
        return time.monotonic() >= self.at

    def left(self) -> float:
        """Seconds remaining (never negative)."""
        return max(0.0, self.at - time.monotonic())


def construct(problem: Problem, preferred: Sequence[int], deadline: Deadline) -> Agenda:
    """Place `preferred` requests tightest first, then everything else heaviest first."""
    agenda = Agenda(problem)
    place_pinned(agenda)
    chosen = [r for r in preferred if agenda.slot_of[r] < 0]
    for i, r in enumerate(_tightest_first(problem, chosen)):
        if i % 256 == 0 and deadline.expired():
            return agenda
        place_directly(agenda, r)
    rest = sorted(range(problem.n_requests), key=lambda r: (-problem.weight[r], r))
    for i, r in enumerate(rest):
        if i % 256 == 0 and deadline.expired():
            return agenda
        if agenda.slot_of[r] < 0 and problem.common[r]:
            place_directly(agenda, r)
    agenda.commit()
    return agenda


def _tightest_first(problem: Problem, chosen: list[int]) -> list[int]:
    degree = [0] * len(problem.person_ids)
    for r in chosen:
        degree[problem.req_a[r]] += 1
        degree[problem.req_b[r]] += 1

    def slack(r: int) -> tuple[int, float, int]:
        busiest = max(degree[problem.req_a[r]], degree[problem.req_b[r]])
        return (problem.common[r].bit_count() - busiest, -problem.weight[r], r)

    return sorted(chosen, key=slack)


def improve(agenda: Agenda, deadline: Deadline) -> bool:
    """Insertion/ejection passes over unscheduled requests until none helps; False if cut short."""
    p = agenda.problem
    minimum = SlotMinimum(agenda)
    for _ in range(MAX_PASSES):
        waiting = [r for r in range(p.n_requests) if agenda.slot_of[r] < 0 and p.common[r]]
        waiting.sort(key=lambda r: (-p.weight[r], r))
        improved = False
        for i, r in enumerate(waiting):
            if i % 64 == 0 and deadline.expired():
                return False
            if agenda.slot_of[r] >= 0:
                continue
            if place_directly(agenda, r) or eject_insert(agenda, r, minimum):
                improved = True
            agenda.commit()
        if not improved:
            break
    return True
