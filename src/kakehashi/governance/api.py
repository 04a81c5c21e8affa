"""Governance JSON API under /api/v1/governance: roll-up, activities (with optimistic locking), actions, training."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from kakehashi.governance import ledger
from kakehashi.governance.consultations import queries as consultations
from kakehashi.governance.consultations import services as consultation_services
from kakehashi.governance.errors import GovernanceNotFound
from kakehashi.governance.register import queries as register
from kakehashi.governance.register import services as register_services
from kakehashi.governance.register.models import Activity
from kakehashi.governance.register.schemas import ActivityFields, OwnerSpec
from kakehashi.governance.training import queries as training
from kakehashi.governance.training import services as training_services
from kakehashi.kernel.authz import require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.i18n import N_
from kakehashi.web.deps import DB, PUBLIC, CurrentActor

router = APIRouter(prefix="/api/v1/governance", tags=["governance"])


class OwnerIn(BaseModel):
    """An owner: a side with a ministry, or a side with an organisation id."""

    model_config = ConfigDict(extra="forbid")
    side: str
    ministry: str | None = None
    org_id: int | None = None


class ActivityIn(BaseModel):
    """An activity as sent by a client; weight is a decimal string (exact)."""

    model_config = ConfigDict(extra="forbid")
    commitment_id: int
    kind: str
    title: str
    title_ja: str | None = None
    description: str = ""
    forum: str | None = None
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    status: str = "not_started"
    progress: int = 0
    weight: Decimal = Field(default=Decimal(1))
    parent_id: int | None = None
    is_public: bool = False
    owners: list[OwnerIn] = Field(default_factory=list)

    def fields(self) -> ActivityFields:
        """The service's view of these values."""
        values = self.model_dump(exclude={"owners"})
        return ActivityFields(**values, owners=tuple(OwnerSpec(o.side, o.ministry, o.org_id) for o in self.owners))


class ActivityEdit(ActivityIn):
    """An edit carries the version the client last read; a stale version is refused with 409."""

    version: int


class StatusIn(BaseModel):
    """A new status for an action item."""

    status: str


def activity_json(activity: Activity, rolled: Decimal | None) -> dict[str, Any]:
    """An activity as JSON (decimals as strings, so clients never see floats)."""
    return {
        "id": activity.id, "commitment_id": activity.commitment_id, "parent_id": activity.parent_id,
        "kind": activity.kind, "title": activity.title, "title_ja": activity.title_ja, "forum": activity.forum,
        "start_on": activity.start_on, "end_on": activity.end_on, "status": activity.status,
        "progress": activity.progress, "weight": str(activity.weight), "is_public": activity.is_public,
        "rolled_up_progress": None if rolled is None else str(rolled), "version": activity.version,
    }


@router.get("/progress")
def progress(session: DB, actor: CurrentActor) -> dict[str, Any]:
    """The weighted roll-up: the agreement, each area and each commitment, in percent (decimal strings)."""
    require(actor, "governance.view")
    commitments = ledger.commitments(session)
    figures = register.progress(session, commitments)
    return {
        "agreement": None if figures.agreement is None else str(figures.agreement),
        "areas": {area: None if value is None else str(value) for area, value in figures.areas.items()},
        "commitments": [{"id": c.id, "ref": c.ref, "area": c.area, "title": c.title,
                         "progress": str(figures.commitments[c.id])} for c in commitments],
    }


@router.get("/activities")
def list_activities(session: DB, actor: CurrentActor, commitment_id: int | None = None) -> list[dict[str, Any]]:
    """Activities (of one commitment), parents before children."""
    require(actor, "governance.view")
    figures = register.progress(session)
    return [activity_json(a, figures.activities.get(a.id))
            for a in register.activities(session, commitment_id=commitment_id)]


@router.get("/activities/{activity_id}")
def get_activity(activity_id: int, session: DB, actor: CurrentActor) -> dict[str, Any]:
    """One activity with its current version (send it back when editing)."""
    require(actor, "governance.view")
    activity = register_services.get_activity(session, activity_id)
    return activity_json(activity, register.progress(session).activities.get(activity.id))


@router.post("/activities", status_code=201)
def create_activity(body: ActivityIn, session: DB, actor: CurrentActor) -> dict[str, Any]:
    """Create an activity (problem+json with field errors when refused)."""
    activity = register_services.create_activity(session, body.fields(), actor=actor, now=utcnow())
    session.commit()
    return activity_json(activity, register.progress(session).activities.get(activity.id))


@router.put("/activities/{activity_id}")
def edit_activity(activity_id: int, body: ActivityEdit, session: DB, actor: CurrentActor) -> dict[str, Any]:
    """Replace an activity's fields; 409 when someone saved it since `version`."""
    values = body.model_dump(exclude={"version"})
    fields = ActivityIn(**values).fields()
    activity = register_services.edit_activity(session, activity_id, fields, expected_version=body.version, actor=actor,
                                               now=utcnow())
    session.commit()
    return activity_json(activity, register.progress(session).activities.get(activity.id))


@router.get("/todo")
def todo(session: DB, actor: CurrentActor) -> list[dict[str, Any]]:
    """The caller's open action items."""
    require(actor, "governance.view")
    return [{"id": i.id, "title": i.title, "due_on": i.due_on, "commitment_id": i.commitment_id,
             "meeting_id": i.meeting_id, "status": i.status} for i in consultations.todo(session, actor)]


@router.post("/actions/{action_id}/status")
def action_status(action_id: int, body: StatusIn, session: DB, actor: CurrentActor) -> dict[str, Any]:
    """Close, cancel or reopen an action item (its owner or an officer)."""
    item = consultation_services.set_action_status(session, action_id, body.status, actor=actor, now=utcnow())
    session.commit()
    return {"id": item.id, "status": item.status}


@router.get("/consultations")
def list_consultations(session: DB, actor: CurrentActor, page: int = 1, size: int = 50) -> dict[str, Any]:
    """Consultations, newest first."""
    require(actor, "governance.view")
    result = consultations.meetings(session, page=page, size=size)
    return {"total": result.total, "page": result.page, "items": [
        {"id": m.id, "title": m.title, "title_ja": m.title_ja, "mode": m.mode, "starts_at": m.starts_at,
         "ends_at": m.ends_at, "status": m.status, "venue": m.venue, "video_url": m.video_url} for m in result.items]}


@router.get("/training/courses", dependencies=[PUBLIC])
def courses(session: DB, actor: CurrentActor, topic: str | None = None) -> list[dict[str, Any]]:
    """Upcoming courses (public ones for anonymous callers) with seats taken."""
    result = training.catalogue(session, topic=topic, public_only=not actor.is_authenticated, upcoming_from=utcnow(),
                                size=200)
    return [{"id": c.id, "topic": c.topic, "kind": c.kind, "title": c.title, "title_ja": c.title_ja,
             "starts_at": c.starts_at, "capacity": c.capacity,
             "seats_taken": training_services.seats_taken(session, c.id)} for c in result.items]


@router.get("/certificates/{code}", dependencies=[PUBLIC])
def certificate(code: str, session: DB) -> dict[str, Any]:
    """Check a certificate code (no sign-in): who attended what, and when."""
    found = training_services.verify_certificate(session, code)
    if found is None:
        raise GovernanceNotFound(N_("No certificate has this code."), field="code")
    return {"code": found.code, "holder": found.holder_name, "course": found.course_title,
            "course_ja": found.course_title_ja, "held_on": found.held_on, "issued_at": found.issued_at, "valid": True}
