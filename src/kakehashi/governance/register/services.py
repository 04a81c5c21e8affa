"""Use cases of the commitment register: activities, their updates, milestones, links and weights.

Every write checks the whole activity tree of the commitments it touches with the roll-up engine (cycles,
weights summing to zero, parents elsewhere) before anything is flushed, and edits carry the version the
editor saw, so two officers never silently overwrite each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kakehashi import registry
from kakehashi.governance import ledger, rollup
from kakehashi.governance.errors import GovernanceNotFound, RollUpError, StaleEdit
from kakehashi.governance.register.models import (
    Activity,
    ActivityLink,
    ActivityOwner,
    ActivityUpdate,
    CommitmentWeight,
    Milestone,
    ProgressSnapshot,
    Status,
)
from kakehashi.governance.register.schemas import ActivityFields, OwnerSpec, check_fields
from kakehashi.kernel import audit
from kakehashi.kernel.authz import Actor, require
from kakehashi.kernel.errors import ValidationFailed
from kakehashi.kernel.i18n import N_

LINK_KINDS = ("matchmaking.event", "matchmaking.opportunity", "research.call", "research.project", "talent.programme",
              "exchange.document", "cyber.collection", "ai.report", "governance.course", "governance.meeting")


def get_activity(session: Session, activity_id: int) -> Activity:
    """The activity with this id; raise GovernanceNotFound."""
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise GovernanceNotFound(N_("No such activity."), field="activity_id")
    return activity


def _inputs(session: Session, commitment_ids: set[int], candidate: Activity | None,
            fields: ActivityFields | None) -> list[rollup.ActivityInput]:
    query = select(Activity).where(Activity.commitment_id.in_(commitment_ids))
    rows = [a for a in session.scalars(query) if candidate is None or a.id != candidate.id]
    inputs = [rollup.ActivityInput(a.id, a.commitment_id, a.parent_id, a.weight, a.progress, a.status) for a in rows]
    if fields is not None:
        key = candidate.id if candidate is not None and candidate.id is not None else -1
        inputs.append(rollup.ActivityInput(key, fields.commitment_id, fields.parent_id, fields.weight, fields.progress,
                                           fields.status))
    return inputs


def check_tree(session: Session, fields: ActivityFields, candidate: Activity | None) -> None:
    """Roll up the touched commitments with the candidate in place; turn any refusal into a field error."""
    touched = {fields.commitment_id} | ({candidate.commitment_id} if candidate is not None else set())
    try:
        rollup.roll_up([rollup.CommitmentInput(cid, None) for cid in touched],
                       _inputs(session, touched, candidate, fields))
    except RollUpError as exc:
        raise ValidationFailed({exc.field or "parent_id": exc.message}) from exc


def _check(session: Session, fields: ActivityFields, candidate: Activity | None) -> None:
    errors = check_fields(fields)
    if ledger.commitment(session, fields.commitment_id) is None:
        errors["commitment_id"] = N_("Choose a commitment of the agreement.")
    for owner in fields.owners:
        if owner.org_id is not None and "owners" not in errors:
            org = registry.get_organisation(session, owner.org_id)
            if org is None:
                errors["owners"] = N_("That organisation does not exist or was deleted.")
            elif org.country != owner.side:
                errors["owners"] = N_("That organisation is not on that side.")
    if errors:
        raise ValidationFailed(errors)
    check_tree(session, fields, candidate)


def _apply(activity: Activity, fields: ActivityFields, *, actor: Actor, now: dt.datetime) -> None:
    activity.commitment_id, activity.parent_id, activity.kind = fields.commitment_id, fields.parent_id, fields.kind
    activity.title, activity.title_ja = fields.title.strip(), (fields.title_ja or "").strip() or None
    activity.description, activity.forum = fields.description.strip(), fields.forum or None
    activity.start_on, activity.end_on = fields.start_on, fields.end_on
    activity.status, activity.progress = fields.status, fields.progress
    activity.weight = fields.weight.quantize(Decimal("0.01"))  # as stored, so the object reads as the row will
    activity.is_public, activity.updated_by, activity.updated_at = fields.is_public, actor.user_id, now


def _set_owners(session: Session, activity: Activity, fields: ActivityFields) -> None:
    existing = list(session.scalars(select(ActivityOwner).where(ActivityOwner.activity_id == activity.id)))
    wanted = {(o.side, o.ministry, o.org_id) for o in fields.owners}
    for owner in existing:
        if (owner.side, owner.ministry, owner.org_id) not in wanted:
            session.delete(owner)
    have = {(o.side, o.ministry, o.org_id) for o in existing}
    session.add_all(ActivityOwner(activity_id=activity.id, side=side, ministry=ministry, org_id=org_id)
                    for side, ministry, org_id in sorted(wanted - have, key=str))


def create_activity(session: Session, fields: ActivityFields, *, actor: Actor, now: dt.datetime) -> Activity:
    """Add an activity under a commitment (or under another activity of it)."""
    require(actor, "governance.edit")
    _check(session, fields, None)
    activity = Activity(created_by=actor.user_id, created_at=now)
    _apply(activity, fields, actor=actor, now=now)
    session.add(activity)
    session.flush()
    _set_owners(session, activity, fields)
    audit.record(session, actor, "governance.activity.create", target_type="governance_activity", target_id=activity.id,
                 details={"commitment_id": fields.commitment_id, "title": activity.title})
    return activity


def _load_for_edit(session: Session, activity_id: int, expected_version: int) -> Activity:
    activity = get_activity(session, activity_id)
    if activity.version != expected_version:
        raise StaleEdit(N_("Someone else saved this activity after you opened it. Your changes were not saved: "
                           "reload to see theirs, then apply yours again."), field="version")
    return activity


def _flush_edit(session: Session) -> None:
    """Flush an edit; a concurrent save between our check and this UPDATE also ends as StaleEdit."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise StaleEdit(N_("Someone else saved this activity after you opened it. Your changes were not saved: "
                           "reload to see theirs, then apply yours again."), field="version") from exc


