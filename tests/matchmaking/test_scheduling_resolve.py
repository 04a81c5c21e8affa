"""Late changes are re-solved moving as few meetings of the previous schedule as possible."""

from __future__ import annotations

import copy
from typing import Any

from kakehashi.matchmaking.scheduling import solve_json, verify_schedule
from kakehashi.matchmaking.scheduling.synthetic import synthetic_instance


def solved(data: dict[str, Any], **options: Any) -> dict[str, Any]:
    """Solve and re-check every constraint of the result (every output in these tests is verified)."""
    out = solve_json(data, **options)
    assert verify_schedule(data, out) == []
    return out


def first_schedule() -> tuple[dict[str, Any], dict[str, Any]]:
    data = synthetic_instance(60, 160, 6, seed=11)
    return data, solved(data, time_limit=10)


def with_previous(data: dict[str, Any], schedule: dict[str, Any]) -> dict[str, Any]:
    again = copy.deepcopy(data)
    again["existing"] = [dict(m) for m in schedule["meetings"]]
    return again


def placements(schedule: dict[str, Any]) -> dict[frozenset[str], tuple[str, int]]:
    return {frozenset((m["a"], m["b"])): (m["slot"], m["table"]) for m in schedule["meetings"]}


def test_resolving_an_unchanged_event_moves_nothing() -> None:
    data, first = first_schedule()
    again = solved(with_previous(data, first), time_limit=10)
    assert placements(again) == placements(first)
    assert (again["moved"], again["dropped"], again["cancelled"]) == (0, 0, 0)


def test_a_cancellation_frees_a_table_and_leaves_everyone_else_in_place() -> None:
    data, first = first_schedule()
    gone = first["meetings"][0]
    changed = with_previous(data, first)
    changed["requests"] = [r for r in changed["requests"] if frozenset((r["a"], r["b"])) != frozenset((gone["a"], gone["b"]))]
    again = solved(changed, time_limit=10)
    assert verify_schedule(changed, again) == []
    before, after = placements(first), placements(again)
    del before[frozenset((gone["a"], gone["b"]))]
    assert all(after[pair] == place for pair, place in before.items())
    assert (again["moved"], again["cancelled"]) == (0, 1)


def test_an_availability_cut_moves_only_the_meetings_it_breaks() -> None:
    data, first = first_schedule()
    hit = first["meetings"][0]
    changed = with_previous(data, first)
    person = next(p for p in changed["participants"] if p["id"] == hit["a"])
    all_slots = [s["id"] for s in changed["slots"]]
    person["available"] = [s for s in person.get("available", all_slots) if s != hit["slot"]]
    again = solved(changed, time_limit=10)
    assert verify_schedule(changed, again) == []
    assert again["objective"] >= first["objective"] - 10
    before, after = placements(first), placements(again)
    unchanged = sum(1 for pair, place in before.items() if after.get(pair) == place)
    assert unchanged >= len(before) - 3
    assert again["moved"] + again["dropped"] >= 1
    assert after.get(frozenset((hit["a"], hit["b"])), ("", 0))[0] != hit["slot"]


def two_slot_event(kind: str) -> dict[str, Any]:
    # jp1 met in1 in s1. A new request jp1–in2 arrives; in2 can only come in s1.
    return {
        "slots": [
            {"id": "s1", "start": "2026-02-10T09:00:00+09:00", "minutes": 30, "tables": 5},
            {"id": "s2", "start": "2026-02-10T09:30:00+09:00", "minutes": 30, "tables": 5},
        ],
        "participants": [
            {"id": "jp1", "side": "JP"},
            {"id": "in1", "side": "IN"},
            {"id": "in2", "side": "IN", "available": ["s1"]},
        ],
        "requests": [{"a": "jp1", "b": "in1", "kind": "mutual"}, {"a": "jp1", "b": "in2", "kind": kind}],
        "existing": [{"a": "jp1", "b": "in1", "slot": "s1", "table": 4}],
    }


def test_a_light_new_request_does_not_displace_an_existing_meeting() -> None:
    out = solved(two_slot_event("one_sided"), time_limit=5)
    assert out["meetings"] == [{"a": "jp1", "b": "in1", "slot": "s1", "table": 4}]
    assert out["moved"] == 0
    assert [u["b"] for u in out["unscheduled"]] == ["in2"]


def test_a_must_meet_request_may_move_one_existing_meeting() -> None:
    data = two_slot_event("must")
    out = solved(data, time_limit=5)
    assert verify_schedule(data, out) == []
    assert placements(out) == {frozenset(("jp1", "in2")): ("s1", 1), frozenset(("jp1", "in1")): ("s2", 1)}
    assert out["moved"] == 1 and out["objective"] == 13.0


def test_a_higher_move_penalty_protects_the_previous_schedule() -> None:
    data = two_slot_event("must")
    data["move_penalty"] = 20
    out = solved(data, time_limit=5)
    assert out["moved"] == 0 and out["objective"] == 3.0


def test_pinned_meetings_never_move_even_for_a_must_meet() -> None:
    data = two_slot_event("must")
    data["existing"][0]["pinned"] = True
    out = solved(data, time_limit=5)
    assert verify_schedule(data, out) == []
    assert out["meetings"] == [{"a": "jp1", "b": "in1", "slot": "s1", "table": 4}]


def test_a_previous_meeting_in_a_slot_now_unavailable_is_moved_not_rejected() -> None:
    data = two_slot_event("one_sided")
    data["participants"][1]["available"] = ["s2"]
    out = solved(data, time_limit=5)
    assert placements(out)[frozenset(("jp1", "in1"))] == ("s2", 1)
    assert placements(out)[frozenset(("jp1", "in2"))] == ("s1", 1)
    assert out["moved"] == 1


def test_removed_tables_move_only_the_meetings_that_sat_at_them() -> None:
    data = two_slot_event("one_sided")
    data["existing"].append({"a": "jp2", "b": "in3", "slot": "s1", "table": 2})
    data["participants"] += [{"id": "jp2", "side": "JP"}, {"id": "in3", "side": "IN"}]
    data["requests"].append({"a": "jp2", "b": "in3", "kind": "mutual"})
    data["slots"][0]["tables"] = 3  # table 4 of s1 is gone
    out = solved(data, time_limit=5)
    assert placements(out)[frozenset(("jp2", "in3"))] == ("s1", 2)
    assert placements(out)[frozenset(("jp1", "in1"))][0] == "s1"
    assert out["moved"] == 1
