"""The index answering for a person: expertise lines as query rows, coarse pass, fallbacks (real model)."""

from __future__ import annotations

import pytest

from kakehashi.matchmaking.recommend import (
    Embedder,
    InvalidLimit,
    PersonVectors,
    ProfileText,
    ProfileVectors,
    ReasonCode,
    RecommendationIndex,
    Tuning,
    UnknownProfile,
    Verdict,
)
from tests.matchmaking.test_recommend_multilingual import PROFILES

SOLAR_PANELS_JA = "高効率の太陽光パネルの設計と製造"  # what firm 12 seeks (in Hindi)
ULTRASOUND_JA = "携帯型の超音波診断装置の開発"  # what firm 14 seeks (in Hindi)
GAMES_JA = "スマートフォン向けゲームの開発"  # what firm 13 seeks (in English)
ROBOTS_JA = "産業用ロボットと精密センサーの製造"  # what firm 11 seeks (in English)
HOST = 5  # a Japanese railway-signalling firm: its own profile points elsewhere


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def build(embedder: Embedder, tuning: Tuning | None = None) -> RecommendationIndex:
    records = []
    for org_id, (country, offer, seek) in PROFILES.items():
        offer_vector, seek_vector = embedder.embed_many([offer, seek])
        records.append(ProfileVectors(org_id, country, "company", (ProfileText(offer, offer_vector),),
                                      (ProfileText(seek, seek_vector),)))
    return RecommendationIndex(records, tuning=tuning)


def person(embedder: Embedder, *lines: str) -> PersonVectors:
    return PersonVectors(1_000_001, HOST, tuple(ProfileText(line, embedder.embed(line)) for line in lines))


def test_each_expertise_line_finds_its_own_partner(embedder: Embedder) -> None:
    """Four unrelated lines: each finds its firm (one averaged vector would rank firm 14 sixth)."""
    index = build(embedder)
    top = index.recommend_person(person(embedder, SOLAR_PANELS_JA, ULTRASOUND_JA, GAMES_JA, ROBOTS_JA), limit=4)
    assert {r.org_id for r in top} == {11, 12, 13, 14}
    assert {r.org_id for r in index.recommend(HOST, limit=4)} != {11, 12, 13, 14}  # not the host's own list
    cited = {r.org_id: [(reason.code, reason.values[0]) for reason in r.reasons] for r in top}
    assert (ReasonCode.SEEK_EXPERTISE, GAMES_JA) in cited[13]
    assert (ReasonCode.SEEK_EXPERTISE, SOLAR_PANELS_JA) in cited[12]
    assert (ReasonCode.SEEK_EXPERTISE, ULTRASOUND_JA) in cited[14]


def test_only_the_other_country_is_recommended(embedder: Embedder) -> None:
    found = build(embedder).recommend_person(person(embedder, SOLAR_PANELS_JA), limit=100)
    assert found and all(PROFILES[r.org_id][0] == "IN" for r in found)


def test_the_coarse_pass_gives_the_exact_answer_for_people(embedder: Embedder) -> None:
    me = person(embedder, SOLAR_PANELS_JA, ULTRASOUND_JA)
    exact = build(embedder).recommend_person(me, limit=5)
    coarse_index = build(embedder, Tuning(coarse_from=8))
    coarse = coarse_index.recommend_person(me, limit=5)
    assert coarse_index._projection is not None  # the projected first pass ran
    assert [r.org_id for r in coarse] == [r.org_id for r in exact]
    assert [r.score for r in coarse] == pytest.approx([r.score for r in exact], rel=1e-3)


def test_without_expertise_a_person_gets_their_organisations_list(embedder: Embedder) -> None:
    index = build(embedder)
    theirs = index.recommend(HOST, limit=5)
    mine = index.recommend_person(PersonVectors(1_000_002, HOST), limit=5)
    assert [r.org_id for r in mine] == [r.org_id for r in theirs]
    assert [r.score for r in mine] == pytest.approx([r.score for r in theirs], rel=1e-5)


def test_a_persons_verdicts_shape_only_their_own_list(embedder: Embedder) -> None:
    index = build(embedder)
    me = person(embedder, SOLAR_PANELS_JA)
    first = index.recommend_person(me, limit=1)[0].org_id
    after = index.recommend_person(me, limit=5, verdicts=[(first, Verdict.NOT_INTERESTED)])
    assert first not in [r.org_id for r in after]
    assert first in [r.org_id for r in index.recommend_person(me, limit=5)]
    assert index.feedback.declined(HOST) == set()


def test_unknown_organisations_and_bad_limits_are_refused(embedder: Embedder) -> None:
    index = build(embedder)
    with pytest.raises(UnknownProfile):
        index.recommend_person(PersonVectors(1, 999), limit=5)
    with pytest.raises(InvalidLimit):
        index.recommend_person(person(embedder, SOLAR_PANELS_JA), limit=0)
