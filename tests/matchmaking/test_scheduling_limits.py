"""Time limits, determinism and idle gaps (the secondary objective)."""

from __future__ import annotations

from typing import Any

from kakehashi.matchmaking.scheduling import greedy_first_fit_json, solve_json, verify_schedule
from kakehashi.matchmaking.scheduling.deadline import Deadline
from kakehashi.matchmaking.scheduling.gaps import person_gaps
from kakehashi.matchmaking.scheduling.greedy import greedy_first_fit
from kakehashi.matchmaking.scheduling.lns import improve_by_windows
from kakehashi.matchmaking.scheduling.model import Schedule
from kakehashi.matchmaking.scheduling.parsing import parse_instance
from kakehashi.matchmaking.scheduling.problem import build_problem
from kakehashi.matchmaking.scheduling.synthetic import synthetic_instance
from kakehashi.matchmaking.scheduling.tables import number_tables


def solved(data: dict[str, Any], **options: Any) -> dict[str, Any]:
    """Solve and re-check every constraint of the result (every output in these tests is verified)."""
    out = solve_json(data, **options)
    assert verify_schedule(data, out) == []
    return out


def test_a_tiny_time_limit_still_returns_a_feasible_schedule_no_worse_than_greedy() -> None:
    data = synthetic_instance(800, 3000, 12, seed=5, half_day_away=0.5, day_away=0.4, table_load=0.6)
    out = solved(data, time_limit=0.01)
    assert verify_schedule(data, out) == []
    assert out["status"] in {"time_limit", "optimal"}
    assert out["objective"] >= greedy_first_fit_json(data)["objective"]
    assert out["upper_bound"] >= out["objective"]


def test_the_same_instance_and_seed_give_the_same_schedule() -> None:
    data = synthetic_instance(150, 500, 10, seed=8)
    first, second = solved(data, time_limit=20, seed=3), solved(data, time_limit=20, seed=3)
    del first["seconds"], second["seconds"]
    assert first == second


def test_another_seed_breaks_ties_differently_but_is_as_good() -> None:
    data = synthetic_instance(150, 500, 10, seed=8)
    first, other = solved(data, time_limit=20), solved(data, time_limit=20, seed=7)
    assert verify_schedule(data, other) == []
    assert other["objective"] == first["objective"] == first["upper_bound"]
    assert other["meetings"] != first["meetings"]


def one_day(n: int) -> list[dict[str, Any]]:
    return [
        {"id": f"s{k + 1}", "start": f"2026-02-10T{9 + k // 2:02d}:{30 * (k % 2):02d}:00+09:00", "minutes": 30, "tables": None}
        for k in range(n)
    ]


def test_a_gap_is_an_empty_available_slot_between_two_meetings_of_the_same_day() -> None:
    day = 0b1111
    assert person_gaps(avail=0b1111, busy=0b0101, days=[day]) == 1
    assert person_gaps(avail=0b1011, busy=0b1001, days=[day]) == 1  # away in slot 2: one gap left
    assert person_gaps(avail=0b1101, busy=0b0101, days=[day]) == 0  # away in the middle slot
    assert person_gaps(avail=0b1111, busy=0b0011, days=[0b0001, 0b1110]) == 0  # different days


def test_it_packs_a_persons_meetings_together_when_it_can() -> None:
    data = {
        "slots": one_day(6),
        "participants": [
            {"id": "jp1", "side": "JP"},
            {"id": "in1", "side": "IN", "available": ["s1", "s2", "s6"]},
            {"id": "in2", "side": "IN", "available": ["s3", "s6"]},
            {"id": "in3", "side": "IN", "available": ["s1", "s4", "s5"]},
        ],
        "requests": [{"a": "jp1", "b": "in1"}, {"a": "jp1", "b": "in2"}, {"a": "jp1", "b": "in3"}],
    }
    out = solved(data, time_limit=5)
    assert out["objective"] == 3.0
    assert out["idle_gaps"] == 0
    assert sorted(m["slot"] for m in out["meetings"]) in (["s2", "s3", "s4"], ["s4", "s5", "s6"])


def test_an_unavoidable_gap_is_reported() -> None:
    data = {
        "slots": one_day(3),
        "participants": [
            {"id": "jp1", "side": "JP"},
            {"id": "in1", "side": "IN", "available": ["s1"]},
            {"id": "in2", "side": "IN", "available": ["s3"]},
        ],
        "requests": [{"a": "jp1", "b": "in1"}, {"a": "jp1", "b": "in2"}],
    }
    assert solved(data, time_limit=5)["idle_gaps"] == 1


def test_the_bound_counts_how_many_pairs_one_slot_can_hold() -> None:
    # Three people who all want to meet each other and two slots: one meeting per slot at most,
    # which the per-slot matching capacity in the slot-free bound proves.
    data = {
        "slots": one_day(2),
        "participants": [{"id": p, "side": "JP"} for p in ("a", "b", "c")],
        "requests": [{"a": "a", "b": "b"}, {"a": "b", "b": "c"}, {"a": "a", "b": "c"}],
    }
    out = solved(data, time_limit=5)
    assert (out["objective"], out["upper_bound"], out["status"]) == (2.0, 2.0, "optimal")


def test_window_search_only_improves_and_stays_feasible() -> None:
    # Start from greedy with a quarter of a previous schedule pinned: windows must respect the pins.
    data = synthetic_instance(70, 300, 6, seed=4, half_day_away=0.5, day_away=0.3, table_load=0.5)
    first = solved(data, time_limit=10)
    data["existing"] = [dict(m, pinned=i % 4 == 0) for i, m in enumerate(first["meetings"])]
    instance = parse_instance(data)
    agenda = greedy_first_fit(build_problem(instance))
    before = agenda.value()
    assert improve_by_windows(agenda, Deadline(30), people=30)
    assert agenda.value() > before
    meetings = number_tables(agenda)
    schedule = Schedule(meetings, agenda.weight(), 0.0, "", "", 0.0)
    assert verify_schedule(instance, schedule) == []
