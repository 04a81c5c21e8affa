"""1:1 meeting scheduler for matchmaking events: near-optimal agendas with a proven upper bound.

Public surface: `solve_json` for the CLI and pages, `solve` on typed instances, `parse_instance`,
`validate`, `verify_schedule`, `greedy_first_fit_json` (the baseline) and the value types.
"""

from __future__ import annotations

from typing import Any

from .errors import SchedulingInputError
from .greedy import greedy_first_fit
from .interchange import schedule_to_dict, solve_json
from .model import (
    DEFAULT_MOVE_PENALTY,
    DEFAULT_WEIGHTS,
    ExistingMeeting,
    Instance,
    Meeting,
    Participant,
    Request,
    Schedule,
    Slot,
    Unscheduled,
)
from .parsing import parse_instance
from .problem import build_problem
from .solver import solve
from .validation import validate
from .verify import verify_schedule

__all__ = [
    "DEFAULT_MOVE_PENALTY",
    "DEFAULT_WEIGHTS",
    "ExistingMeeting",
    "Instance",
    "Meeting",
    "Participant",
    "Request",
    "Schedule",
    "SchedulingInputError",
    "Slot",
    "Unscheduled",
    "greedy_first_fit_json",
    "parse_instance",
    "schedule_to_dict",
    "solve",
    "solve_json",
    "validate",
    "verify_schedule",
]


def greedy_first_fit_json(instance: dict[str, Any]) -> dict[str, Any]:
    """The greedy first-fit baseline on an instance dict: its meetings and objective."""
    from .tables import number_tables

    parsed = parse_instance(instance)
    validate(parsed)
    agenda = greedy_first_fit(build_problem(parsed))
    meetings = number_tables(agenda)
    return {
        "meetings": [{"a": m.a, "b": m.b, "slot": m.slot, "table": m.table} for m in meetings],
        "objective": agenda.weight(),
    }
