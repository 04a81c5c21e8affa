"""Weighted progress roll-up: activities → commitments → areas → the whole agreement.

Pure: rows come in as plain values and figures come out, so the same rules serve pages, the report and the
tests (which check them against figures computed by hand). The rules, also in docs/governance.md:

- An activity's figure is its own progress when it has no live (non-dropped) child, else the weighted mean of
  its live children's figures. Dropped activities (and everything beneath them) count for nothing.
- A commitment's figure is the weighted mean of its live top-level activities, or 0 when it has none yet.
- An area's figure is the weighted mean of its commitments; the agreement's is the weighted mean of every
  commitment (the areas weighted by their commitments' total weight).
- Among the live siblings of any parent the weights must not sum to zero: that mean does not exist.
Means are computed exactly (fractions) and rounded once, to two decimals, at the end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from kakehashi.governance.errors import RollUpError, ZeroWeights
from kakehashi.kernel.i18n import N_

DROPPED = "dropped"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ActivityInput:
    """One activity as the roll-up sees it: where it hangs, its weight, its own progress and status."""

    id: int
    commitment_id: int
    parent_id: int | None
    weight: Decimal
    progress: int
    status: str


@dataclass(frozen=True)
class CommitmentInput:
    """One commitment of the agreement: its area and weight."""

    id: int
    area: str | None
    weight: Decimal = Decimal(1)


@dataclass(frozen=True)
class RollUp:
    """Every figure of one roll-up, in percent with two decimals (None: dropped or nothing to measure)."""

    activities: Mapping[int, Decimal | None]
    commitments: Mapping[int, Decimal]
    areas: Mapping[str, Decimal | None]
    agreement: Decimal | None


Exact = Fraction | int  # a figure: whole percent for most activities, a fraction once weights divide


def to_percent(value: Exact) -> Decimal:
    """An exact figure rounded half-up to two decimals."""
    if isinstance(value, int):
        return Decimal(value).quantize(CENT)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


def _hundredths(weight: Decimal) -> Exact:
    """A weight in hundredths: an int for the usual two-decimal weights (fast), a Fraction otherwise (exact)."""
    scaled = weight.scaleb(2)
    if scaled == scaled.to_integral_value():
        return int(scaled)
    return Fraction(weight) * 100


def weighted_mean(pairs: Iterable[tuple[Exact, Decimal]], where: str) -> Exact:
    """Σ wᵢ·xᵢ / Σ wᵢ exactly; refuse negative weights and weights that sum to zero.

    Whole-number terms are summed as integers and only fractional ones as Fractions: the same exact result,
    without building a Fraction per term (the roll-up of 10^5 activities stays well under a second or two).
    """
    total_weight: Exact = 0
    whole = 0
    fractional: Exact = 0
    for value, weight in pairs:
        if weight < 0:
            raise RollUpError(N_("Weights cannot be negative."), field="weight", code="negative_weight")
        scaled = _hundredths(weight)
        total_weight += scaled
        if isinstance(value, int) and isinstance(scaled, int):
            whole += scaled * value
        else:
            fractional += scaled * value
    if total_weight == 0:
        raise ZeroWeights(N_("These weights sum to zero, so no progress can be computed: give at least one a weight."),
                          where=where)
    if fractional == 0 and isinstance(total_weight, int):
        mean = Fraction(whole, total_weight)
    else:
        mean = (whole + fractional) / Fraction(total_weight)
    return int(mean) if mean.denominator == 1 else mean


def check_tree(activities: Sequence[ActivityInput]) -> None:
    """Refuse a parent that does not exist, serves another commitment, or leads back to the activity (a cycle)."""
    by_id = {a.id: a for a in activities}
    for activity in activities:
        if activity.parent_id is None:
            continue
        parent = by_id.get(activity.parent_id)
        if parent is None:
            raise RollUpError(N_("The parent activity does not exist."), field="parent_id", code="no_parent")
        if parent.commitment_id != activity.commitment_id:
            raise RollUpError(N_("An activity and its parent must serve the same commitment."), field="parent_id",
                              code="parent_elsewhere")
    rooted: set[int] = set()  # activities whose chain of parents is known to reach a top-level activity
    for activity in activities:
        chain: list[int] = []
        seen: set[int] = set()
        current: int | None = activity.id
        while current is not None and current not in rooted:
            if current in seen:
                raise RollUpError(N_("An activity cannot sit beneath itself (the tree would have a cycle)."),
                                  field="parent_id", code="cycle")
            seen.add(current)
            chain.append(current)
            current = by_id[current].parent_id
        rooted.update(chain)


def _activity_figures(activities: Sequence[ActivityInput]) -> dict[int, Exact | None]:
    """Each activity's exact figure (None when it or an ancestor is dropped), children before parents."""
    children: dict[int | None, list[ActivityInput]] = defaultdict(list)
    for activity in activities:
        if not 0 <= activity.progress <= 100:
            raise RollUpError(N_("Progress must be between 0 and 100."), field="progress", code="progress_range")
        children[activity.parent_id].append(activity)
    figures: dict[int, Exact | None] = {}
    # depth-first without recursion (a long chain of sub-activities must not hit Python's recursion limit):
    # each activity is pushed once to open it and once more, after its children, to close it
    stack: list[tuple[ActivityInput, bool, bool]] = [(a, False, False) for a in children[None]]
    while stack:
        activity, dropped, closing = stack.pop()
        dropped = dropped or activity.status == DROPPED
        if not closing:
            stack.append((activity, dropped, True))
            stack.extend((child, dropped, False) for child in children[activity.id])
            continue
        live = [c for c in children[activity.id] if c.status != DROPPED]
        if dropped:
            figures[activity.id] = None
        elif live:
            figures[activity.id] = weighted_mean(((figures[c.id] or 0, c.weight) for c in live), f"activity {activity.id}")
        else:
            figures[activity.id] = activity.progress
    return figures


def roll_up(commitments: Sequence[CommitmentInput], activities: Sequence[ActivityInput]) -> RollUp:
    """All figures of the register; raise RollUpError for a tree or weights that cannot be rolled up."""
    check_tree(activities)
    figures = _activity_figures(activities)
    top: dict[int, list[ActivityInput]] = defaultdict(list)
    for activity in activities:
        if activity.parent_id is None and activity.status != DROPPED:
            top[activity.commitment_id].append(activity)
    exact: dict[int, Exact] = {}
    for commitment in commitments:
        live = top.get(commitment.id, [])
        exact[commitment.id] = (
            weighted_mean(((figures[a.id] or 0, a.weight) for a in live), f"commitment {commitment.id}")
            if live else 0
        )
    by_area: dict[str, list[CommitmentInput]] = defaultdict(list)
    for commitment in commitments:
        if commitment.area:
            by_area[commitment.area].append(commitment)
    areas = {area: to_percent(weighted_mean(((exact[c.id], c.weight) for c in members), f"area {area}"))
             for area, members in by_area.items()}
    overall = (to_percent(weighted_mean(((exact[c.id], c.weight) for c in commitments), "the agreement"))
               if commitments else None)
    return RollUp(
        activities={key: None if value is None else to_percent(value) for key, value in figures.items()},
        commitments={key: to_percent(value) for key, value in exact.items()},
        areas=areas, agreement=overall,
    )


def check_sibling_weights(weights: Iterable[tuple[Decimal, str]], where: str) -> None:
    """Refuse a save that would leave live siblings whose weights sum to zero (weight, status pairs)."""
    live: list[tuple[Exact, Decimal]] = [(1, weight) for weight, status in weights if status != DROPPED]
    if live:
        weighted_mean(live, where)
