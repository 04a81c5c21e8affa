"""The recommendation index: hard rules, reciprocity, sectors, exposure, feedback and upkeep (real model)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from kakehashi.matchmaking.recommend import (
    Embedder,
    InvalidLimit,
    PartnerRules,
    ProfileText,
    ProfileVectors,
    ReasonCode,
    RecommendationIndex,
    Tuning,
    UnknownProfile,
    Verdict,
)

SOLAR = "We manufacture solar panels for rooftops."
SOLAR_SEEK = "We are looking for a manufacturer of solar panels."
ROBOTS = "We build industrial robots for car factories."
ROBOTS_SEEK = "We need industrial robots for our car factory."
PAYMENTS = "We develop mobile payment apps for small shops."
BANKING = "We build mobile banking software for rural banks."
BATTERIES = "We produce lithium-ion batteries for electric scooters."
BATTERY_STORAGE = "We make battery storage systems for solar farms."
TEXTILES = "We export cotton textiles."
TEA = "We grow and export green tea."
GAMES = "We develop smartphone games."

Make = Callable[..., ProfileVectors]


@pytest.fixture(scope="module")
def make() -> Make:
    embedder = Embedder()

    def build(org_id: int, country: str, offer: str | None, seek: str | None, *, kind: str = "company",
              sectors: tuple[str, ...] = (), stage: str | None = None,
              stages: tuple[str, ...] = ()) -> ProfileVectors:
        def texts(text: str | None) -> tuple[ProfileText, ...]:
            return () if text is None else (ProfileText(text, embedder.embed(text)),)

        return ProfileVectors(org_id, country, kind, texts(offer), texts(seek), frozenset(sectors), stage,
                              frozenset(stages))

    return build


def ranked(index: RecommendationIndex, org_id: int, **kwargs: object) -> list[int]:
    return [r.org_id for r in index.recommend(org_id, limit=20, **kwargs)]  # type: ignore[arg-type]


def test_it_recommends_only_organisations_of_another_country(make: Make) -> None:
    index = RecommendationIndex([make(1, "JP", ROBOTS, SOLAR_SEEK), make(2, "JP", SOLAR, ROBOTS_SEEK),
                                 make(3, "IN", TEA, GAMES), make(4, "IN", SOLAR, ROBOTS_SEEK)])
    assert sorted(ranked(index, 1)) == [3, 4]
    assert sorted(ranked(index, 4)) == [1, 2]


def test_it_never_shows_an_investor_to_an_investor_and_respects_a_kinds_filter(make: Make) -> None:
    index = RecommendationIndex([make(1, "JP", "We invest in Indian startups.", SOLAR_SEEK, kind="investor"),
                                 make(2, "IN", "We fund early-stage startups.", None, kind="investor"),
                                 make(3, "IN", SOLAR, "We seek investors.", kind="startup"),
                                 make(4, "IN", ROBOTS, None, kind="company")])
    assert 2 not in ranked(index, 1)
    assert ranked(index, 3, kinds={"investor"}) == [1]


def test_custom_rules_can_forbid_other_pairs(make: Make) -> None:
    rules = PartnerRules(forbidden_pairs=frozenset({frozenset({"company", "university"})}))
    index = RecommendationIndex([make(1, "JP", ROBOTS, None), make(2, "IN", SOLAR, None, kind="university"),
                                 make(3, "IN", SOLAR, None)], rules=rules)
    assert ranked(index, 1) == [3]


def test_a_startup_meets_only_investors_funding_its_stage(make: Make) -> None:
    seed_fund = make(10, "JP", "We invest in seed rounds.", None, kind="investor", stages=("seed", "series-a"))
    growth_fund = make(11, "JP", "We invest in growth rounds.", None, kind="investor", stages=("growth",))
    open_fund = make(12, "JP", "We invest in startups.", None, kind="investor")
    startup = make(20, "IN", SOLAR, "We seek investors.", kind="startup", stage="seed")
    unstaged = make(21, "IN", ROBOTS, "We seek investors.", kind="startup")
    late = make(22, "IN", GAMES, "We seek investors.", kind="startup", stage="growth")
    index = RecommendationIndex([seed_fund, growth_fund, open_fund, startup, unstaged, late])
    assert sorted(ranked(index, 20)) == [10, 12]
    assert sorted(ranked(index, 10)) == [20, 21]
    assert sorted(ranked(index, 11)) == [21, 22]
    reasons = index.recommend(20, limit=5)
    fit = [r for rec in reasons if rec.org_id == 10 for r in rec.reasons if r.code is ReasonCode.STAGE_FIT]
    assert fit and fit[0].values == ("seed",)


def test_a_two_sided_match_ranks_above_a_one_sided_one(make: Make) -> None:
    me = make(1, "JP", ROBOTS, SOLAR_SEEK)
    two_sided = make(2, "IN", SOLAR, ROBOTS_SEEK)
    one_sided = make(3, "IN", SOLAR, "We are looking for green tea importers.")
    others = [make(4 + i, "IN", text, seek) for i, (text, seek) in
              enumerate([(TEA, GAMES), (PAYMENTS, TEXTILES), (BANKING, TEA), (GAMES, PAYMENTS)])]
    index = RecommendationIndex([me, one_sided, two_sided, *others])
    results = index.recommend(1, limit=3)
    assert [r.org_id for r in results[:2]] == [2, 3]
    assert results[0].parts is not None and results[1].parts is not None
    assert results[0].parts.backward > results[1].parts.backward
    codes = [reason.code for reason in results[0].reasons]
    assert ReasonCode.SEEK_OFFER in codes and ReasonCode.OFFER_SEEK in codes


def test_shared_sectors_lift_a_partner_and_are_cited(make: Make) -> None:
    me = make(1, "JP", ROBOTS, SOLAR_SEEK, sectors=("energy.solar", "manufacturing.robots"))
    same = make(2, "IN", SOLAR, TEA, sectors=("energy.solar",))
    other = make(3, "IN", SOLAR, TEA, sectors=("food.tea",))
    index = RecommendationIndex([me, other, same, make(4, "IN", GAMES, PAYMENTS), make(5, "IN", TEA, BANKING)])
    results = {r.org_id: r for r in index.recommend(1, limit=5)}
    assert results[2].score - results[3].score == pytest.approx(0.25, abs=1e-4)  # half Jaccard, top-level only
    shared = [r for r in results[2].reasons if r.code is ReasonCode.SHARED_SECTORS]
    assert shared[0].values == ("energy.solar",)
    assert not [r for r in results[3].reasons if r.code is ReasonCode.SHARED_SECTORS]


def test_the_exposure_penalty_lowers_a_swamped_profile(make: Make) -> None:
    twins = [make(2, "IN", SOLAR, ROBOTS_SEEK), make(3, "IN", SOLAR, ROBOTS_SEEK)]
    others = [make(4, "IN", TEA, GAMES), make(5, "IN", PAYMENTS, TEXTILES), make(6, "IN", BANKING, TEA)]
    index = RecommendationIndex([make(1, "JP", ROBOTS, SOLAR_SEEK), *twins, *others])
    before = {r.org_id: r.score for r in index.recommend(1, limit=5)}
    index.add_exposure([2], amount=500)
    after = index.recommend(1, limit=5)
    assert after[0].org_id == 3
    swamped = next(r for r in after if r.org_id == 2)
    assert swamped.score < before[2]
    assert swamped.parts is not None and swamped.parts.exposure_penalty > 0
    assert index.exposure_of(2) == 500


def test_requesting_a_meeting_lifts_similar_partners(make: Make) -> None:
    me = make(1, "JP", ROBOTS, "We are looking for partners in India.")
    candidates = [make(2, "IN", BATTERIES, None), make(3, "IN", BATTERY_STORAGE, None),
                  make(4, "IN", PAYMENTS, None), make(5, "IN", BANKING, None), make(6, "IN", TEA, None),
                  make(7, "IN", TEXTILES, None), make(8, "IN", GAMES, None)]
    index = RecommendationIndex([me, *candidates])
    before = ranked(index, 1)
    index.record_feedback(1, 2, Verdict.REQUEST_MEETING)
    after = ranked(index, 1, exclude={2})
    assert after[0] == 3
    assert after.index(3) < before.index(3)


def test_not_interested_hides_the_partner_and_lowers_similar_ones(make: Make) -> None:
    me = make(1, "JP", ROBOTS, "We are looking for partners in India.")
    candidates = [make(2, "IN", BATTERIES, None), make(3, "IN", BATTERY_STORAGE, None),
                  make(4, "IN", PAYMENTS, None), make(5, "IN", BANKING, None), make(6, "IN", TEA, None),
                  make(7, "IN", TEXTILES, None), make(8, "IN", GAMES, None)]
    index = RecommendationIndex([me, *candidates])
    before = {r.org_id: r.score for r in index.recommend(1, limit=20)}
    index.record_feedback(1, 4, Verdict.NOT_INTERESTED)
    after = {r.org_id: r.score for r in index.recommend(1, limit=20)}
    assert 4 not in after
    assert after[5] < before[5]
    assert min(after, key=after.__getitem__) == 5


def test_a_later_verdict_replaces_an_earlier_one(make: Make) -> None:
    index = RecommendationIndex([make(1, "JP", ROBOTS, SOLAR_SEEK), make(2, "IN", SOLAR, ROBOTS_SEEK)])
    index.record_feedback(1, 2, Verdict.NOT_INTERESTED)
    assert ranked(index, 1) == []
    index.record_feedback(1, 2, Verdict.REQUEST_MEETING)
    assert ranked(index, 1) == [2]


def test_exclude_hides_partners_the_caller_already_handles(make: Make) -> None:
    index = RecommendationIndex([make(1, "JP", ROBOTS, SOLAR_SEEK), make(2, "IN", SOLAR, ROBOTS_SEEK),
                                 make(3, "IN", TEA, None)])
    assert ranked(index, 1, exclude=[2]) == [3]


def test_a_profile_without_texts_still_gets_partners_from_rules_and_sectors(make: Make) -> None:
    index = RecommendationIndex([make(1, "JP", None, None, sectors=("energy.solar",)),
                                 make(2, "IN", SOLAR, None, sectors=("energy.solar",)),
                                 make(3, "IN", TEA, None, sectors=("food.tea",))])
    assert ranked(index, 1) == [2, 3]


def test_saving_a_profile_again_replaces_its_row_even_across_countries(make: Make) -> None:
    index = RecommendationIndex([make(1, "JP", ROBOTS, SOLAR_SEEK), make(2, "IN", SOLAR, ROBOTS_SEEK)])
    index.add_exposure([2], amount=3)
    index.upsert(make(2, "IN", TEA, None))
    assert index.profile(2).offers[0].text == TEA
    index.upsert(make(2, "JP", TEA, None))
    assert ranked(index, 1) == [] and len(index) == 2
    assert index.exposure_of(2) == 3


def test_removed_profiles_disappear_and_cannot_be_queried(make: Make) -> None:
    index = RecommendationIndex([make(1, "JP", ROBOTS, SOLAR_SEEK), make(2, "IN", SOLAR, ROBOTS_SEEK)])
    index.remove(2)
    assert ranked(index, 1) == [] and 2 not in index
    with pytest.raises(UnknownProfile):
        index.recommend(2)


def test_many_removals_compact_a_block_without_losing_rows(make: Make) -> None:
    solar, robots = make(0, "IN", SOLAR, ROBOTS_SEEK), make(0, "JP", ROBOTS, SOLAR_SEEK)
    rows = [ProfileVectors(i, "IN", "company", solar.offers, solar.seeks) for i in range(100, 2100)]
    index = RecommendationIndex([ProfileVectors(1, "JP", "company", robots.offers, robots.seeks), *rows])
    for i in range(100, 1900):
        index.remove(i)
    assert sorted(ranked(index, 1)) == list(range(1900, 1920))
    assert len(index) == 201


def test_it_rejects_a_limit_outside_one_to_a_hundred(make: Make) -> None:
    index = RecommendationIndex([make(1, "JP", ROBOTS, SOLAR_SEEK)])
    for limit in (0, 101):
        with pytest.raises(InvalidLimit):
            index.recommend(1, limit=limit)


def test_it_rejects_an_unknown_organisation() -> None:
    with pytest.raises(UnknownProfile) as caught:
        RecommendationIndex().recommend(42)
    assert caught.value.field == "org_id"


def test_the_coarse_first_pass_finds_the_same_partners_as_the_exact_scan() -> None:
    rng = np.random.default_rng(5)
    centres = rng.standard_normal((12, 384)).astype(np.float32)

    def vector() -> np.ndarray:
        v = centres[rng.integers(12)] + 0.6 * rng.standard_normal(384).astype(np.float32)
        return (v / np.linalg.norm(v)).astype(np.float32)

    records = [ProfileVectors(i, "JP" if i % 2 else "IN", "company", (ProfileText("offer", vector()),),
                              (ProfileText("seek", vector()),), frozenset({f"s.{i % 7}"})) for i in range(3000)]
    exact = RecommendationIndex(records)
    coarse = RecommendationIndex(records, tuning=Tuning(coarse_from=0))
    for org_id in range(0, 3000, 150):
        expected = exact.recommend(org_id, limit=10)
        found = coarse.recommend(org_id, limit=10)
        assert [r.org_id for r in found] == [r.org_id for r in expected]
        # z-scores use the coarse pass's mean and spread, so scores agree closely but not exactly
        assert [r.score for r in found] == pytest.approx([r.score for r in expected], rel=0.01)