def edit_activity(session: Session, activity_id: int, fields: ActivityFields, *, expected_version: int, actor: Actor,
                  now: dt.datetime) -> Activity:
    """Change an activity, provided nobody saved it since the editor loaded version `expected_version`."""
    require(actor, "governance.edit")
    activity = _load_for_edit(session, activity_id, expected_version)
    _check(session, fields, activity)
    before = {"status": activity.status, "progress": activity.progress, "weight": str(activity.weight)}
    _apply(activity, fields, actor=actor, now=now)
    _flush_edit(session)
    _set_owners(session, activity, fields)
    audit.record(session, actor, "governance.activity.edit", target_type="governance_activity", target_id=activity.id,
                 details={"before": before, "version": activity.version})
    return activity


def fields_of(session: Session, activity: Activity) -> ActivityFields:
    """The editable fields of a stored activity (the starting point of a form or an update)."""
    owners = tuple(OwnerSpec(o.side, o.ministry, o.org_id)
                   for o in session.scalars(select(ActivityOwner).where(ActivityOwner.activity_id == activity.id)))
    return ActivityFields(
        commitment_id=activity.commitment_id, kind=activity.kind, title=activity.title, title_ja=activity.title_ja,
        description=activity.description, forum=activity.forum, start_on=activity.start_on, end_on=activity.end_on,
        status=activity.status, progress=activity.progress, weight=activity.weight, parent_id=activity.parent_id,
        is_public=activity.is_public, owners=owners,
    )


def record_update(
    session: Session, activity_id: int, *, expected_version: int, on: dt.date, happened: str, slipped: str = "",
    reason: str = "", progress: int, status: str, is_public: bool = False, actor: Actor, now: dt.datetime,
) -> ActivityUpdate:
    """Add a dated update (what happened, what slipped and why) and move the activity's progress and status."""
    require(actor, "governance.edit")
    activity = _load_for_edit(session, activity_id, expected_version)
    errors: dict[str, str] = {}
    if not happened.strip():
        errors["happened"] = N_("Say what happened.")
    if (slipped.strip() or status in (Status.ON_HOLD, Status.DROPPED)) and not reason.strip():
        errors["reason"] = N_("Say why it slipped, was put on hold or was dropped.")
    if on > now.date() + dt.timedelta(days=1):
        errors["on"] = N_("An update cannot be dated in the future.")
    if errors:
        raise ValidationFailed(errors)
    fields = replace(fields_of(session, activity), progress=progress, status=status)
    _check(session, fields, activity)
    update = ActivityUpdate(
        activity_id=activity.id, on=on, author_id=actor.user_id, happened=happened.strip(), slipped=slipped.strip(),
        reason=reason.strip(), progress_before=activity.progress, progress_after=progress,
        status_before=activity.status, status_after=status, is_public=is_public, created_at=now,
    )
    activity.progress, activity.status, activity.updated_by, activity.updated_at = progress, status, actor.user_id, now
    session.add(update)
    _flush_edit(session)
    audit.record(session, actor, "governance.activity.update", target_type="governance_activity",
                 target_id=activity.id, details={"progress": progress, "status": status})
    return update


