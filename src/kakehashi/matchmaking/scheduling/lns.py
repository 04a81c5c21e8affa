"""Large-neighbourhood search: re-solve exactly (small MIP) the meetings among a few dozen people.

Around a heavy unscheduled request, take the people it connects to through meetings and pending
requests; free every request between them and solve that sub-problem exactly with HiGHS, with the
rest of the schedule fixed (it uses part of the caps and tables). Accept only improvements.
"""

from __future__ import annotations

import numpy as np

from .agenda import Agenda, bits
from .deadline import Deadline
from .ejection import hopeless
from .lp import solve_binary
from .timeindexed import build_model

WINDOW_SECONDS = 1.0
MAX_WINDOWS = 400


def improve_by_windows(agenda: Agenda, deadline: Deadline, *, people: int) -> bool:
    """Solve windows of about `people` people around heavy unscheduled requests; False if cut short."""
    p = agenda.problem
    seeds = [r for r in range(p.n_requests) if agenda.slot_of[r] < 0 and p.common[r] and p.weight[r] > 0]
    seeds.sort(key=lambda r: (-p.weight[r], p.tiebreak[r]))
    covered: set[int] = set()
    windows = 0
    for r in seeds:
        if deadline.left() < 0.2:
            return False
        if windows >= MAX_WINDOWS:
            break
        if agenda.slot_of[r] >= 0 or hopeless(agenda, r) or {p.req_a[r], p.req_b[r]} <= covered:
            continue
        window = _window(agenda, r, people)
        covered |= window
        windows += 1
        _solve_window(agenda, window, deadline)
        agenda.commit()
    return True


def _window(agenda: Agenda, seed: int, size: int) -> set[int]:
    """People reached from the seed's pair through meetings and open requests (breadth first)."""
    p = agenda.problem
    people = {p.req_a[seed], p.req_b[seed]}
    frontier = sorted(people)
    while frontier and len(people) < size:
        nxt = []
        for person in frontier:
            for r in p.incident[person]:
                other = p.req_b[r] if p.req_a[r] == person else p.req_a[r]
                if other not in people and p.common[r] and len(people) < size:
                    people.add(other)
                    nxt.append(other)
        frontier = nxt
    return people


def _solve_window(agenda: Agenda, people: set[int], deadline: Deadline) -> bool:
    p = agenda.problem
    inside = sorted({r for person in people for r in p.incident[person] if p.common[r] and {p.req_a[r], p.req_b[r]} <= people})
    held = [r for r in inside if agenda.slot_of[r] >= 0]
    busy = {q: agenda.busy[q] for q in people}
    caps = {q: p.cap[q] - agenda.count[q] for q in people}
    loads = list(agenda.load)
    for r in held:
        k = agenda.slot_of[r]
        loads[k] -= 1
        for q in (p.req_a[r], p.req_b[r]):
            busy[q] &= ~(1 << k)
            caps[q] += 1
    residual = [p.tables[k] - loads[k] for k in range(p.n_slots)]
    columns = [
        (r, k)
        for r in inside
        for k in bits(p.common[r] & ~busy[p.req_a[r]] & ~busy[p.req_b[r]])
        if residual[k] > 0 and (r not in p.pinned or p.pinned[r][0] == k)
    ]
    if not columns:
        return False
    model = build_model(p, columns, p.score, person_cap=caps, slot_cap=residual)
    current = {(r, agenda.slot_of[r]) for r in held}
    start = np.array([1.0 if c in current else 0.0 for c in columns])
    solution, _ = solve_binary(
        model.cost, model.matrix, model.rhs, model.lower, start=start, time_limit=min(WINDOW_SECONDS, deadline.left())
    )
    if solution is None or model.cost @ solution <= model.cost @ start + 1e-9:
        return False
    chosen = [columns[j] for j in np.flatnonzero(solution > 0.5)]
    mark = agenda.mark()
    for r in held:
        agenda.remove(r)
    for r, k in chosen:
        if agenda.slot_of[r] >= 0 or not agenda.has_room(r) or not agenda.free_slots(r) >> k & 1:
            agenda.rollback(mark)  # numerical trouble: never accept an infeasible change
            return False
        agenda.place(r, k)
    if agenda.delta_since(mark) > 1e-9:
        return True
    agenda.rollback(mark)
    return False
