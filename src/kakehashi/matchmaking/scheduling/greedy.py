"""Greedy first-fit baseline: requests by weight, each in the earliest slot with a free table."""

from __future__ import annotations

from .agenda import Agenda, place_pinned
from .problem import Problem


def greedy_first_fit(problem: Problem) -> Agenda:
    """Schedule requests heaviest first (ties in input order) into their earliest feasible slot."""
    agenda = Agenda(problem)
    place_pinned(agenda)
    order = sorted(range(problem.n_requests), key=lambda r: (-problem.weight[r], r))
    for r in order:
        if agenda.slot_of[r] >= 0 or not agenda.has_room(r):
            continue
        free = agenda.free_slots(r)
        if free:
            agenda.place(r, (free & -free).bit_length() - 1)
    return agenda
