"""The exact time-indexed model: one 0/1 column per (request, common slot)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
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
    *,
    person_cap: Mapping[int, int] | Sequence[int] | None = None,
    slot_cap: Mapping[int, int] | Sequence[int] | None = None,
) -> TimeIndexedModel:
    """Rows: person×slot ≤ 1, request ≤ 1, person ≤ cap, slot ≤ tables (trivial rows dropped).

    `person_cap` and `slot_cap` override the instance's caps and tables (for a sub-problem where
    other meetings are fixed and use part of them).
    """
    caps = problem.cap if person_cap is None else person_cap
    tables = problem.tables if slot_cap is None else slot_cap
    by_person_slot: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_request: dict[int, list[int]] = defaultdict(list)
    by_person: dict[int, list[int]] = defaultdict(list)
    by_slot: dict[int, list[int]] = defaultdict(list)
    for j, (r, k) in enumerate(columns):
        for person in (problem.req_a[r], problem.req_b[r]):
            by_person_slot[person, k].append(j)
            by_person[person].append(j)
        by_request[r].append(j)
        by_slot[k].append(j)
    rows = [cols for cols in by_person_slot.values() if len(cols) > 1]
    rows += [cols for cols in by_request.values() if len(cols) > 1]
    rhs = [1.0] * len(rows)
    for person, cols in by_person.items():
        if len({columns[j][0] for j in cols}) > caps[person]:
            rows.append(cols)
            rhs.append(caps[person])
    for k, cols in by_slot.items():
        if len(cols) > tables[k]:
            rows.append(cols)
            rhs.append(tables[k])
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
