"""The funding ledger (P4): exact amounts, own-side visibility, cost sharing only after a co-signed concurrence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kakehashi.governance import ledger, money
from kakehashi.governance.funding import queries, services
from kakehashi.governance.funding.models import Cost
from kakehashi.kernel.authz import SYSTEM
from kakehashi.kernel.errors import Forbidden, ValidationFailed
from tests.fixtures.actors import Cast
from tests.governance.factories import NOW, make_activity


@pytest.fixture
def activity(db: Session, cast: Cast, moc: list):
    return make_activity(db, cast.meti_officer.actor(), moc[0].id, progress=30, title="Packaging research exchange")


def test_each_side_records_exact_amounts_on_its_own_ledger(db: Session, cast: Cast, activity) -> None:
    services.record_cost(db, activity_id=activity.id, side="JP", kind="planned", currency="JPY", amount="12,500,000",
                         incurred_on=dt.date(2026, 1, 10), actor=cast.meti_officer.actor(), now=NOW)
    services.record_cost(db, activity_id=activity.id, side="IN", kind="actual", currency="INR", amount="8,45,000.50",
                         incurred_on=dt.date(2026, 1, 12), actor=cast.meity_officer.actor(), now=NOW)
    assert queries.totals(db, "JP").get("planned", "JPY") == D("12500000")
    assert queries.totals(db, "IN").get("actual", "INR") == D("845000.50")
    assert db.scalar(select(Cost.amount_minor).where(Cost.side == "IN")) == 84500050


def test_an_officer_cannot_write_on_the_other_sides_ledger(db: Session, cast: Cast, activity) -> None:
    with pytest.raises(Forbidden):
        services.record_cost(db, activity_id=activity.id, side="IN", kind="actual", currency="INR", amount="10",
                             incurred_on=dt.date(2026, 1, 12), actor=cast.meti_officer.actor(), now=NOW)


def test_each_side_sees_only_its_own_costs(cast: Cast) -> None:
    assert queries.visible_sides(cast.meti_officer.actor()) == ["JP"]
    assert queries.visible_sides(cast.meity_officer.actor()) == ["IN"]
    assert queries.visible_sides(cast.in_org_member.actor()) == []
    assert queries.visible_sides(cast.admin.actor()) == ["JP", "IN"]
    assert queries.visible_sides(SYSTEM) == ["JP", "IN"]


@pytest.mark.parametrize(("currency", "amount", "field"), [
    ("JPY", "1000.5", "amount"), ("INR", "10.255", "amount"), ("USD", "10", "currency"), ("INR", "-3", "amount"),
    ("JPY", "ten", "amount"),
])
def test_it_refuses_wrong_currency_or_precision_and_saves_nothing(db: Session, cast: Cast, activity, currency: str,
                                                                   amount: str, field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.record_cost(db, activity_id=activity.id, side="JP", kind="actual", currency=currency, amount=amount,
                             incurred_on=dt.date(2026, 1, 10), actor=cast.meti_officer.actor(), now=NOW)
    assert field in caught.value.errors
    assert db.scalar(select(func.count()).select_from(Cost)) == 0


def test_shared_costs_count_only_after_both_participants_sign_the_concurrence(db: Session, cast: Cast, activity) -> None:
    arrangement = services.propose_arrangement(
        db, activity_id=activity.id, description="METI covers Indian researchers' travel to Tsukuba.",
        shares=[services.ShareSpec("METI", "JPY", "3000000")], actor=cast.meti_officer.actor(), now=NOW)
    assert ledger.state(db, arrangement.instrument_id).type == "cost_sharing_concurrence"
    services.record_cost(db, activity_id=activity.id, side="JP", kind="actual", currency="JPY", amount="2800000",
                         incurred_on=dt.date(2026, 2, 1), arrangement_id=arrangement.id, actor=cast.meti_officer.actor(),
                         now=NOW)
    services.record_cost(db, activity_id=activity.id, side="JP", kind="actual", currency="JPY", amount="100000",
                         incurred_on=dt.date(2026, 2, 1), actor=cast.meti_officer.actor(), now=NOW)
    before = queries.totals(db, "JP")
    assert (before.get("actual", "JPY"), before.pending[("actual", "JPY")]) == (D("100000"), D("2800000"))

    assert services.sign_arrangement(db, arrangement.id, actor=cast.meti_officer.actor(), now=NOW, demo_keys=True) is False
    assert queries.totals(db, "JP").get("actual", "JPY") == D("100000")
    assert services.sign_arrangement(db, arrangement.id, actor=cast.meity_officer.actor(), now=NOW, demo_keys=True) is True
    assert queries.totals(db, "JP").get("actual", "JPY") == D("2900000")


def test_a_share_with_wrong_precision_is_refused_before_any_instrument_is_drafted(db: Session, cast: Cast, activity) -> None:
    with pytest.raises(ValidationFailed):
        services.propose_arrangement(db, activity_id=activity.id, description="Split",
                                     shares=[services.ShareSpec("MEITY", "INR", "100.001")],
                                     actor=cast.meity_officer.actor(), now=NOW)


def test_conversion_is_for_display_with_the_rate_and_its_date(db: Session, cast: Cast) -> None:
    services.set_rate(db, base="JPY", quote="INR", rate="0.5712", as_of=dt.date(2026, 3, 31), source="RBI reference",
                      actor=cast.meti_officer.actor())
    services.set_rate(db, base="JPY", quote="INR", rate="0.5650", as_of=dt.date(2026, 1, 31), source="RBI reference",
                      actor=cast.meti_officer.actor())
    rate = queries.latest_rate(db, on=dt.date(2026, 2, 15))
    assert (rate.rate, rate.as_of) == (D("0.5650"), dt.date(2026, 1, 31))
    assert money.convert(D("1000000"), "JPY", queries.latest_rate(db)) == D("571200.00")
    with pytest.raises(ValidationFailed):
        services.set_rate(db, base="JPY", quote="JPY", rate="1", as_of=dt.date(2026, 1, 1), source="", actor=SYSTEM)
