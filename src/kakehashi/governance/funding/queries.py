"""Read functions of the funding ledger: one side's costs, totals that count, display rates.

Every function that returns costs takes the side whose ledger it reads; callers check the actor may see
that side (`governance.funding.view` is own-side only), so each side sees its own costs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.governance import ledger, money
from kakehashi.governance.funding.models import Cost, CostArrangement, ExchangeRate
from kakehashi.kernel.authz import Actor, can


def visible_sides(actor: Actor) -> list[str]:
    """The sides whose ledgers the actor may read (own side; administrators both)."""
    if not actor.is_authenticated and not actor.is_admin:
        return []
    return [side for side in ("JP", "IN") if can(actor, "governance.funding.view", side=side)]


def costs(session: Session, side: str, *, activity_id: int | None = None) -> list[Cost]:
    """One side's costs (of one activity), newest first."""
    query = select(Cost).where(Cost.side == side)
    if activity_id is not None:
        query = query.where(Cost.activity_id == activity_id)
    return list(session.scalars(query.order_by(Cost.incurred_on.desc(), Cost.id.desc())))


def concurred_arrangements(session: Session) -> set[int]:
    """Ids of the arrangements whose concurrence both participants have signed."""
    rows = session.scalars(select(CostArrangement).where(CostArrangement.instrument_id.is_not(None)))
    return {a.id for a in rows if a.instrument_id is not None and ledger.state(session, a.instrument_id).signed_by_both}


@dataclass
class Totals:
    """Sums per (kind, currency) of the costs that count, and of those still awaiting concurrence."""

    counted: dict[tuple[str, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    pending: dict[tuple[str, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def get(self, kind: str, currency: str) -> Decimal:
        """A counted total (zero when there is none)."""
        return self.counted.get((kind, currency), Decimal(0))


def counts(cost: Cost, agreed: set[int]) -> bool:
    """A cost counts when it is borne by its own side, or its sharing arrangement has been concurred by both."""
    return cost.arrangement_id is None or cost.arrangement_id in agreed


def totals(session: Session, side: str, *, activity_ids: set[int] | None = None,
           start: dt.date | None = None, end: dt.date | None = None) -> Totals:
    """One side's totals (of some activities, within [start, end]), exact, by kind and currency."""
    agreed = concurred_arrangements(session)
    result = Totals()
    for cost in costs(session, side):
        if activity_ids is not None and cost.activity_id not in activity_ids:
            continue
        if (start and cost.incurred_on < start) or (end and cost.incurred_on > end):
            continue
        bucket = result.counted if counts(cost, agreed) else result.pending
        bucket[(cost.kind, cost.currency)] += money.from_minor(cost.amount_minor, cost.currency)
    return result


def latest_rate(session: Session, base: str = "JPY", quote: str = "INR", *, on: dt.date | None = None) -> money.Rate | None:
    """The most recent reference rate on or before `on` (today if None), or None."""
    query = select(ExchangeRate).where(ExchangeRate.base == base, ExchangeRate.quote == quote)
    if on is not None:
        query = query.where(ExchangeRate.as_of <= on)
    row = session.scalar(query.order_by(ExchangeRate.as_of.desc()).limit(1))
    if row is None:
        return None
    return money.Rate(row.base, row.quote, Decimal(row.rate), row.as_of, row.source)


def arrangements(session: Session, activity_id: int) -> list[CostArrangement]:
    """The cost-sharing arrangements proposed for an activity."""
    query = select(CostArrangement).where(CostArrangement.activity_id == activity_id).order_by(CostArrangement.id)
    return list(session.scalars(query))
