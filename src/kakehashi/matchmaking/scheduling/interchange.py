"""The JSON interchange: instance dict in, schedule dict out (the format in docs/scheduler-instance.md)."""

from __future__ import annotations

from typing import Any

from .model import Schedule
from .parsing import parse_instance
from .solver import solve


def solve_json(instance: dict[str, Any], *, time_limit: float = 30.0, seed: int = 0) -> dict[str, Any]:
    """Parse, validate and solve an instance dict; returns the schedule dict.

    Raises `SchedulingInputError` (with `field` and `code`) for bad input.
    """
    return schedule_to_dict(solve(parse_instance(instance), time_limit=time_limit, seed=seed))


def schedule_to_dict(schedule: Schedule) -> dict[str, Any]:
    """The documented SCHEDULE JSON for a solver result."""
    return {
        "meetings": [{"a": m.a, "b": m.b, "slot": m.slot, "table": m.table} for m in schedule.meetings],
        "objective": schedule.objective,
        "upper_bound": schedule.upper_bound,
        "ratio": schedule.ratio,
        "bound_kind": schedule.bound_kind,
        "bounds": schedule.bounds,
        "status": schedule.status,
        "seconds": round(schedule.seconds, 3),
        "idle_gaps": schedule.idle_gaps,
        "moved": schedule.moved,
        "dropped": schedule.dropped,
        "cancelled": schedule.cancelled,
        "unscheduled": [
            {"a": u.a, "b": u.b, "weight": u.weight, "reason": u.reason, "detail": u.detail} for u in schedule.unscheduled
        ],
    }
