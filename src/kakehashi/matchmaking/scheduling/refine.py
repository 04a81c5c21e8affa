"""Close the last gap with an exact MIP on a neighbourhood: the LP's support plus the incumbent."""

from __future__ import annotations

import numpy as np

from .agenda import Agenda, place_pinned
from .deadline import Deadline
from .lp import solve_binary
from .search import improve
from .timeindexed import TimeIndexedModel, build_model

SUPPORT = 0.05
#: Up to this many columns the MIP gets the whole model, not just a neighbourhood.
WHOLE_MODEL_COLUMNS = 30_000
#: Larger neighbourhoods are not attempted: HiGHS then overruns its time limit (presolve, root LP).
MAX_MIP_COLUMNS = 40_000


def _neighbourhood(relaxed: TimeIndexedModel, x: np.ndarray, held: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """Columns the LP uses, those the incumbent holds, and every slot of a fractional request."""
    if len(relaxed.columns) <= WHOLE_MODEL_COLUMNS:
        return list(relaxed.columns)
    used = {relaxed.columns[j] for j in np.flatnonzero(x > SUPPORT)}
    fractional = {relaxed.columns[j][0] for j in np.flatnonzero((x > SUPPORT) & (x < 1 - SUPPORT))}
    extra = {column for column in relaxed.columns if column[0] in fractional}
    return sorted(held | used | extra)


def refine_with_mip(
    agenda: Agenda, relaxed: TimeIndexedModel, x: np.ndarray, deadline: Deadline, budget: float
) -> tuple[Agenda, bool]:
    """Solve the time-indexed MIP on the whole model if small, else on a neighbourhood.

    Returns the better of the incumbent and the MIP's schedule (re-checked move by move), and
    whether the time budget stopped the MIP.
    """
    problem = agenda.problem
    held = {(r, agenda.slot_of[r]) for r in agenda.scheduled()}
    columns = _neighbourhood(relaxed, x, held)
    if len(columns) > MAX_MIP_COLUMNS:
        return agenda, False
    model = build_model(problem, columns, problem.score)
    start = np.array([1.0 if column in held else 0.0 for column in columns])
    budget = min(budget, deadline.left())
    solution, stopped = solve_binary(model.cost, model.matrix, model.rhs, model.lower, start=start, time_limit=budget)
    if solution is None:
        return agenda, stopped
    candidate = Agenda(problem)
    place_pinned(candidate)
    for j in np.flatnonzero(solution > 0.5):
        r, k = columns[j]
        if candidate.slot_of[r] < 0 and candidate.has_room(r) and candidate.free_slots(r) >> k & 1:
            candidate.place(r, k)
    stopped |= not improve(candidate, deadline)
    candidate.commit()
    return (candidate if candidate.value() > agenda.value() + 1e-9 else agenda), stopped
