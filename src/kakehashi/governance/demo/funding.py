"""Demo funding ledger: planned and actual costs per activity and side, monthly display rates, and two cost-sharing
arrangements (one concurred by both participants, one still awaiting MeitY's signature)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.governance.demo.people import END, Cast, at, month
from kakehashi.governance.funding import services
from kakehashi.governance.register.models import Activity, ActivityOwner

RATE_SOURCE = "Demo reference rate (illustrative, not a market rate)"


def _rates(session: Session, cast: Cast, rng: random.Random) -> None:
    rate = Decimal("0.5620")
    offset = 0
    while (day := month(offset)) <= END:
        services.set_rate(session, base="JPY", quote="INR", rate=rate, as_of=day, source=RATE_SOURCE,
                          actor=cast.actor("meti"))
        rate = (rate + Decimal(rng.randint(-60, 70)) / 10000).quantize(Decimal("0.0001"))
        offset += 1


def _amount(side: str, rng: random.Random) -> Decimal:
    if side == "JP":
        return Decimal(rng.randint(5, 300) * 100_000)  # ¥500,000 – ¥30,000,000
    paise = rng.choice((0, 0, 0, 50, 25))
    return Decimal(rng.randint(2, 150) * 50_000) + Decimal(paise) / 100  # ₹1,00,000 – ₹75,00,000


def _costs(session: Session, cast: Cast, activity: Activity, side: str, rng: random.Random) -> None:
    actor = cast.actor("meti" if side == "JP" else "meity")
    currency = "JPY" if side == "JP" else "INR"
    planned = _amount(side, rng)
    start = activity.start_on or month(0)
    services.record_cost(session, activity_id=activity.id, side=side, kind="planned", currency=currency, amount=planned,
                         incurred_on=start, description="Budget for the activity", actor=actor, now=at(start))
    spent_share = Decimal(activity.progress) / 100
    quarters = max(1, min(4, ((END - start).days // 90)))
    for quarter in range(quarters):
        day = min(start + dt.timedelta(days=90 * quarter + 45), END)
        amount = (planned * spent_share / quarters).quantize(Decimal(1) if currency == "JPY" else Decimal("0.01"))
        if amount > 0:
            services.record_cost(session, activity_id=activity.id, side=side, kind="actual", currency=currency,
                                 amount=amount, incurred_on=day, description=f"Spending, quarter {quarter + 1}",
                                 actor=actor, now=at(day))


def _arrangements(session: Session, cast: Cast, activities: dict[str, Activity]) -> None:
    packaging = activities.get("Researcher exchange between AIST and IISc")
    if packaging is not None and cast.id("meti") and cast.id("meity"):
        concurred = services.propose_arrangement(
            session, activity_id=packaging.id, description="METI covers travel and lodging of Indian researchers in Tsukuba.",
            shares=[services.ShareSpec("METI", "JPY", "4800000")], actor=cast.actor("meti"), now=at(month(3)))
        for key in ("meti", "meity"):
            services.sign_arrangement(session, concurred.id, actor=cast.actor(key), now=at(month(3, 10)), demo_keys=True)
        services.record_cost(session, activity_id=packaging.id, side="JP", kind="actual", currency="JPY", amount="4650000",
                             incurred_on=month(5, 20), description="Researchers' travel (shared cost)",
                             arrangement_id=concurred.id, actor=cast.actor("meti"), now=at(month(5, 20)))
    fair = activities.get("Japan Career Fair at IIT Hyderabad 2026")
    if fair is not None and cast.id("meti"):
        pending = services.propose_arrangement(
            session, activity_id=fair.id, description="METI pays the venue in Hyderabad in rupees.",
            shares=[services.ShareSpec("METI", "INR", "1250000.00")], actor=cast.actor("meti"), now=at(month(13)))
        services.sign_arrangement(session, pending.id, actor=cast.actor("meti"), now=at(month(13, 5)), demo_keys=True)
        services.record_cost(session, activity_id=fair.id, side="JP", kind="planned", currency="INR", amount="1250000.00",
                             incurred_on=month(13, 5), description="Venue in Hyderabad (awaiting concurrence)",
                             arrangement_id=pending.id, actor=cast.actor("meti"), now=at(month(13, 5)))


def load(session: Session, cast: Cast, rng: random.Random) -> None:
    """Rates, costs on each owning side, and the cost-sharing arrangements."""
    _rates(session, cast, rng)
    activities = {a.title: a for a in session.scalars(select(Activity).order_by(Activity.id))}
    sides: dict[int, set[str]] = {}
    for owner in session.scalars(select(ActivityOwner)):
        sides.setdefault(owner.activity_id, set()).add(owner.side)
    for activity in activities.values():
        if activity.status == "dropped" or (activity.parent_id is not None and activity.progress == 0):
            continue
        for side in sorted(sides.get(activity.id, set())):
            _costs(session, cast, activity, side, rng)
    _arrangements(session, cast, activities)
