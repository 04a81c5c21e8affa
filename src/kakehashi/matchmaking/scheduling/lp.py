"""Solve `max c·x, A x <= b, l <= x <= u` with HiGHS and certify an upper bound from the duals.

The bound does not trust the solver's reported objective: any y >= 0 proves
`c·x <= b·y + sum_j max over x_j in [l_j, u_j] of (c_j - (Aᵀy)_j) x_j` by weak duality, so we
evaluate that with the row duals HiGHS returns (clipped to y >= 0). It stays valid even when the
LP stops early at its time limit; it is just looser then.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse


@dataclass(slots=True)
class LpResult:
    """Primal values (possibly approximate), the certified bound and HiGHS's status text."""

    x: np.ndarray
    bound: float
    status: str
    seconds: float
    stopped: bool = False


def solve_lp(
    cost: np.ndarray,
    matrix: sparse.csc_matrix,
    rhs: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    *,
    time_limit: float,
    method: str = "choose",
) -> LpResult:
    """Maximise `cost·x` subject to `matrix @ x <= rhs` and the column bounds."""
    highs = _model(cost, matrix, rhs, lower, upper, time_limit=time_limit)
    highs.setOptionValue("solver", method)
    if method == "ipm":
        # The bound comes from the duals, so a basic solution is not needed.
        highs.setOptionValue("run_crossover", "off")
    highs.run()
    status = highs.modelStatusToString(highs.getModelStatus())
    solution = highs.getSolution()
    x = np.asarray(solution.col_value, dtype=float)
    duals = np.asarray(solution.row_dual, dtype=float)
    if x.shape[0] != matrix.shape[1]:
        x = np.clip(np.zeros(matrix.shape[1]), lower, upper)
    if duals.shape[0] != matrix.shape[0]:
        duals = np.zeros(matrix.shape[0])  # y = 0 still gives a (weak) valid bound
    bound = min(
        dual_bound(cost, matrix, rhs, lower, upper, _nonneg(duals)),
        dual_bound(cost, matrix, rhs, lower, upper, _nonneg(-duals)),
    )
    stopped = highs.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
    return LpResult(x=x, bound=bound, status=status, seconds=highs.getRunTime(), stopped=stopped)


def solve_binary(
    cost: np.ndarray,
    matrix: sparse.csc_matrix,
    rhs: np.ndarray,
    lower: np.ndarray,
    *,
    start: np.ndarray,
    time_limit: float,
) -> tuple[np.ndarray | None, bool]:
    """Maximise over 0/1 columns from the feasible `start`: (best solution found, if any; whether
    the time limit stopped the search)."""
    upper = np.ones(matrix.shape[1])
    highs = _model(cost, matrix, rhs, lower, upper, time_limit=time_limit)
    highs.changeColsIntegrality(
        matrix.shape[1],
        np.arange(matrix.shape[1], dtype=np.int32),
        np.full(matrix.shape[1], highspy.HighsVarType.kInteger),
    )
    highs.setOptionValue("mip_rel_gap", 1e-6)
    incumbent = highspy.HighsSolution()
    incumbent.col_value = start.astype(float).tolist()
    incumbent.value_valid = True
    highs.setSolution(incumbent)
    highs.run()
    stopped = highs.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
    solution = highs.getSolution()
    if not solution.value_valid:
        return None, stopped
    return np.asarray(solution.col_value, dtype=float), stopped


def _model(
    cost: np.ndarray,
    matrix: sparse.csc_matrix,
    rhs: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    *,
    time_limit: float,
) -> highspy.Highs:
    highs = _new_highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("time_limit", max(0.05, float(time_limit)))
    highs.setOptionValue("random_seed", 0)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = matrix.shape[1], matrix.shape[0]
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = cost.astype(float)
    lp.col_lower_ = lower.astype(float)
    lp.col_upper_ = upper.astype(float)
    lp.row_lower_ = np.full(matrix.shape[0], -highspy.kHighsInf)
    lp.row_upper_ = rhs.astype(float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data.astype(float)
    highs.passModel(lp)
    return highs


def _new_highs() -> highspy.Highs:
    """A Highs object, created once with stdout muted: its banner would corrupt JSON on stdout."""
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        return highspy.Highs()  # type: ignore[no-untyped-call]
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as sink:
            os.dup2(sink.fileno(), 1)
            highs = highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    _BANNER_SHOWN = True
    return highs


_BANNER_SHOWN = False


def dual_bound(
    cost: np.ndarray,
    matrix: sparse.csc_matrix,
    rhs: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    y: np.ndarray,
) -> float:
    """Weak-duality upper bound on `max cost·x` over the LP, valid for any `y >= 0`."""
    reduced = cost - matrix.T @ y
    best = np.where(reduced > 0, reduced * upper, reduced * lower)
    return float(rhs @ y + best.sum())


def _nonneg(values: np.ndarray) -> np.ndarray:
    if values.size == 0:
        return values
    return np.where(np.isfinite(values), np.maximum(values, 0.0), 0.0)
