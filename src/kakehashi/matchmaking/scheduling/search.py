"""Build a schedule from an LP-chosen meeting set, then improve it by insertions and ejections."""

from __future__ import annotations

from collections.abc import Sequence

from .agenda import Agenda, place_pinned
from .deadline import Deadline
from .ejection import eject_insert, place_directly
from .problem import Problem

MAX_PASSES = 8


def construct(problem: Problem, preferred: Sequence[int], deadline: Deadline) -> Agenda:
    """Keep previous meetings where they were, place `preferred` tightest first, then the rest."""
    agenda = Agenda(problem)
    place_pinned(agenda)
    keep_previous(agenda)
    chosen = [r for r in preferred if agenda.slot_of[r] < 0]
    for i, r in enumerate(_tightest_first(problem, chosen)):
        if i % 256 == 0 and deadline.expired():
            return agenda
        place_directly(agenda, r)
    rest = sorted(range(problem.n_requests), key=lambda r: (-problem.weight[r], problem.tiebreak[r]))
    for i, r in enumerate(rest):
        if i % 256 == 0 and deadline.expired():
            return agenda
        if agenda.slot_of[r] < 0 and problem.common[r]:
            place_directly(agenda, r)
    agenda.commit()
    return agenda


def keep_previous(agenda: Agenda) -> None:
    """Re-place meetings of the previous schedule in their old slot wherever that is still valid."""
    p = agenda.problem
    for r in sorted(p.home, key=lambda r: (-p.weight[r], p.tiebreak[r])):
        k = p.home[r][0]
        if agenda.slot_of[r] < 0 and agenda.has_room(r) and agenda.free_slots(r) >> k & 1:
            agenda.place(r, k)


def _tightest_first(problem: Problem, chosen: list[int]) -> list[int]:
    degree = [0] * len(problem.person_ids)
    for r in chosen:
        degree[problem.req_a[r]] += 1
        degree[problem.req_b[r]] += 1

    def slack(r: int) -> tuple[int, float, int]:
        busiest = max(degree[problem.req_a[r]], degree[problem.req_b[r]])
        return (problem.common[r].bit_count() - busiest, -problem.weight[r], problem.tiebreak[r])

    return sorted(chosen, key=slack)


def improve(agenda: Agenda, deadline: Deadline) -> bool:
    """Insertion/ejection passes over unscheduled requests until none helps; False if cut short."""
    p = agenda.problem
    for _ in range(MAX_PASSES):
        waiting = [r for r in range(p.n_requests) if agenda.slot_of[r] < 0 and p.common[r]]
        waiting.sort(key=lambda r: (-p.weight[r], p.tiebreak[r]))
        improved = False
        for i, r in enumerate(waiting):
            if i % 64 == 0 and deadline.expired():
                return False
            if agenda.slot_of[r] >= 0:
                continue
            if place_directly(agenda, r) or eject_insert(agenda, r):
                improved = True
            agenda.commit()
        if not improved:
            break
    return True
