"""The solver reaches the exact optimum on small instances and its bound is never below it."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kakehashi.matchmaking.scheduling import (
    greedy_first_fit_json,
    parse_instance,
    solve,
    solve_json,
    verify_schedule,
)
from kakehashi.matchmaking.scheduling.synthetic import synthetic_instance

DAY1 = "2026-02-10T{}:00+09:00"
DAY2 = "2026-02-11T{}:00+09:00"
TIMES = [DAY1.format("09:00"), DAY1.format("09:30"), DAY2.format("09:00"), DAY2.format("09:30")]


def solved(data: dict[str, Any], **options: Any) -> dict[str, Any]:
    """Solve and re-check every constraint of the result (every output in these tests is verified)."""
    out = solve_json(data, **options)
    assert verify_schedule(data, out) == []
    return out


def exhaustive_optimum(data: dict[str, Any]) -> float:
    """Best total weight over every assignment of each request to 'none' or one common slot."""
    inst = parse_instance(data)
    slots = [s.id for s in inst.slots]
    tables = {s.id: s.tables for s in inst.slots}
    avail = {p.id: set(p.available if p.available is not None else slots) for p in inst.participants}
    cap = {p.id: p.max_meetings for p in inst.participants}
    options = [[None, *[s for s in slots if s in avail[r.a] & avail[r.b]]] for r in inst.requests]
    best = 0.0
    for choice in itertools.product(*options):
        used: set[tuple[str, str]] = set()
        count: dict[str, int] = {}
        load: dict[str, int] = {}
        ok = True
        for req, slot in zip(inst.requests, choice):
            if slot is None:
                continue
            for pid in (req.a, req.b):
                ok &= (pid, slot) not in used
                used.add((pid, slot))
                count[pid] = count.get(pid, 0) + 1
                ok &= cap[pid] is None or count[pid] <= cap[pid]  # type: ignore[operator]
            load[slot] = load.get(slot, 0) + 1
            ok &= tables[slot] is None or load[slot] <= tables[slot]  # type: ignore[operator]
            if not ok:
                break
        if ok:
            best = max(best, sum(r.weight for r, s in zip(inst.requests, choice) if s is not None))
    return best


def test_a_popular_person_meets_those_with_no_other_option() -> None:
    # jp1 and in3 are capped. in1 and in2 asked only jp1; in3 asked both. Greedy in input order
    # gives jp1 to in3 and in1, stranding in2; the optimum sends in3 to jp2.
    data = {
        "slots": [{"id": f"s{i + 1}", "start": t, "minutes": 30, "tables": None} for i, t in enumerate(TIMES)],
        "participants": [
            {"id": "jp1", "side": "JP", "max_meetings": 2},
            {"id": "jp2", "side": "JP"},
            {"id": "in1", "side": "IN"},
            {"id": "in2", "side": "IN"},
            {"id": "in3", "side": "IN", "max_meetings": 1},
        ],
        "requests": [
            {"a": "in3", "b": "jp1"},
            {"a": "in1", "b": "jp1"},
            {"a": "in2", "b": "jp1"},
            {"a": "in3", "b": "jp2"},
        ],
    }
    out = solved(data, time_limit=5)
    assert out["objective"] == 3.0 == out["upper_bound"]
    assert out["status"] == "optimal" and out["ratio"] == 1.0
    assert greedy_first_fit_json(data)["objective"] == 2.0
    assert verify_schedule(data, out) == []


def test_tables_and_availability_decide_who_meets_when() -> None:
    # One table per slot; in1 can only come in s1, so jp1–in2 must take s2.
    data = {
        "slots": [
            {"id": "s1", "start": TIMES[0], "minutes": 30, "tables": 1},
            {"id": "s2", "start": TIMES[1], "minutes": 30, "tables": 1},
        ],
        "participants": [
            {"id": "jp1", "side": "JP"},
            {"id": "in1", "side": "IN", "available": ["s1"]},
            {"id": "in2", "side": "IN"},
        ],
        "requests": [{"a": "jp1", "b": "in2", "kind": "mutual"}, {"a": "jp1", "b": "in1", "kind": "must"}],
    }
    out = solved(data, time_limit=5)
    placed = {(m["a"], m["b"]): (m["slot"], m["table"]) for m in out["meetings"]}
    assert placed == {("jp1", "in1"): ("s1", 1), ("jp1", "in2"): ("s2", 1)}
    assert out["objective"] == 13.0 and out["unscheduled"] == []


def test_it_explains_why_requests_stay_out() -> None:
    data = {
        "slots": [{"id": "s1", "start": TIMES[0], "minutes": 30, "tables": 5}],
        "participants": [
            {"id": "jp1", "side": "JP", "max_meetings": 1},
            {"id": "in1", "side": "IN"},
            {"id": "in2", "side": "IN"},
            {"id": "in3", "side": "IN", "available": []},
        ],
        "requests": [
            {"a": "jp1", "b": "in1", "kind": "must"},
            {"a": "jp1", "b": "in2"},
            {"a": "in3", "b": "jp1"},
        ],
    }
    out = solved(data, time_limit=5)
    reasons = {(u["a"], u["b"]): u["reason"] for u in out["unscheduled"]}
    assert reasons == {("jp1", "in2"): "max_meetings", ("in3", "jp1"): "no_common_slot"}


def test_non_integer_weights_keep_an_unrounded_bound() -> None:
    data = {
        "slots": [{"id": "s1", "start": TIMES[0], "minutes": 30, "tables": 1}],
        "participants": [{"id": "a", "side": "JP"}, {"id": "b", "side": "IN"}, {"id": "c", "side": "IN"}],
        "requests": [{"a": "a", "b": "b", "weight": 2.5}, {"a": "a", "b": "c", "weight": 1.25}],
    }
    out = solved(data, time_limit=5)
    assert out["objective"] == 2.5
    assert 2.5 <= out["upper_bound"] < 2.5 + 1e-6


def test_an_empty_event_gives_an_empty_schedule() -> None:
    data = {"slots": [], "participants": [], "requests": []}
    out = solved(data, time_limit=2)
    assert out["meetings"] == [] and out["objective"] == 0.0 and out["status"] == "optimal"


@st.composite
def tiny_instances(draw: st.DrawFn) -> dict[str, Any]:
    n_slots = draw(st.integers(1, 4))
    slots = [
        {"id": f"s{k}", "start": TIMES[k], "minutes": 30, "tables": draw(st.none() | st.integers(0, 3))} for k in range(n_slots)
    ]
    people = []
    for i in range(draw(st.integers(2, 5))):
        person: dict[str, Any] = {"id": f"p{i}", "side": draw(st.sampled_from(["JP", "IN"]))}
        if draw(st.booleans()):
            person["available"] = draw(st.lists(st.sampled_from([s["id"] for s in slots]), unique=True))
        if draw(st.booleans()):
            person["max_meetings"] = draw(st.integers(0, 3))
        people.append(person)
    pairs = list(itertools.combinations([p["id"] for p in people], 2))
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=6))
    requests = [
        {"a": a, "b": b, "weight": draw(st.integers(0, 6))}
        if draw(st.booleans())
        else {"a": b, "b": a, "kind": draw(st.sampled_from(["must", "mutual", "one_sided"]))}
        for a, b in chosen
    ]
    return {"slots": slots, "participants": people, "requests": requests}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_instances())
def test_it_matches_exhaustive_search_on_random_tiny_instances(data: dict[str, Any]) -> None:
    optimum = exhaustive_optimum(data)
    out = solved(data, time_limit=10)
    assert verify_schedule(data, out) == []
    assert out["objective"] == optimum
    assert out["upper_bound"] >= optimum - 1e-9
    assert out["objective"] >= greedy_first_fit_json(data)["objective"]
    assert (out["status"] == "optimal") == (out["objective"] >= out["upper_bound"] - 1e-9)


def test_a_synthetic_event_is_solved_to_its_bound_and_beats_greedy() -> None:
    data = synthetic_instance(120, 400, 8, seed=3)
    schedule = solve(parse_instance(data), time_limit=20)
    assert verify_schedule(data, schedule) == []
    assert schedule.objective >= 0.995 * schedule.upper_bound
    assert schedule.objective >= greedy_first_fit_json(data)["objective"]
    assert set(schedule.bounds) >= {"slot_free_lp"}


def test_the_generator_refuses_more_requests_than_pairs() -> None:
    with pytest.raises(ValueError, match="too many"):
        synthetic_instance(10, 40, 4)
