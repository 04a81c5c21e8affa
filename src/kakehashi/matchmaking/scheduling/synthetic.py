"""Deterministic synthetic event instances (skewed popularity, availability blocks, caps, tables).

Used by `bench/scheduler.py` and by tests that need an instance bigger than a hand-built one.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np

JST = timezone(timedelta(hours=9))
KIND_SHARES = {"must": 0.05, "mutual": 0.25, "one_sided": 0.70}
CAP_CHOICES = (4, 6, 8, 10, 12, 16)
CAP_SHARES = (0.10, 0.20, 0.30, 0.20, 0.10, 0.10)


def synthetic_instance(
    participants: int,
    requests: int,
    slots: int,
    *,
    seed: int = 0,
    days: int = 2,
    zipf: float = 1.0,
    half_day_away: float = 0.4,
    day_away: float = 0.15,
    table_load: float = 0.9,
) -> dict[str, Any]:
    """Build an instance dict in the documented JSON format.

    Popularity follows a Zipf law with exponent `zipf` on each side; a share `half_day_away` of
    the people miss one morning or afternoon and `day_away` miss a whole day. Tables per slot are
    sized for `table_load` times the meetings people could take (min of cap, requests and
    available slots, halved, spread evenly), a little fewer in the first slot of each day.
    """
    rng = np.random.default_rng(seed)
    slot_list = _slots(slots, days)
    people = _participants(rng, participants, slot_list, days, (half_day_away, day_away))
    request_list = _requests(rng, people, requests, zipf)
    _size_tables(slot_list, people, request_list, table_load)
    return {"slots": slot_list, "participants": people, "requests": request_list}


def _size_tables(
    slots: list[dict[str, Any]],
    people: list[dict[str, Any]],
    requests: list[dict[str, Any]],
    load: float,
) -> None:
    degree: dict[str, int] = {}
    for req in requests:
        for pid in (req["a"], req["b"]):
            degree[pid] = degree.get(pid, 0) + 1
    demand = sum(min(p["max_meetings"], degree.get(p["id"], 0), len(p.get("available", slots))) for p in people)
    base = max(1, round(load * demand / 2 / len(slots)))
    for slot in slots:
        # Fewer tables while the hall is still filling up in the morning.
        slot["tables"] = int(base * 0.8) if slot.pop("first_of_day") else base


def _slots(count: int, days: int) -> list[dict[str, Any]]:
    per_day = -(-count // days)
    result = []
    for k in range(count):
        day, index = divmod(k, per_day)
        start = datetime(2026, 2, 10, 9, 0, tzinfo=JST) + timedelta(days=day, minutes=30 * index)
        result.append({"id": f"s{k + 1}", "start": start.isoformat(), "minutes": 30, "first_of_day": index == 0})
    return result


def _participants(
    rng: np.random.Generator,
    count: int,
    slots: list[dict[str, Any]],
    days: int,
    away_shares: tuple[float, float],
) -> list[dict[str, Any]]:
    per_day = -(-len(slots) // days)
    people = []
    for i in range(count):
        person: dict[str, Any] = {
            "id": f"p{i + 1}",
            "side": "JP" if i % 2 == 0 else "IN",
            "max_meetings": int(rng.choice(CAP_CHOICES, p=CAP_SHARES)),
        }
        away = _away_block(rng, per_day, days, away_shares)
        if away:
            person["available"] = [s["id"] for k, s in enumerate(slots) if k not in away]
        people.append(person)
    return people


def _away_block(rng: np.random.Generator, per_day: int, days: int, shares: tuple[float, float]) -> set[int]:
    draw = rng.random()
    day = int(rng.integers(days))
    if draw < shares[0]:
        half = per_day // 2
        first = day * per_day + (0 if rng.random() < 0.5 else half)
        return set(range(first, first + half))
    if draw < shares[0] + shares[1] and days > 1:
        return set(range(day * per_day, (day + 1) * per_day))
    return set()


def _requests(rng: np.random.Generator, people: list[dict[str, Any]], count: int, zipf: float) -> list[dict[str, Any]]:
    sides = {side: [p["id"] for p in people if p["side"] == side] for side in ("JP", "IN")}
    if count > len(sides["JP"]) * len(sides["IN"]) // 2:
        # Rejection sampling of distinct pairs would crawl (or never end) near saturation.
        raise ValueError(f"{count} requests is too many for {len(people)} participants")
    popularity = {}
    for side, ids in sides.items():
        ranks = rng.permutation(len(ids)) + 1
        weights = 1.0 / ranks**zipf
        popularity[side] = weights / weights.sum()
    kinds = list(KIND_SHARES)
    seen: set[frozenset[str]] = set()
    result: list[dict[str, Any]] = []
    while len(result) < count:
        asker = people[int(rng.integers(len(people)))]
        other = "IN" if asker["side"] == "JP" else "JP"
        target = sides[other][int(rng.choice(len(sides[other]), p=popularity[other]))]
        pair = frozenset((asker["id"], target))
        if pair in seen:
            continue
        seen.add(pair)
        kind = kinds[int(rng.choice(len(kinds), p=list(KIND_SHARES.values())))]
        result.append({"a": asker["id"], "b": target, "kind": kind})
    return result
