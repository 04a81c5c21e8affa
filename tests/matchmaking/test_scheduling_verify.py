"""The independent checker catches every kind of broken schedule."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from kakehashi.matchmaking.scheduling import verify_schedule


def instance() -> dict[str, Any]:
    return {
        "slots": [
            {"id": "s1", "start": "2026-02-10T09:00:00+09:00", "minutes": 30, "tables": 1},
            {"id": "s2", "start": "2026-02-10T09:30:00+09:00", "minutes": 30, "tables": 2},
            {"id": "s3", "start": "2026-02-10T10:00:00+09:00", "minutes": 30, "tables": 1},
        ],
        "participants": [
            {"id": "jp1", "side": "JP", "max_meetings": 2},
            {"id": "jp2", "side": "JP"},
            {"id": "in1", "side": "IN", "available": ["s1"]},
            {"id": "in2", "side": "IN"},
        ],
        "requests": [
            {"a": "jp1", "b": "in1", "weight": 5},
            {"a": "jp1", "b": "in2", "weight": 2},
            {"a": "jp2", "b": "in2", "weight": 1},
        ],
        "existing": [{"a": "jp1", "b": "in1", "slot": "s1", "table": 1, "pinned": True}],
    }


def good() -> dict[str, Any]:
    return {
        "meetings": [
            {"a": "jp1", "b": "in1", "slot": "s1", "table": 1},
            {"a": "jp1", "b": "in2", "slot": "s2", "table": 1},
            {"a": "jp2", "b": "in2", "slot": "s3", "table": 1},
        ],
        "objective": 8.0,
    }


def test_a_correct_schedule_passes() -> None:
    assert verify_schedule(instance(), good()) == []


def test_it_reports_a_shared_table_and_a_full_slot() -> None:
    schedule = good()
    schedule["meetings"][2].update(slot="s1", table=1)
    assert verify_schedule(instance(), schedule) == [
        "table 1 of s1 used 2 times",
        "slot s1 holds 2 meetings but has 1 tables",
    ]


def meeting(i: int, **change: Any) -> Callable[[dict[str, Any]], None]:
    def apply(schedule: dict[str, Any]) -> None:
        schedule["meetings"][i].update(change)

    return apply


@pytest.mark.parametrize(
    ("corrupt", "expected"),
    [
        (meeting(1, slot="s1", table=2), "jp1 has 2 meetings in s1"),
        (meeting(0, slot="s2", table=2), "in1 is unavailable in s2"),
        (meeting(1, b="jp2"), "no such request"),
        (meeting(1, table=3), "outside 1..2"),
        (meeting(1, table=0), "outside 1..2"),
        (meeting(1, slot="s9"), "unknown slot"),
        (lambda s: s["meetings"].append(dict(s["meetings"][1], slot="s1", table=1)), "scheduled 2 times"),
        (meeting(2, slot="s1", table=1), "used 2 times"),
        (lambda s: s.update(objective=9.0), "objective 9.0"),
        (meeting(0, slot="s2", table=2), "pinned existing[0]"),
    ],
)
def test_it_reports_each_kind_of_violation(corrupt: Callable[[dict[str, Any]], None], expected: str) -> None:
    broken = copy.deepcopy(good())
    corrupt(broken)
    assert any(expected in problem for problem in verify_schedule(instance(), broken))


def test_it_reports_a_person_over_max_meetings() -> None:
    data = instance()
    data["participants"][0]["max_meetings"] = 1
    data["existing"] = []
    assert "jp1 has 2 meetings, max_meetings is 1" in verify_schedule(data, good())
