"""Use cases of the funding ledger: record costs on one's own side, propose cost sharing, keep display rates.

P4: each side bears its own costs "unless otherwise concurred in writing by both participants". A cost that
departs from that is attached to an arrangement whose `cost_sharing_concurrence` instrument both sides sign on
the agreement ledger; until then it is shown as pending and left out of every total.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.governance import ledger, money
from kakehashi.governance.errors import GovernanceError, GovernanceNotFound
from kakehashi.governance.funding.models import Cost, CostArrangement, CostKind, ExchangeRate
from kakehashi.governance.register.models import Activity
from kakehashi.kernel import audit
from kakehashi.kernel.authz import Actor, require
from kakehashi.kernel.errors import ValidationFailed
from kakehashi.kernel.i18n import N_

PARTICIPANT_SIDE = {"METI": "JP", "MEITY": "IN"}


@dataclass(frozen=True)
class ShareSpec:
    """One participant's agreed share of a cost: who, in which currency, how much (exact text)."""

    participant: str
    currency: str
    amount: str


def _activity(session: Session, activity_id: int) -> Activity:
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise GovernanceNotFound(N_("No such activity."), field="activity_id")
    return activity


def record_cost(
    session: Session, *, activity_id: int, side: str, kind: str, currency: str, amount: str | Decimal,
    incurred_on: dt.date, description: str = "", arrangement_id: int | None = None, actor: Actor, now: dt.datetime,
) -> Cost:
    """Record a planned or actual cost of an activity on one side's ledger (officers of that side only)."""
    require(actor, "governance.funding.edit", side=side)
    activity = _activity(session, activity_id)
    errors: dict[str, str] = {}
    if side not in ("JP", "IN"):
        errors["side"] = N_("A cost belongs to Japan's or India's ledger.")
    if kind not in CostKind._value2member_map_:
        errors["kind"] = N_("Choose planned or actual.")
    try:
        exact = money.parse_amount(amount, currency)
    except GovernanceError as exc:
        errors[exc.field or "amount"] = exc.message
    if arrangement_id is not None:
        arrangement = session.get(CostArrangement, arrangement_id)
        if arrangement is None or arrangement.activity_id != activity.id:
            errors["arrangement_id"] = N_("That cost-sharing arrangement is not one of this activity's.")
    if errors:
        raise ValidationFailed(errors)
    cost = Cost(activity_id=activity.id, side=side, kind=kind, currency=currency,
                amount_minor=money.to_minor(exact, currency), incurred_on=incurred_on, description=description.strip()[:300],
                arrangement_id=arrangement_id, recorded_by=actor.user_id, recorded_at=now)
    session.add(cost)
    session.flush()
    audit.record(session, actor, "governance.cost.record", target_type="governance_cost", target_id=cost.id,
                 details={"activity_id": activity.id, "kind": kind, "currency": currency, "amount": str(exact)}, side=side)
    return cost


def _check_shares(shares: list[ShareSpec]) -> list[dict[str, str]]:
    if not shares:
        raise ValidationFailed({"shares": N_("Say how the cost is shared.")})
    checked = []
    for share in shares:
        if share.participant not in PARTICIPANT_SIDE:
            raise ValidationFailed({"shares": N_("A share belongs to METI or MeitY.")})
        try:
            exact = money.parse_amount(share.amount, share.currency, field="shares")
        except GovernanceError as exc:
            raise ValidationFailed({"shares": exc.message}) from exc
        checked.append({"participant": share.participant, "currency": share.currency, "amount": str(exact)})
    return checked


def propose_arrangement(session: Session, *, activity_id: int, description: str, shares: list[ShareSpec],
                        actor: Actor, now: dt.datetime) -> CostArrangement:
    """Propose sharing a cost otherwise than each side paying its own; drafts the concurrence both must sign."""
    require(actor, "governance.funding.edit", side=actor.side.value if actor.side else None)
    activity = _activity(session, activity_id)
    if not description.strip():
        raise ValidationFailed({"description": N_("Describe what is shared and why.")})
    checked = _check_shares(shares)
    arrangement = CostArrangement(activity_id=activity.id, description=description.strip(), shares=checked,
                                  proposed_by=actor.user_id, proposed_side=actor.side.value if actor.side else None,
                                  created_at=now)
    session.add(arrangement)
    session.flush()
    arrangement.instrument_id = ledger.draft(session, "cost_sharing_concurrence", {
        "activity": f"governance-activity-{activity.id}", "description": arrangement.description, "shares": checked,
    }, actor=actor, now=now)
    audit.record(session, actor, "governance.cost.arrangement", target_type="governance_cost_arrangement",
                 target_id=arrangement.id, details={"instrument_id": arrangement.instrument_id})
    return arrangement


def concurred(session: Session, arrangement: CostArrangement) -> bool:
    """Whether both participants have signed the arrangement's concurrence on the ledger."""
    return arrangement.instrument_id is not None and ledger.state(session, arrangement.instrument_id).signed_by_both


def sign_arrangement(session: Session, arrangement_id: int, *, actor: Actor, now: dt.datetime, demo_keys: bool) -> bool:
    """DEMO signing of a concurrence with the officer's server-held key; returns whether it is now concurred."""
    require(actor, "governance.funding.edit", side=actor.side.value if actor.side else None)
    arrangement = session.get(CostArrangement, arrangement_id)
    if arrangement is None or arrangement.instrument_id is None:
        raise GovernanceNotFound(N_("No such cost-sharing arrangement."), field="arrangement_id")
    ledger.sign_with_demo_key(session, arrangement.instrument_id, actor=actor, now=now, enabled=demo_keys)
    return concurred(session, arrangement)


def set_rate(session: Session, *, base: str, quote: str, rate: str | Decimal, as_of: dt.date, source: str,
             actor: Actor) -> ExchangeRate:
    """Record a reference rate for displaying one currency in the other (never used to store amounts)."""
    require(actor, "governance.funding.edit")
    money.check_currency(base, "base")
    money.check_currency(quote, "quote")
    if base == quote:
        raise ValidationFailed({"quote": N_("A rate converts between two different currencies.")})
    exact = money.parse_rate(rate)
    row = session.scalar(select(ExchangeRate).where(ExchangeRate.base == base, ExchangeRate.quote == quote,
                                                    ExchangeRate.as_of == as_of))
    if row is None:
        row = ExchangeRate(base=base, quote=quote, as_of=as_of)
        session.add(row)
    row.rate, row.source, row.recorded_by = str(exact), source.strip()[:200], actor.user_id
    session.flush()
    return row
