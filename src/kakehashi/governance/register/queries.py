"""Read functions of the register: the roll-up from the database, trees, details, status mix, history."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.governance import ledger, rollup
from kakehashi.governance.register.models import (
    Activity,
    ActivityLink,
    ActivityOwner,
    ActivityUpdate,
    CommitmentWeight,
    Milestone,
    ProgressSnapshot,
)

ALL = "all"


def commitment_inputs(session: Session, commitments: list[ledger.CommitmentRef] | None = None) -> list[rollup.CommitmentInput]:
    """The agreement's commitments with their roll-up weights (1 unless set)."""
    weights = {row.commitment_id: row.weight for row in session.scalars(select(CommitmentWeight))}
    return [rollup.CommitmentInput(c.id, c.area, weights.get(c.id, Decimal(1)))
            for c in (commitments if commitments is not None else ledger.commitments(session))]


def activity_inputs(session: Session) -> list[rollup.ActivityInput]:
    """Every activity as the roll-up engine takes it."""
    query = select(Activity.id, Activity.commitment_id, Activity.parent_id, Activity.weight, Activity.progress,
                   Activity.status)
    return [rollup.ActivityInput(*row) for row in session.execute(query)]


def progress(session: Session, commitments: list[ledger.CommitmentRef] | None = None) -> rollup.RollUp:
    """The current roll-up of the whole register."""
    return rollup.roll_up(commitment_inputs(session, commitments), activity_inputs(session))


def activities(session: Session, *, commitment_id: int | None = None, public_only: bool = False) -> list[Activity]:
    """Activities (of one commitment), parents before children, oldest first."""
    query = select(Activity).order_by(Activity.id)
    if commitment_id is not None:
        query = query.where(Activity.commitment_id == commitment_id)
    if public_only:
        query = query.where(Activity.is_public.is_(True))
    return tree_order(list(session.scalars(query)))


def tree_order(rows: list[Activity]) -> list[Activity]:
    """Rows ordered depth-first (each parent followed by its children); `depth` is set on each row."""
    children: dict[int | None, list[Activity]] = {}
    ids = {a.id for a in rows}
    for activity in rows:
        parent = activity.parent_id if activity.parent_id in ids else None
        children.setdefault(parent, []).append(activity)
    ordered: list[Activity] = []

    def walk(parent: int | None, depth: int) -> None:
        for activity in children.get(parent, []):
            activity.depth = depth  # type: ignore[attr-defined]
            ordered.append(activity)
            walk(activity.id, depth + 1)

    walk(None, 0)
    return ordered


@dataclass
class ActivityDetail:
    """An activity with its owners, milestones, updates and links."""

    activity: Activity
    owners: list[ActivityOwner]
    milestones: list[Milestone]
    updates: list[ActivityUpdate]
    links: list[ActivityLink]
    children: list[Activity]


def detail(session: Session, activity: Activity, *, public_only: bool = False) -> ActivityDetail:
    """Everything shown on an activity's page (public updates only for the public view)."""
    updates = select(ActivityUpdate).where(ActivityUpdate.activity_id == activity.id)
    if public_only:
        updates = updates.where(ActivityUpdate.is_public.is_(True))
    return ActivityDetail(
        activity=activity,
        owners=list(session.scalars(select(ActivityOwner).where(ActivityOwner.activity_id == activity.id))),
        milestones=list(session.scalars(select(Milestone).where(Milestone.activity_id == activity.id)
                                        .order_by(Milestone.due_on))),
        updates=list(session.scalars(updates.order_by(ActivityUpdate.on.desc(), ActivityUpdate.id.desc()))),
        links=list(session.scalars(select(ActivityLink).where(ActivityLink.activity_id == activity.id))),
        children=list(session.scalars(select(Activity).where(Activity.parent_id == activity.id).order_by(Activity.id))),
    )


def status_mix(session: Session, commitment_ids: set[int] | None = None) -> dict[str, int]:
    """How many activities are in each status (of some commitments, or all)."""
    query = select(Activity.status, Activity.commitment_id)
    counts: Counter[str] = Counter()
    for status, commitment_id in session.execute(query):
        if commitment_ids is None or commitment_id in commitment_ids:
            counts[status] += 1
    return dict(counts)


def history(session: Session, scope: str = ALL, *, since: dt.date | None = None) -> list[tuple[dt.date, Decimal]]:
    """The recorded figures of the agreement ("all") or one area over time, oldest first."""
    query = select(ProgressSnapshot.taken_on, ProgressSnapshot.progress).where(ProgressSnapshot.scope == scope)
    if since is not None:
        query = query.where(ProgressSnapshot.taken_on >= since)
    return [(day, value) for day, value in session.execute(query.order_by(ProgressSnapshot.taken_on))]


def updates_between(session: Session, start: dt.date, end: dt.date) -> list[ActivityUpdate]:
    """Updates dated within [start, end], newest first."""
    query = (select(ActivityUpdate).where(ActivityUpdate.on >= start, ActivityUpdate.on <= end)
             .order_by(ActivityUpdate.on.desc()))
    return list(session.scalars(query))
