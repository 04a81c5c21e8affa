"""Orchestrate a solve: bound, construct, improve, refine, shorten gaps; always return a feasible schedule."""

from __future__ import annotations

import math
import time

from .agenda import Agenda
from .bounds import slot_free_lp, time_indexed_lp
from .deadline import Deadline
from .gaps import reduce_gaps, total_gaps
from .greedy import greedy_first_fit
from .lns import improve_by_windows
from .model import Instance, Schedule
from .problem import Problem, build_problem
from .refine import refine_with_mip
from .report import disruption, unscheduled
from .search import construct, improve
from .tables import number_tables
from .timeindexed import column_count
from .validation import validate

#: Above this many (request, slot) columns the exact-model LP is not attempted.
MAX_TIME_INDEXED_COLUMNS = 250_000
#: Up to this many columns the LP is solved by simplex (a vertex: near-integral, small support);
#: above, by interior point (simplex stalls on these degenerate LPs).
SIMPLEX_COLUMNS = 60_000
#: Above SIMPLEX_COLUMNS the LP bound is computed only while the ratio is below this.
LARGE_MODEL_RATIO = 0.999
#: People per window in the large-neighbourhood passes.
WINDOW_SIZES = (80, 160)
#: Seconds (at most a tenth of the limit) kept back for numbering tables and the report.
RESERVE = 2.0


def solve(instance: Instance, *, time_limit: float = 30.0, seed: int = 0) -> Schedule:
    """Best feasible schedule found within `time_limit` seconds, with a proven upper bound.

    The run is deterministic for a given instance and `seed` unless the time limit cuts it short;
    other seeds break ties between equal requests differently (for multi-start use).
    """
    started = time.monotonic()
    validate(instance)
    problem = build_problem(instance, seed=seed)
    # Keep a little time back for numbering tables and writing the report.
    deadline = Deadline(time_limit - min(0.1 * time_limit, RESERVE))
    run = _Run(problem, deadline)
    run.main_phase()
    columns = column_count(problem)
    if columns <= SIMPLEX_COLUMNS and not run.settled() and not deadline.expired():
        run.exact_phase()
    if not run.settled() and not deadline.expired():
        run.window_phase()
    if not reduce_gaps(run.best, deadline):
        run.cut_short = True
    if SIMPLEX_COLUMNS < columns <= MAX_TIME_INDEXED_COLUMNS and not run.settled() and not deadline.expired():
        run.bound_phase()  # large: a tighter bound is worth the time only once the schedule is final
    return run.schedule(time.monotonic() - started)


class _Run:
    """The state of one solve: the best agenda so far and the bounds proven."""

    def __init__(self, problem: Problem, deadline: Deadline) -> None:
        self.problem = problem
        self.deadline = deadline
        self.best: Agenda = greedy_first_fit(problem)
        self.bounds: dict[str, float] = {}
        self.cut_short = False

    def offer(self, candidate: Agenda) -> None:
        """Keep `candidate` if it scores more than the best so far."""
        if candidate.value() > self.best.value() + 1e-9:
            self.best = candidate

    def bound(self) -> tuple[float, str]:
        """Tightest proven bound and its name."""
        if not self.bounds:
            return math.inf, "none"
        kind = min(self.bounds, key=lambda k: self.bounds[k])
        return self.bounds[kind], kind

    def optimal(self) -> bool:
        """Whether the best weight reaches the bound (so nothing better exists)."""
        return self.best.weight() >= self.bound()[0] - 1e-6

    def settled(self) -> bool:
        """Optimal, and every previous meeting that could stay did (so stability is maximal too)."""
        p, best = self.problem, self.best
        kept = all(best.slot_of[r] == k for r, (k, _t) in p.home.items() if p.common[r] >> k & 1)
        return self.optimal() and kept

    def main_phase(self) -> None:
        """Slot-free LP → its meetings placed tightest-first → insertion/ejection search."""
        relaxed = slot_free_lp(self.problem, time_limit=0.3 * self.deadline.left())
        self.bounds["slot_free_lp"] = _integral(self.problem, relaxed.bound)
        preferred = [r for r in range(self.problem.n_requests) if relaxed.x[r] > 0.5]
        agenda = construct(self.problem, preferred, self.deadline)
        self.cut_short |= not improve(agenda, self.deadline)
        self.offer(agenda)

    def exact_phase(self) -> None:
        """Small models: time-indexed LP by simplex (tighter bound), then a MIP around the incumbent."""
        relaxed, model = time_indexed_lp(
            self.problem, time_limit=0.4 * self.deadline.left(), method="simplex", deadline=self.deadline
        )
        self.bounds["time_indexed_lp"] = _integral(self.problem, relaxed.bound)
        self.cut_short |= relaxed.stopped
        if self.settled() or self.deadline.left() < 0.5:
            return
        refined, stopped = refine_with_mip(self.best, model, relaxed.x, self.deadline, budget=0.6 * self.deadline.left())
        self.cut_short |= stopped
        self.offer(refined)

    def bound_phase(self) -> None:
        """Large models, while the ratio is below LARGE_MODEL_RATIO: the time-indexed LP bound only."""
        bound = self.bound()[0]
        if bound > 0 and self.best.weight() / bound >= LARGE_MODEL_RATIO:
            return
        relaxed, _ = time_indexed_lp(self.problem, time_limit=self.deadline.left(), method="ipm", deadline=self.deadline)
        self.bounds["time_indexed_lp"] = _integral(self.problem, relaxed.bound)

    def window_phase(self) -> None:
        """Exact re-solves of windows of people around heavy unscheduled requests, then wider ones."""
        agenda = self.best.copy()
        for people in WINDOW_SIZES:
            if self.deadline.expired() or not improve_by_windows(agenda, self.deadline, people=people):
                self.cut_short = True
                break
        self.offer(agenda)

    def schedule(self, seconds: float) -> Schedule:
        """The public result for the best agenda."""
        bound, kind = self.bound()
        meetings = number_tables(self.best)
        moved, dropped, cancelled = disruption(self.best, meetings)
        objective = self.best.weight()
        status = "optimal" if self.optimal() else ("time_limit" if self.cut_short else "feasible")
        if self.deadline.expired() and status != "optimal":
            status = "time_limit"
        return Schedule(
            meetings=meetings,
            objective=objective,
            upper_bound=bound,
            bound_kind=kind,
            status=status,
            seconds=seconds,
            idle_gaps=total_gaps(self.best),
            moved=moved,
            dropped=dropped,
            cancelled=cancelled,
            unscheduled=unscheduled(self.best),
            bounds=dict(self.bounds),
        )


def _integral(problem: Problem, bound: float) -> float:
    """With integer weights the optimum is an integer, so the bound rounds down; otherwise it is
    nudged up by a rounding error's worth so float sums never push it below the optimum."""
    if all(float(w).is_integer() for w in problem.weight):
        return float(math.floor(bound + 1e-6))
    return bound + 1e-9 * max(1.0, abs(bound))
