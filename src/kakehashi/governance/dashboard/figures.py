"""The figures of a dashboard (whole agreement or one area), gathered once for pages, charts, the report and the API."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from kakehashi.governance import ledger, money, rollup
from kakehashi.governance.consultations import queries as consultations
from kakehashi.governance.funding import queries as funding
from kakehashi.governance.register import queries as register
from kakehashi.governance.register.models import Activity
from kakehashi.kernel.areas import AREAS, BY_CODE, Area
from kakehashi.kernel.authz import Actor

STATUS_ORDER = ("not_started", "limited", "substantial", "complete", "on_hold", "dropped")


@dataclass
class AreaFigures:
    """One area's line on the dashboard."""

    area: Area
    progress: Decimal | None
    commitments: int
    activities: int
    overdue: int
    status_mix: dict[str, int]


@dataclass
class CommitmentFigures:
    """One commitment's line on an area dashboard."""

    commitment: ledger.CommitmentRef
    progress: Decimal
    activities: int
    open_actions: int
    overdue: int


@dataclass
class Dashboard:
    """Everything a dashboard shows; `spending` holds only the sides the viewer may see."""

    scope: str
    progress: Decimal | None
    areas: list[AreaFigures]
    commitments: list[CommitmentFigures]
    status_mix: dict[str, int]
    overdue: int
    open_actions: int
    history: list[tuple[dt.date, Decimal]]
    spending: dict[str, funding.Totals] = field(default_factory=dict)
    rate: money.Rate | None = None


def build(session: Session, *, actor: Actor, today: dt.date, area: str | None = None,
          with_spending: bool = True) -> Dashboard:
    """The dashboard of the agreement (area None) or of one area, as of `today`."""
    commitments = ledger.commitments(session)
    figures = register.progress(session, commitments)
    scoped = [c for c in commitments if area is None or c.area == area]
    scoped_ids = {c.id for c in scoped}
    activities = [a for a in register.activities(session) if a.commitment_id in scoped_ids]
    per_commitment = Counter(a.commitment_id for a in activities)
    overdue_items = [i for i in consultations.overdue(session, today) if area is None or i.commitment_id in scoped_ids]
    open_items = [i for i in consultations.open_actions(session) if area is None or i.commitment_id in scoped_ids]
    overdue_by = Counter(i.commitment_id for i in overdue_items)
    open_by = Counter(i.commitment_id for i in open_items)
    dashboard = Dashboard(
        scope=area or register.ALL,
        progress=figures.agreement if area is None else figures.areas.get(area),
        areas=[_area(a, commitments, figures, activities_all=activities, overdue=overdue_by) for a in AREAS
               if area is None or a.code == area],
        commitments=[CommitmentFigures(c, figures.commitments[c.id], per_commitment[c.id], open_by[c.id], overdue_by[c.id])
                     for c in scoped],
        status_mix=_mix(activities),
        overdue=len(overdue_items), open_actions=len(open_items),
        history=register.history(session, area or register.ALL),
    )
    if with_spending:
        activity_ids = {a.id for a in activities}
        dashboard.spending = {side: funding.totals(session, side, activity_ids=activity_ids)
                              for side in funding.visible_sides(actor)}
        dashboard.rate = funding.latest_rate(session, on=today)
    return dashboard


def _mix(activities: list[Activity]) -> dict[str, int]:
    counts = Counter(a.status for a in activities)
    return {status: counts[status] for status in STATUS_ORDER}


def _area(area: Area, commitments: list[ledger.CommitmentRef], figures: rollup.RollUp, *, activities_all: list[Activity],
          overdue: Counter[int | None]) -> AreaFigures:
    ids = {c.id for c in commitments if c.area == area.code}
    mine = [a for a in activities_all if a.commitment_id in ids]
    return AreaFigures(area=area, progress=figures.areas.get(area.code),
                       commitments=len(ids), activities=len(mine), overdue=sum(overdue[i] for i in ids),
                       status_mix=_mix(mine))


def area_or_none(code: str | None) -> Area | None:
    """The area with this code, or None (unknown codes are treated as the whole agreement by callers)."""
    return BY_CODE.get(code or "")
