"""Bad instances are rejected with an error naming the offending item."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kakehashi.matchmaking.scheduling import SchedulingInputError, parse_instance, solve_json, validate


def base() -> dict[str, Any]:
    return {
        "event": {"start": "2026-02-10T09:00:00+09:00", "end": "2026-02-10T12:00:00+09:00"},
        "slots": [
            {"id": "s1", "start": "2026-02-10T09:00:00+09:00", "minutes": 30, "tables": 2},
            {"id": "s2", "start": "2026-02-10T09:30:00+09:00", "minutes": 30, "tables": None},
        ],
        "participants": [
            {"id": "jp1", "side": "JP", "max_meetings": 2},
            {"id": "in1", "side": "IN", "available": ["s1"]},
            {"id": "in2", "side": "IN", "available": ["s1", "s2"], "max_meetings": 1},
        ],
        "requests": [
            {"a": "jp1", "b": "in1", "kind": "must"},
            {"a": "jp1", "b": "in2", "weight": 2.5, "kind": "mutual"},
        ],
    }


def rejected(data: dict[str, Any]) -> SchedulingInputError:
    with pytest.raises(SchedulingInputError) as caught:
        validate(parse_instance(data))
    return caught.value


def test_it_accepts_the_base_instance() -> None:
    validate(parse_instance(base()))


def test_it_rejects_an_unknown_participant_in_a_request() -> None:
    data = base()
    data["requests"].append({"a": "jp1", "b": "ghost"})
    error = rejected(data)
    assert (error.field, error.code) == ("requests[2].b", "unknown_participant")
    assert "ghost" in str(error)


def test_it_rejects_an_availability_slot_that_does_not_exist() -> None:
    data = base()
    data["participants"][1]["available"] = ["s1", "s9"]
    error = rejected(data)
    assert (error.field, error.code) == ("participants[1].available[1]", "unknown_slot")


def test_it_rejects_a_slot_outside_the_event() -> None:
    data = base()
    data["slots"][1]["start"] = "2026-02-10T11:45:00+09:00"
    error = rejected(data)
    assert (error.field, error.code) == ("slots[1].start", "slot_outside_event")


def test_it_rejects_overlapping_slots() -> None:
    data = base()
    data["slots"][1]["start"] = "2026-02-10T09:15:00+09:00"
    error = rejected(data)
    assert (error.field, error.code) == ("slots[1].start", "overlapping_slots")


def test_it_rejects_a_negative_weight() -> None:
    data = base()
    data["requests"][1]["weight"] = -1
    error = rejected(data)
    assert (error.field, error.code) == ("requests[1].weight", "negative_weight")


def test_it_rejects_a_self_request() -> None:
    data = base()
    data["requests"].append({"a": "in2", "b": "in2"})
    error = rejected(data)
    assert (error.field, error.code) == ("requests[2].b", "self_request")


def test_it_rejects_a_reversed_duplicate_pair() -> None:
    data = base()
    data["requests"].append({"a": "in1", "b": "jp1"})
    error = rejected(data)
    assert (error.field, error.code) == ("requests[2]", "duplicate_pair")
    assert "requests[0]" in str(error)


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("slots", 0, "minutes"), "30", "slots[0].minutes"),
        (("slots", 0, "tables"), 1.5, "slots[0].tables"),
        (("slots", 0, "start"), "tomorrow", "slots[0].start"),
        (("participants", 0, "max_meetings"), True, "participants[0].max_meetings"),
        (("participants", 1, "available"), "s1", "participants[1].available"),
        (("requests", 0, "weight"), "heavy", "requests[0].weight"),
        (("requests", 0, "a"), 7, "requests[0].a"),
    ],
)
def test_it_rejects_bad_types_naming_the_field(path: tuple[Any, ...], value: Any, field: str) -> None:
    data = base()
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    error = rejected(data)
    assert (error.field, error.code) == (field, "bad_type")


def test_it_rejects_a_start_without_utc_offset() -> None:
    data = base()
    data["slots"][0]["start"] = "2026-02-10T09:00:00"
    assert rejected(data).field == "slots[0].start"


def test_it_rejects_an_unknown_kind_and_side() -> None:
    data = base()
    data["requests"][0]["kind"] = "maybe"
    assert (rejected(data).field, rejected(data).code) == ("requests[0].kind", "bad_value")
    data = base()
    data["participants"][0]["side"] = "US"
    assert rejected(data).field == "participants[0].side"


def test_it_rejects_duplicate_ids() -> None:
    data = base()
    data["participants"].append({"id": "in1", "side": "IN"})
    error = rejected(data)
    assert (error.field, error.code) == ("participants[3].id", "duplicate_id")
    data = base()
    data["slots"][1]["id"] = "s1"
    assert rejected(data).code == "duplicate_id"


def test_it_rejects_a_missing_list_and_a_non_object_instance() -> None:
    data = base()
    del data["requests"]
    assert (rejected(data).field, rejected(data).code) == ("requests", "missing_field")
    with pytest.raises(SchedulingInputError) as caught:
        parse_instance([1, 2])
    assert caught.value.field == "$"


def test_it_rejects_a_pinned_meeting_in_a_slot_the_person_is_away() -> None:
    data = base()
    data["existing"] = [{"a": "jp1", "b": "in1", "slot": "s2", "table": 1, "pinned": True}]
    error = rejected(data)
    assert (error.field, error.code) == ("existing[0].b", "unavailable_slot")
    assert "in1" in error.message and "s2" in error.message


def test_it_rejects_a_previous_schedule_that_double_books_someone() -> None:
    data = base()
    data["existing"] = [
        {"a": "jp1", "b": "in1", "slot": "s1", "table": 1},
        {"a": "jp1", "b": "in2", "slot": "s1", "table": 2},
    ]
    error = rejected(data)
    assert (error.field, error.code) == ("existing[1]", "double_booked")


def test_it_rejects_a_pinned_table_beyond_the_slot_and_a_shared_table() -> None:
    data = base()
    data["existing"] = [{"a": "jp1", "b": "in1", "slot": "s1", "table": 3}]
    validate(parse_instance(data))  # unpinned: tables were removed since, it just moves table
    data["existing"][0]["pinned"] = True
    assert (rejected(data).field, rejected(data).code) == ("existing[0].table", "bad_table")
    data["existing"] = [
        {"a": "jp1", "b": "in1", "slot": "s1", "table": 1},
        {"a": "in2", "b": "jp2", "slot": "s1", "table": 1},
    ]
    data["participants"].append({"id": "jp2", "side": "JP"})
    assert rejected(data).code == "table_taken"


def test_it_rejects_pinned_meetings_beyond_max_meetings() -> None:
    data = base()
    data["participants"][0]["max_meetings"] = 1
    data["existing"] = [
        {"a": "jp1", "b": "in1", "slot": "s1", "pinned": True},
        {"a": "jp1", "b": "in2", "slot": "s2", "pinned": True},
    ]
    error = rejected(data)
    assert (error.field, error.code) == ("existing[1].a", "over_max_meetings")


def test_it_rejects_a_pinned_meeting_without_a_request() -> None:
    data = base()
    data["participants"].append({"id": "jp2", "side": "JP"})
    data["existing"] = [{"a": "jp2", "b": "in1", "slot": "s1", "pinned": True}]
    assert rejected(data).code == "pinned_without_request"


def test_it_rejects_a_negative_move_penalty() -> None:
    data = base()
    data["move_penalty"] = -2
    assert rejected(data).field == "move_penalty"


def test_solve_json_raises_the_same_error_and_does_not_touch_its_input() -> None:
    data = base()
    data["requests"][0]["b"] = "nobody"
    before = copy.deepcopy(data)
    with pytest.raises(SchedulingInputError) as caught:
        solve_json(data, time_limit=1)
    assert caught.value.field == "requests[0].b"
    assert data == before


def test_it_fills_in_default_weights_by_kind() -> None:
    instance = parse_instance(base())
    assert [r.weight for r in instance.requests] == [10.0, 2.5]
    data = base()
    data["requests"] = [{"a": "jp1", "b": "in1"}, {"a": "jp1", "b": "in2", "kind": "mutual"}]
    assert [r.weight for r in parse_instance(data).requests] == [1.0, 3.0]
