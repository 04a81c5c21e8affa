"""Meeting scheduler: value against proven upper bounds and against greedy first-fit, same run.

Instances are generated deterministically (skewed Zipf popularity, a morning/afternoon or a whole
day away for some people, per-person caps, tables per slot). For each size it prints the value the
solver reaches, the bound it proves, the LP relaxation of the exact time-indexed model (computed
here separately with a certified dual bound, not counted in the solver's time), the wall and CPU
time of one solve, and the same for greedy first-fit (heaviest request first, earliest slot).

Targets (TARGETS.md): value ≥ 99.5 % of the LP-relaxation bound, never below greedy first-fit, the
largest (5,000 participants, 25,000 requests, 20 slots) within 60 s. Exits non-zero if any is missed
or a schedule fails `verify_schedule`.

    .venv/bin/python bench/scheduler.py [--quick] [--stress] [--time-limit 55]
      --quick   only the smallest size
      --stress  also tighter variants (half the people away half a day, 40 % a whole day, tables
                for 60 % of the demand, 8 slots)
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from typing import Any

from kakehashi.matchmaking.scheduling import (
    greedy_first_fit_json,
    parse_instance,
    solve,
    verify_schedule,
)
from kakehashi.matchmaking.scheduling.bounds import time_indexed_lp
from kakehashi.matchmaking.scheduling.problem import build_problem
from kakehashi.matchmaking.scheduling.synthetic import synthetic_instance

RATIO_TARGET = 0.995
TIME_TARGET = 60.0
SIZES = [("small", 500, 1_500, 12), ("medium", 2_000, 8_000, 16), ("large", 5_000, 25_000, 20)]
STRESS = dict(half_day_away=0.5, day_away=0.4, table_load=0.6)
STRESS_SIZES = [
    ("tight-8", 2_000, 12_000, 8),
    ("tight-large", 5_000, 25_000, 20),
    ("tight-8-large", 5_000, 30_000, 8),
]


@dataclass
class Row:
    name: str
    value: float
    bound: float
    bound_kind: str
    lp_bound: float
    wall: float
    cpu: float
    greedy: float
    greedy_wall: float
    gaps: int
    status: str
    problems: list[str]

    def ratio(self) -> float:
        return self.value / self.bound if self.bound else 1.0

    def lp_ratio(self) -> float:
        return self.value / self.lp_bound if self.lp_bound else 1.0

    def failures(self) -> list[str]:
        out = [f"{self.name}: {p}" for p in self.problems]
        if min(self.ratio(), self.lp_ratio()) < RATIO_TARGET:
            out.append(f"{self.name}: value/bound {min(self.ratio(), self.lp_ratio()):.4f} < {RATIO_TARGET}")
        if self.value < self.greedy:
            out.append(f"{self.name}: value {self.value} below greedy {self.greedy}")
        if self.wall > TIME_TARGET:
            out.append(f"{self.name}: {self.wall:.1f} s > {TIME_TARGET} s")
        return out


def measure(name: str, data: dict[str, Any], time_limit: float) -> Row:
    started, cpu_started = time.perf_counter(), time.process_time()
    schedule = solve(parse_instance(data), time_limit=time_limit)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    greedy_started = time.perf_counter()
    greedy = greedy_first_fit_json(data)
    greedy_wall = time.perf_counter() - greedy_started
    relaxed, _ = time_indexed_lp(build_problem(parse_instance(data)), time_limit=300, method="pdlp")
    return Row(
        name=name,
        value=schedule.objective,
        bound=schedule.upper_bound,
        bound_kind=schedule.bound_kind,
        lp_bound=relaxed.bound,
        wall=wall,
        cpu=cpu,
        greedy=greedy["objective"],
        greedy_wall=greedy_wall,
        gaps=schedule.idle_gaps,
        status=schedule.status,
        problems=verify_schedule(data, schedule) + verify_schedule(data, greedy),
    )


def print_table(rows: list[Row]) -> None:
    head = (
        f"{'instance':<26}{'value':>9}{'bound':>9}{'v/bound':>9}{'LP bound':>11}{'v/LP':>8}"
        f"{'wall s':>8}{'cpu s':>7}{'greedy':>9}{'g/bound':>9}{'g/LP':>8}{'g s':>6}{'gaps':>7}  status"
    )
    print(head)
    print("-" * len(head))
    for row in rows:
        print(
            f"{row.name:<26}{row.value:>9.0f}{row.bound:>9.0f}{row.ratio():>9.4f}{row.lp_bound:>11.1f}"
            f"{row.lp_ratio():>8.4f}{row.wall:>8.2f}{row.cpu:>7.2f}{row.greedy:>9.0f}"
            f"{row.greedy / row.bound:>9.4f}{row.greedy / row.lp_bound:>8.4f}{row.greedy_wall:>6.2f}"
            f"{row.gaps:>7}  {row.status} ({row.bound_kind})"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="only the smallest size")
    parser.add_argument("--stress", action="store_true", help="also the tighter variants")
    parser.add_argument("--time-limit", type=float, default=55.0, help="solver time limit (s)")
    args = parser.parse_args()
    plan = [(f"{n}: {p}/{r}/{s}", synthetic_instance(p, r, s, seed=1)) for n, p, r, s in SIZES]
    if args.quick:
        plan = plan[:1]
    if args.stress:
        plan += [
            (f"{n}: {p}/{r}/{s}", synthetic_instance(p, r, s, seed=2, **STRESS))  # type: ignore[arg-type]
            for n, p, r, s in STRESS_SIZES
        ]
    rows = []
    for name, data in plan:
        rows.append(measure(name, data, args.time_limit))
        print(f"  done {name}", file=sys.stderr, flush=True)
    print_table(rows)
    failures = [f for row in rows for f in row.failures()]
    for failure in failures:
        print("FAIL", failure)
    print("OK: every instance meets the targets" if not failures else f"{len(failures)} target(s) missed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
