"""The exact time-indexed model: one 0/1 column per (request, common slot)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .agenda import bits
from .problem import Problem


@dataclass(slots=True)
class TimeIndexedModel:
    """`max cost·x, matrix @ x <= rhs, lower <= x <= 1`; column j is request/slot `columns[j]`."""

    columns: list[tuple[int, int]]
    cost: np.ndarray
    matrix: sparse.csc_matrix
    rhs: np.ndarray
    lower: np.ndarray


def all_columns(problem: Problem) -> list[tuple[int, int]]:
    """Every (request, slot) pair where both people are available."""
    return [(r, k) for r in range(problem.n_requests) for k in bits(problem.common[r])]


def column_count(problem: Problem) -> int:
    """Number of columns of the full model (to decide whether it is worth building)."""
    return sum(mask.bit_count() for mask in problem.common)


def build_model(
    problem: Problem,
    columns: Sequence[tuple[int, int]],
    value: Callable[[int, int], float],
) -> TimeIndexedModel:
    """Rows: person×slot ≤ 1, request ≤ 1, person ≤ cap, slot ≤ tables (trivial rows dropped)."""
    by_person_slot: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_request: dict[int, list[int]] = defaultdict(list)
    by_slot: dict[int, list[int]] = defaultdict(list)
    for j, (r, k) in enumerate(columns):
        by_person_slot[problem.req_a[r], k].append(j)
        by_person_slot[problem.req_b[r], k].append(j)
        by_request[r].append(j)
        by_slot[k].append(j)
    rows = [cols for cols in by_person_slot.values() if len(cols) > 1]
    rows += [cols for cols in by_request.values() if len(cols) > 1]
    rhs = [1.0] * len(rows)
    for p, reqs in enumerate(problem.incident):
        cols = [j for r in reqs for j in by_request.get(r, ())]
        if len({columns[j][0] for j in cols}) > problem.cap[p]:
            rows.append(cols)
            rhs.append(problem.cap[p])
    for k, cols in by_slot.items():
        if len(cols) > problem.tables[k]:
            rows.append(cols)
            rhs.append(problem.tables[k])
    pinned = problem.pinned
    return TimeIndexedModel(
        columns=list(columns),
        cost=np.array([value(r, k) for r, k in columns], dtype=float),
        matrix=sparse_rows(rows, len(columns)),
        rhs=np.array(rhs, dtype=float),
        lower=np.array([1.0 if r in pinned and pinned[r][0] == k else 0.0 for r, k in columns]),
    )


def sparse_rows(rows: list[list[int]], n_cols: int) -> sparse.csc_matrix:
    """A 0/1 matrix with a one in row i at every column listed in `rows[i]`."""
    lengths = [len(cols) for cols in rows]
    row_index = np.repeat(np.arange(len(rows)), lengths)
    col_index = np.fromiter((j for cols in rows for j in cols), dtype=np.int64, count=sum(lengths))
    data = np.ones(len(col_index))
    return sparse.csc_matrix((data, (row_index, col_index)), shape=(len(rows), n_cols))
