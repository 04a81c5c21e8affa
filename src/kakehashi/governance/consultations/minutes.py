"""Minutes of a consultation and their approval by both sides as a co-signed instrument of the agreement ledger.

The minutes (text, decisions, action items) are digested into a "minutes record"; a `minutes_approval`
instrument carrying that digest is drafted on the ledger, and the minutes count as approved only when the
ledger reports the instrument concluded with the signatures of both METI and MeitY over that same digest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.governance import ledger
from kakehashi.governance.consultations.models import ActionItem, Decision, Meeting, MeetingStatus, Minutes
from kakehashi.governance.consultations.services import get_meeting
from kakehashi.governance.errors import GovernanceError, StaleEdit
from kakehashi.kernel import audit
from kakehashi.kernel.authz import Actor, require
from kakehashi.kernel.errors import ValidationFailed
from kakehashi.kernel.i18n import N_

LANGUAGES = ("en", "ja")


@dataclass(frozen=True)
class MinutesState:
    """Where a meeting's minutes stand: none, draft, signing (and who has signed) or approved."""

    status: str
    signed_by: frozenset[str] = frozenset()
    instrument_id: int | None = None
    log_index: int | None = None


def minutes_of(session: Session, meeting_id: int) -> Minutes | None:
    """A meeting's minutes, if drafted."""
    return session.scalar(select(Minutes).where(Minutes.meeting_id == meeting_id))


def record_of(session: Session, meeting: Meeting, minutes: Minutes) -> dict[str, Any]:
    """Everything the participants approve: the minutes text, the decisions and the action items."""
    decisions = session.scalars(select(Decision).where(Decision.meeting_id == meeting.id).order_by(Decision.id))
    actions = session.scalars(select(ActionItem).where(ActionItem.meeting_id == meeting.id).order_by(ActionItem.id))
    return {
        "meeting": meeting.uid, "title": meeting.title, "starts_at": meeting.starts_at.isoformat(),
        "language": minutes.language, "minutes": minutes.body,
        "decisions": [{"text": d.text, "text_ja": d.text_ja, "commitment_id": d.commitment_id} for d in decisions],
        "actions": [{"title": a.title, "owner_user_id": a.owner_user_id, "owner_org_id": a.owner_org_id,
                     "due_on": a.due_on.isoformat(), "commitment_id": a.commitment_id} for a in actions],
    }


def digest(record: dict[str, Any]) -> str:
    """SHA-256 of the record as sorted, compact UTF-8 JSON (the same record always gives the same digest)."""
    data = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hashlib.sha256(data).hexdigest()


def draft_minutes(session: Session, meeting_id: int, *, language: str, body: str, expected_version: int | None,
                  actor: Actor, now: dt.datetime) -> Minutes:
    """Write or rewrite a meeting's minutes in English or Japanese (until they go for signature)."""
    require(actor, "governance.edit")
    meeting = get_meeting(session, meeting_id)
    errors = {}
    if language not in LANGUAGES:
        errors["language"] = N_("Minutes are drafted in English or Japanese.")
    if not body.strip():
        errors["body"] = N_("Write the minutes.")
    if errors:
        raise ValidationFailed(errors)
    if meeting.status == MeetingStatus.CANCELLED:
        raise GovernanceError(N_("This consultation was cancelled."), code="cancelled")
    minutes = minutes_of(session, meeting.id)
    if minutes is None:
        minutes = Minutes(meeting_id=meeting.id)
        session.add(minutes)
    elif minutes.instrument_id is not None:
        raise GovernanceError(N_("The minutes are with the participants for signature; nothing can be added."),
                              code="minutes_locked")
    elif expected_version is not None and minutes.version != expected_version:
        raise StaleEdit(N_("Someone else saved these minutes after you opened them. Your changes were not saved: "
                           "reload to see theirs, then apply yours again."), field="version")
    minutes.language, minutes.body, minutes.drafted_by, minutes.drafted_at = language, body.strip(), actor.user_id, now
    session.flush()
    return minutes


def submit_for_approval(session: Session, meeting_id: int, *, actor: Actor, now: dt.datetime) -> Minutes:
    """Freeze the minutes and draft the `minutes_approval` instrument both participants must sign."""
    require(actor, "governance.minutes.approve", side=actor.side.value if actor.side else None)
    meeting = get_meeting(session, meeting_id)
    minutes = minutes_of(session, meeting.id)
    if minutes is None:
        raise GovernanceError(N_("Draft the minutes first."), code="no_minutes")
    if minutes.instrument_id is not None:
        raise GovernanceError(N_("The minutes are already with the participants for signature."), code="minutes_locked")
    if meeting.status != MeetingStatus.HELD:
        raise GovernanceError(N_("Record who attended before the minutes go for approval."), code="not_held")
    minutes.sha256 = digest(record_of(session, meeting, minutes))
    minutes.instrument_id = ledger.draft(session, "minutes_approval",
                                         {"meeting": meeting.uid, "minutes_sha256": minutes.sha256}, actor=actor, now=now)
    audit.record(session, actor, "governance.minutes.submit", target_type="governance_meeting", target_id=meeting.id,
                 details={"instrument_id": minutes.instrument_id, "sha256": minutes.sha256})
    return minutes


def state(session: Session, meeting: Meeting) -> MinutesState:
    """The minutes' approval state, read from the ledger (and checked against the minutes as they are now)."""
    minutes = minutes_of(session, meeting.id)
    if minutes is None:
        return MinutesState("none")
    if minutes.instrument_id is None:
        return MinutesState("draft")
    found = ledger.state(session, minutes.instrument_id)
    current = digest(record_of(session, meeting, minutes))
    approved = found.signed_by_both and found.payload.get("minutes_sha256") == current == minutes.sha256
    return MinutesState("approved" if approved else "signing", found.signed_by, minutes.instrument_id, found.log_index)


def refresh_approval(session: Session, meeting_id: int, *, now: dt.datetime) -> MinutesState:
    """Record the instant the minutes became approved, once the ledger says both sides signed."""
    meeting = get_meeting(session, meeting_id)
    found = state(session, meeting)
    minutes = minutes_of(session, meeting.id)
    if found.status == "approved" and minutes is not None and minutes.approved_at is None:
        minutes.approved_at = now
    return found


def sign_minutes(session: Session, meeting_id: int, *, actor: Actor, now: dt.datetime, demo_keys: bool) -> MinutesState:
    """DEMO signing from the meeting page: the officer's server-held demo key signs the approval instrument.

    Outside the demo, officers sign the instrument on the agreement ledger's page with their own key; either
    way the approval is the ledger's instrument, and `refresh_approval` records it here.
    """
    require(actor, "governance.minutes.approve", side=actor.side.value if actor.side else None)
    meeting = get_meeting(session, meeting_id)
    minutes = minutes_of(session, meeting.id)
    if minutes is None or minutes.instrument_id is None:
        raise GovernanceError(N_("The minutes have not been sent for approval yet."), code="not_submitted")
    ledger.sign_with_demo_key(session, minutes.instrument_id, actor=actor, now=now, enabled=demo_keys)
    audit.record(session, actor, "governance.minutes.sign", target_type="governance_meeting", target_id=meeting.id,
                 details={"instrument_id": minutes.instrument_id})
    return refresh_approval(session, meeting.id, now=now)
