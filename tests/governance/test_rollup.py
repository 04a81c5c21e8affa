"""The roll-up engine against figures computed by hand (weighted, unweighted, nested, dropped, refused)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kakehashi.governance.errors import RollUpError, ZeroWeights
from kakehashi.governance.rollup import ActivityInput, CommitmentInput, check_sibling_weights, roll_up


def act(id: int, progress: int, *, commitment: int = 1, parent: int | None = None, weight: str = "1",
        status: str = "limited") -> ActivityInput:
    return ActivityInput(id=id, commitment_id=commitment, parent_id=parent, weight=D(weight), progress=progress,
                         status=status)


def test_unweighted_activities_average_into_their_commitment() -> None:
    # (20 + 50 + 80) / 3 = 50
    result = roll_up([CommitmentInput(1, "ai")], [act(1, 20), act(2, 50), act(3, 80)])
    assert result.commitments[1] == D("50.00")
    assert result.areas["ai"] == D("50.00")
    assert result.agreement == D("50.00")


def test_weights_pull_the_commitment_towards_the_heavier_activity() -> None:
    # (3·100 + 1·0) / 4 = 75
    result = roll_up([CommitmentInput(1, "ai")], [act(1, 100, weight="3", status="complete"), act(2, 0, status="not_started")])
    assert result.commitments[1] == D("75.00")


def test_fractional_weights_are_exact_and_rounded_once() -> None:
    # (0.5·10 + 0.25·40 + 0.25·45) / 1 = 5 + 10 + 11.25 = 26.25
    result = roll_up([CommitmentInput(1, "dpi")], [act(1, 10, weight="0.5"), act(2, 40, weight="0.25"),
                                                  act(3, 45, weight="0.25")])
    assert result.commitments[1] == D("26.25")


def test_a_third_rounds_half_up_to_two_decimals() -> None:
    # (100 + 0 + 0) / 3 = 33.333… → 33.33; (100 + 100 + 0) / 3 = 66.666… → 66.67
    one = roll_up([CommitmentInput(1, "ai")], [act(1, 100), act(2, 0), act(3, 0)])
    two = roll_up([CommitmentInput(1, "ai")], [act(1, 100), act(2, 100), act(3, 0)])
    assert (one.commitments[1], two.commitments[1]) == (D("33.33"), D("66.67"))


def test_nested_activities_roll_up_through_their_parent_and_ignore_its_own_figure() -> None:
    # parent 1 (own 90, ignored) has children 2 (40, w1) and 3 (70, w2): (40 + 140) / 3 = 60
    # commitment: parent 1 (60, w1) and sibling 4 (30, w1): (60 + 30) / 2 = 45
    activities = [act(1, 90), act(2, 40, parent=1), act(3, 70, parent=1, weight="2"), act(4, 30)]
    result = roll_up([CommitmentInput(1, "semiconductors")], activities)
    assert result.activities[1] == D("60.00")
    assert result.commitments[1] == D("45.00")


def test_three_levels_deep_roll_up_matches_the_hand_computation() -> None:
    # 5 (20) and 6 (80, w3) under 2: (20 + 240) / 4 = 65; 2 (65) and 3 (10) under 1: (65 + 10) / 2 = 37.5
    activities = [act(1, 0), act(2, 0, parent=1), act(3, 10, parent=1), act(5, 20, parent=2),
                  act(6, 80, parent=2, weight="3")]
    result = roll_up([CommitmentInput(1, "rnd")], activities)
    assert result.activities[2] == D("65.00")
    assert result.commitments[1] == D("37.50")


def test_dropped_activities_and_their_children_count_for_nothing() -> None:
    # 2 is dropped (with its child 3): commitment = (1: 40 w1, 4: 100 w3) = (40 + 300) / 4 = 85
    activities = [act(1, 40), act(2, 0, status="dropped", weight="10"), act(3, 100, parent=2), act(4, 100, weight="3")]
    result = roll_up([CommitmentInput(1, "talent")], activities)
    assert result.commitments[1] == D("85.00")
    assert result.activities[2] is None and result.activities[3] is None


def test_a_parent_whose_children_are_all_dropped_falls_back_to_its_own_progress() -> None:
    result = roll_up([CommitmentInput(1, "ai")], [act(1, 35), act(2, 100, parent=1, status="dropped")])
    assert result.commitments[1] == D("35.00")


def test_on_hold_activities_still_count_with_their_progress() -> None:
    result = roll_up([CommitmentInput(1, "ai")], [act(1, 50, status="on_hold"), act(2, 0)])
    assert result.commitments[1] == D("25.00")


def test_areas_and_the_agreement_weigh_commitments() -> None:
    # ai: c1 = 60 (w1), c2 = 0 (w1, no activities) → 30; security: c3 = 90 (w2) → 90
    # agreement: (60·1 + 0·1 + 90·2) / 4 = 60
    commitments = [CommitmentInput(1, "ai"), CommitmentInput(2, "ai"), CommitmentInput(3, "security", D(2))]
    result = roll_up(commitments, [act(1, 60), act(2, 90, commitment=3)])
    assert result.commitments[2] == D("0.00")
    assert result.areas == {"ai": D("30.00"), "security": D("90.00")}
    assert result.agreement == D("60.00")


def test_an_agreement_without_commitments_has_no_figure() -> None:
    assert roll_up([], []).agreement is None


def test_it_refuses_live_siblings_whose_weights_sum_to_zero() -> None:
    with pytest.raises(ZeroWeights):
        roll_up([CommitmentInput(1, "ai")], [act(1, 50, weight="0"), act(2, 70, weight="0")])


def test_a_zero_weight_beside_a_dropped_heavy_sibling_is_refused() -> None:
    with pytest.raises(ZeroWeights):
        roll_up([CommitmentInput(1, "ai")], [act(1, 50, weight="0"), act(2, 70, weight="5", status="dropped")])


def test_zero_weight_siblings_are_fine_when_another_carries_weight() -> None:
    result = roll_up([CommitmentInput(1, "ai")], [act(1, 50, weight="0"), act(2, 70, weight="2")])
    assert result.commitments[1] == D("70.00")


def test_commitment_weights_summing_to_zero_in_an_area_are_refused() -> None:
    with pytest.raises(ZeroWeights):
        roll_up([CommitmentInput(1, "ai", D(0))], [act(1, 50)])


def test_it_refuses_a_cycle_in_the_activity_tree() -> None:
    with pytest.raises(RollUpError) as caught:
        roll_up([CommitmentInput(1, "ai")], [act(1, 10, parent=3), act(2, 10, parent=1), act(3, 10, parent=2)])
    assert caught.value.code == "cycle"


def test_it_refuses_an_activity_that_is_its_own_parent() -> None:
    with pytest.raises(RollUpError) as caught:
        roll_up([CommitmentInput(1, "ai")], [act(1, 10, parent=1)])
    assert caught.value.code == "cycle"


def test_it_refuses_a_parent_serving_another_commitment() -> None:
    with pytest.raises(RollUpError) as caught:
        roll_up([CommitmentInput(1, "ai"), CommitmentInput(2, "ai")], [act(1, 10), act(2, 10, parent=1, commitment=2)])
    assert caught.value.code == "parent_elsewhere"


@pytest.mark.parametrize("progress", [-1, 101])
def test_it_refuses_progress_outside_0_to_100(progress: int) -> None:
    with pytest.raises(RollUpError) as caught:
        roll_up([CommitmentInput(1, "ai")], [act(1, progress)])
    assert caught.value.field == "progress"


def test_sibling_weight_check_ignores_dropped_siblings_and_passes_with_no_live_one() -> None:
    check_sibling_weights([(D(0), "dropped")], "commitment 1")
    with pytest.raises(ZeroWeights):
        check_sibling_weights([(D(0), "limited"), (D(3), "dropped")], "commitment 1")


def test_a_chain_of_five_thousand_sub_activities_rolls_up_without_recursion_trouble() -> None:
    chain = [act(1, 0)] + [act(n, 0, parent=n - 1) for n in range(2, 5000)] + [act(5000, 70, parent=4999)]
    result = roll_up([CommitmentInput(1, "ai")], chain)
    assert result.commitments[1] == D("70.00")


def test_non_decimal_weights_stay_exact() -> None:
    # weights of a third each: (30 + 60 + 90) / 3 = 60 exactly
    third = "0.3333333333333333333333333333"
    result = roll_up([CommitmentInput(1, "ai")], [act(1, 30, weight=third), act(2, 60, weight=third), act(3, 90, weight=third)])
    assert result.commitments[1] == D("60.00")
