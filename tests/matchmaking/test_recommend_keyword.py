"""The keyword-only baseline: tokens in three scripts, BM25 both ways, the same hard rules."""

from __future__ import annotations

import numpy as np

from kakehashi.matchmaking.recommend import ProfileText, ProfileVectors
from kakehashi.matchmaking.recommend.baseline import KeywordIndex, tokens
from kakehashi.matchmaking.recommend.scoring import reciprocal, standardise, top_k

NO_VECTOR = np.zeros(384, dtype=np.float32)


def profile(org_id: int, country: str, offer: str, seek: str, kind: str = "company") -> ProfileVectors:
    return ProfileVectors(org_id, country, kind, (ProfileText(offer, NO_VECTOR),), (ProfileText(seek, NO_VECTOR),))


def test_japanese_runs_become_bigrams_and_hindi_words_keep_their_vowel_signs() -> None:
    assert tokens("精密センサー") == ["精密", "密セ", "セン", "ンサ", "サー"]
    assert tokens("हम कारखानों के लिए") == ["हम", "कारखानों", "के", "लिए"]
    assert tokens("IoT devices, 5G!") == ["iot", "devices", "5g"]


def test_the_baseline_finds_a_same_language_partner_both_ways() -> None:
    index = KeywordIndex([
        profile(1, "JP", "industrial robots", "solar panels"),
        profile(2, "IN", "solar panels", "industrial robots"),
        profile(3, "IN", "solar panels", "green tea"),
        profile(4, "IN", "green tea", "cotton"),
        profile(5, "JP", "solar panels", "industrial robots"),
    ])
    assert [r.org_id for r in index.recommend(1, limit=3)] == [2, 3, 4]


def test_the_baseline_cannot_match_across_languages() -> None:
    index = KeywordIndex([
        profile(1, "JP", "産業用ロボット", "太陽光パネル"),
        profile(2, "IN", "सौर पैनल", "औद्योगिक रोबोट"),
        profile(3, "IN", "green tea", "cotton"),
    ])
    results = index.recommend(1, limit=2)
    assert {r.parts.forward for r in results if r.parts} == {0.0}


def test_the_baseline_keeps_investors_apart() -> None:
    index = KeywordIndex([profile(1, "JP", "seed funding", "startups", "investor"),
                          profile(2, "IN", "seed funding", "startups", "investor"),
                          profile(3, "IN", "startups", "seed funding", "startup")])
    assert [r.org_id for r in index.recommend(1)] == [3]


def test_standardise_leaves_missing_sides_at_the_average() -> None:
    z = standardise(np.array([1.0, 2.0, 3.0, 9.0], np.float32), np.array([True, True, True, False]))
    assert np.allclose(z, [-1.2247449, 0.0, 1.2247449, 0.0])


def test_the_harmonic_mean_prefers_balance() -> None:
    scores = reciprocal(np.array([3.0, 6.0], np.float32), np.array([3.0, 0.0], np.float32))
    assert scores[0] > scores[1]


def test_top_k_returns_the_best_eligible_in_order() -> None:
    scores = np.array([0.1, 0.9, 0.5, 0.7, 0.95], np.float32)
    eligible = np.array([True, True, True, True, False])
    assert top_k(scores, eligible, 2).tolist() == [1, 3]
    assert top_k(scores, eligible, 10).tolist() == [1, 3, 2, 0]
