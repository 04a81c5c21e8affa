"""The two LP relaxations whose certified optimum bounds the best possible schedule from above.

* ``time_indexed_lp``: x[r,k] in [0,1] for request r in a slot k both people attend; rows: one
  meeting per person per slot, each request at most once, max_meetings per person, tables per
  slot. This is the LP relaxation of the exact model.
* ``slot_free_lp``: y[r] in [0,1] per request (the slot dimension summed out): a b-matching with
  per-person capacity min(max_meetings, available slots), plus valid cuts that the time-indexed
  model implies: requests of person p that can only happen inside slot set M are at most |M|, and
  all requests that can only happen inside M are at most the table capacity of M. Much smaller;
  never tighter than the time-indexed LP without its cuts.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import maximum_bipartite_matching

from .agenda import bits
from .deadline import Deadline
from .lp import LpResult, solve_lp
from .problem import Problem
from .timeindexed import TimeIndexedModel, all_columns, build_model, sparse_rows


def slot_capacities(problem: Problem) -> list[int]:
    """Most meetings slot k can hold: its tables, and the maximum matching among its requests."""
    live: list[list[int]] = [[] for _ in range(problem.n_slots)]
    for r, mask in enumerate(problem.common):
        for k in bits(mask):
            live[k].append(r)
    return [min(problem.tables[k], _matching_size(problem, live[k])) for k in range(problem.n_slots)]


def _matching_size(problem: Problem, live: list[int]) -> int:
    sides = problem.instance.participants
    jp = {r for r in live if sides[problem.req_a[r]].side == "JP"}
    crossing = all(sides[problem.req_a[r]].side != sides[problem.req_b[r]].side for r in live)
    people = {p for r in live for p in (problem.req_a[r], problem.req_b[r])}
    if not crossing or not live:
        return len(people) // 2  # a matching never covers more than every person once
    rows = [problem.req_a[r] if r in jp else problem.req_b[r] for r in live]
    cols = [problem.req_b[r] if r in jp else problem.req_a[r] for r in live]
    n = len(problem.person_ids)
    graph = sparse.csr_matrix((np.ones(len(live)), (rows, cols)), shape=(n, n))
    return int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())


def slot_free_lp(problem: Problem, *, time_limit: float) -> LpResult:
    """Solve the slot-free relaxation (one column per request)."""
    n = problem.n_requests
    rows: list[list[int]] = []
    rhs: list[float] = []
    for p, reqs in enumerate(problem.incident):
        live = [r for r in reqs if problem.common[r]]
        if len(live) > problem.cap[p]:
            rows.append(live)
            rhs.append(problem.cap[p])
        _add_mask_cuts(problem, live, [1] * problem.n_slots, rows, rhs, limit=problem.cap[p])
    caps = slot_capacities(problem)
    everyone = [r for r in range(n) if problem.common[r]]
    rows.append(everyone)
    rhs.append(sum(caps))
    _add_mask_cuts(problem, everyone, caps, rows, rhs, limit=sum(caps))
    matrix = sparse_rows(rows, n)
    upper = np.array([1.0 if problem.common[r] else 0.0 for r in range(n)])
    lower = np.array([1.0 if r in problem.pinned else 0.0 for r in range(n)])
    cost = np.array(problem.weight, dtype=float)
    return solve_lp(cost, matrix, np.array(rhs, dtype=float), lower, upper, time_limit=time_limit)


def _add_mask_cuts(
    problem: Problem,
    live: list[int],
    per_slot: list[int],
    rows: list[list[int]],
    rhs: list[float],
    *,
    limit: int,
) -> None:
    """Requests whose common slots all lie in M can fill at most sum of per_slot over M."""
    groups: dict[int, list[int]] = defaultdict(list)
    for r in live:
        groups[problem.common[r]].append(r)
    for mask in groups:
        room = sum(per_slot[k] for k in bits(mask))
        if room >= limit:
            continue
        inside = [r for m, reqs in groups.items() if m & ~mask == 0 for r in reqs]
        if len(inside) > room:
            rows.append(inside)
            rhs.append(room)


def time_indexed_lp(
    problem: Problem, *, time_limit: float, method: str = "ipm", deadline: Deadline | None = None
) -> tuple[LpResult, TimeIndexedModel]:
    """Solve the LP relaxation of the exact time-indexed model (costs are plain weights).

    The solver gets `time_limit` seconds, but never past `deadline` (checked after the model is built).
    """
    model = build_model(problem, all_columns(problem), lambda r, _k: problem.weight[r])
    upper = np.ones(len(model.columns))
    if deadline is not None:
        time_limit = min(time_limit, deadline.left())
    result = solve_lp(model.cost, model.matrix, model.rhs, model.lower, upper, time_limit=time_limit, method=method)
    return result, model