def add_milestone(session: Session, activity_id: int, *, title: str, due_on: dt.date, title_ja: str | None = None,
                  actor: Actor) -> Milestone:
    """Add a dated milestone to an activity."""
    require(actor, "governance.edit")
    activity = get_activity(session, activity_id)
    if not title.strip() or len(title) > 200:
        raise ValidationFailed({"title": N_("Give a title of at most 200 characters.")})
    if activity.start_on and due_on < activity.start_on:
        raise ValidationFailed({"due_on": N_("A milestone cannot fall before the activity starts.")})
    milestone = Milestone(activity_id=activity.id, title=title.strip(), title_ja=title_ja or None, due_on=due_on)
    session.add(milestone)
    session.flush()
    audit.record(session, actor, "governance.milestone.add", target_type="governance_activity", target_id=activity.id,
                 details={"milestone_id": milestone.id})
    return milestone


def complete_milestone(session: Session, milestone_id: int, *, done_on: dt.date, actor: Actor) -> Milestone:
    """Mark a milestone reached on a date."""
    require(actor, "governance.edit")
    milestone = session.get(Milestone, milestone_id)
    if milestone is None:
        raise GovernanceNotFound(N_("No such milestone."), field="milestone_id")
    milestone.done_on = done_on
    audit.record(session, actor, "governance.milestone.done", target_type="governance_activity",
                 target_id=milestone.activity_id, details={"milestone_id": milestone.id})
    return milestone


def add_link(session: Session, activity_id: int, *, target_kind: str, target_id: str, label: str = "",
             actor: Actor) -> ActivityLink:
    """Link an activity to another context's record by kind and id."""
    require(actor, "governance.edit")
    activity = get_activity(session, activity_id)
    errors = {}
    if target_kind not in LINK_KINDS:
        errors["target_kind"] = N_("Choose what kind of record this is.")
    if not target_id.strip() or len(target_id) > 80:
        errors["target_id"] = N_("Give the record's id.")
    if errors:
        raise ValidationFailed(errors)
    link = ActivityLink(activity_id=activity.id, target_kind=target_kind, target_id=target_id.strip(), label=label[:200])
    session.add(link)
    session.flush()
    return link


def set_commitment_weight(session: Session, commitment_id: int, weight: Decimal, *, actor: Actor,
                          now: dt.datetime) -> CommitmentWeight:
    """Set a commitment's weight in its area's roll-up, refusing weights that would sum to zero there."""
    require(actor, "governance.edit")
    target = ledger.commitment(session, commitment_id)
    if target is None:
        raise GovernanceNotFound(N_("No such commitment."), field="commitment_id")
    if not weight.is_finite() or weight < 0 or weight > 1000 or weight != weight.quantize(Decimal("0.01")):
        raise ValidationFailed({"weight": N_("The weight is a number from 0 to 1000.")})
    weights = {row.commitment_id: row.weight for row in session.scalars(select(CommitmentWeight))}
    weights[commitment_id] = weight
    area = [c for c in ledger.commitments(session) if c.area == target.area]
    try:
        rollup.check_sibling_weights([(weights.get(c.id, Decimal(1)), "live") for c in area], f"area {target.area}")
    except RollUpError as exc:
        raise ValidationFailed({"weight": exc.message}) from exc
    row = session.get(CommitmentWeight, commitment_id) or CommitmentWeight(commitment_id=commitment_id)
    row.weight, row.updated_at = weight, now
    session.add(row)
    audit.record(session, actor, "governance.commitment.weight", target_type="agreement_commitment",
                 target_id=commitment_id, details={"weight": str(weight)})
    return row



def take_snapshots(session: Session, on: dt.date, figures: rollup.RollUp) -> int:
    """Record the agreement's and each area's figure for a day (replacing that day's); returns rows written."""
    values = {"all": figures.agreement, **figures.areas}
    written = 0
    for scope, value in values.items():
        if value is None:
            continue
        row = session.scalar(select(ProgressSnapshot).where(ProgressSnapshot.scope == scope,
                                                            ProgressSnapshot.taken_on == on))
        if row is None:
            row = ProgressSnapshot(scope=scope, taken_on=on)
            session.add(row)
        row.progress = value
        written += 1
    session.flush()
    return written
