"""Turn the instance JSON (a dict) into typed objects, rejecting bad types with the item's path."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from .errors import SchedulingInputError
from .model import (
    DEFAULT_MOVE_PENALTY,
    DEFAULT_WEIGHTS,
    KINDS,
    ExistingMeeting,
    Instance,
    Participant,
    Request,
    Slot,
)

SIDES = ("JP", "IN")


def parse_instance(data: Any) -> Instance:
    """Parse an instance dict; raises `SchedulingInputError` naming the first malformed item."""
    if not isinstance(data, dict):
        raise SchedulingInputError("$", "bad_type", "the instance must be a JSON object")
    event = _optional_dict(data, "event", "event")
    return Instance(
        slots=tuple(_slot(s, f"slots[{i}]") for i, s in enumerate(_list(data, "slots", "slots"))),
        participants=tuple(
            _participant(p, f"participants[{i}]") for i, p in enumerate(_list(data, "participants", "participants"))
        ),
        requests=tuple(_request(r, f"requests[{i}]") for i, r in enumerate(_list(data, "requests", "requests"))),
        existing=tuple(_existing(e, f"existing[{i}]") for i, e in enumerate(_list(data, "existing", "existing", required=False))),
        event_start=_datetime(event.get("start"), "event.start") if "start" in event else None,
        event_end=_datetime(event.get("end"), "event.end") if "end" in event else None,
        move_penalty=_number(data.get("move_penalty", DEFAULT_MOVE_PENALTY), "move_penalty"),
    )


def _slot(raw: Any, path: str) -> Slot:
    item = _object(raw, path)
    tables = item.get("tables")
    return Slot(
        id=_string(item.get("id"), f"{path}.id"),
        start=_datetime(item.get("start"), f"{path}.start"),
        minutes=_positive_int(item.get("minutes"), f"{path}.minutes"),
        tables=None if tables is None else _positive_int(tables, f"{path}.tables", minimum=0),
    )


def _participant(raw: Any, path: str) -> Participant:
    item = _object(raw, path)
    side = _string(item.get("side"), f"{path}.side")
    if side not in SIDES:
        raise SchedulingInputError(f"{path}.side", "bad_value", f"side must be one of {SIDES}")
    available = item.get("available")
    if available is not None:
        if not isinstance(available, list):
            raise SchedulingInputError(f"{path}.available", "bad_type", "must be a list of slot ids")
        available = tuple(_string(s, f"{path}.available[{j}]") for j, s in enumerate(available))
    cap = item.get("max_meetings")
    return Participant(
        id=_string(item.get("id"), f"{path}.id"),
        side=side,
        available=available,
        max_meetings=None if cap is None else _positive_int(cap, f"{path}.max_meetings", minimum=0),
    )


def _request(raw: Any, path: str) -> Request:
    item = _object(raw, path)
    kind = item.get("kind", "one_sided")
    if kind not in KINDS:
        raise SchedulingInputError(f"{path}.kind", "bad_value", f"kind must be one of {KINDS}")
    weight = item.get("weight")
    weight = DEFAULT_WEIGHTS[kind] if weight is None else _number(weight, f"{path}.weight")
    if weight < 0:
        raise SchedulingInputError(f"{path}.weight", "negative_weight", "weight must be >= 0")
    return Request(
        a=_string(item.get("a"), f"{path}.a"),
        b=_string(item.get("b"), f"{path}.b"),
        weight=weight,
        kind=kind,
    )


def _existing(raw: Any, path: str) -> ExistingMeeting:
    item = _object(raw, path)
    table = item.get("table")
    pinned = item.get("pinned", False)
    if not isinstance(pinned, bool):
        raise SchedulingInputError(f"{path}.pinned", "bad_type", "pinned must be true or false")
    return ExistingMeeting(
        a=_string(item.get("a"), f"{path}.a"),
        b=_string(item.get("b"), f"{path}.b"),
        slot=_string(item.get("slot"), f"{path}.slot"),
        table=None if table is None else _positive_int(table, f"{path}.table"),
        pinned=pinned,
    )


def _list(data: dict[str, Any], key: str, path: str, *, required: bool = True) -> list[Any]:
    if key not in data or data[key] is None:
        if required:
            raise SchedulingInputError(path, "missing_field", f"'{key}' is required")
        return []
    if not isinstance(data[key], list):
        raise SchedulingInputError(path, "bad_type", f"'{key}' must be a list")
    return data[key]


def _optional_dict(data: dict[str, Any], key: str, path: str) -> dict[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    return _object(value, path)


def _object(raw: Any, path: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise SchedulingInputError(path, "bad_type", "must be a JSON object")
    return raw


def _string(raw: Any, path: str) -> str:
    if raw is None:
        raise SchedulingInputError(path, "missing_field", "is required")
    if not isinstance(raw, str) or not raw:
        raise SchedulingInputError(path, "bad_type", "must be a non-empty string")
    return raw


def _number(raw: Any, path: str) -> float:
    # bool is an int subclass in Python; JSON true is not a number.
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise SchedulingInputError(path, "bad_type", "must be a finite number")
    return float(raw)


def _positive_int(raw: Any, path: str, *, minimum: int = 1) -> int:
    if raw is None:
        raise SchedulingInputError(path, "missing_field", "is required")
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise SchedulingInputError(path, "bad_type", "must be an integer")
    if raw < minimum:
        raise SchedulingInputError(path, "bad_value", f"must be >= {minimum}")
    return raw


def _datetime(raw: Any, path: str) -> datetime:
    text = _string(raw, path)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise SchedulingInputError(path, "bad_type", "must be an ISO 8601 date-time") from None
    if value.tzinfo is None:
        raise SchedulingInputError(path, "bad_value", "must carry a UTC offset (e.g. +09:00)")
    return value
