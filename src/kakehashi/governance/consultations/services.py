"""Use cases of Joint Working Group consultations: schedule, invite, attend, decide, assign actions.

Minutes and their two-sided approval live in `minutes.py`; this module holds the meeting itself.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlparse

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kakehashi import identity, registry
from kakehashi.governance import ledger
from kakehashi.governance.consultations.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendee,
    Decision,
    Meeting,
    MeetingStatus,
    Minutes,
    Mode,
)
from kakehashi.governance.errors import GovernanceError, GovernanceNotFound
from kakehashi.kernel import audit, notifications
from kakehashi.kernel.authz import Actor, require
from kakehashi.kernel.errors import NotFound, ValidationFailed
from kakehashi.kernel.i18n import N_

MAX_MEETING = dt.timedelta(hours=12)


@dataclass(frozen=True)
class MeetingFields:
    """What an organiser gives for a consultation (instants are aware datetimes)."""

    title: str
    mode: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    title_ja: str | None = None
    venue: str | None = None
    video_url: str | None = None
    is_public: bool = False
    agenda: tuple[tuple[str, int | None], ...] = field(default_factory=tuple)


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    """The meeting with this id; raise GovernanceNotFound."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise GovernanceNotFound(N_("No such consultation."), field="meeting_id")
    return meeting


def check_meeting(session: Session, fields: MeetingFields) -> None:
    """Refuse a consultation without a venue or a secure link, with times out of order, or a bad agenda."""
    errors: dict[str, str] = {}
    if not fields.title.strip() or len(fields.title) > 200:
        errors["title"] = N_("Give a title of at most 200 characters.")
    if fields.mode not in Mode._value2member_map_:
        errors["mode"] = N_("Choose physical, video or hybrid.")
    if fields.mode in (Mode.PHYSICAL, Mode.HYBRID) and not (fields.venue or "").strip():
        errors["venue"] = N_("A meeting in person needs a venue.")
    if fields.mode in (Mode.VIDEO, Mode.HYBRID):
        link = urlparse((fields.video_url or "").strip())
        if link.scheme != "https" or not link.netloc:
            errors["video_url"] = N_("A video meeting needs an https:// link.")
    if fields.starts_at.tzinfo is None or fields.ends_at.tzinfo is None:
        errors["starts_at"] = N_("Give the time with its time zone.")
    elif fields.ends_at <= fields.starts_at:
        errors["ends_at"] = N_("The meeting must end after it starts.")
    elif fields.ends_at - fields.starts_at > MAX_MEETING:
        errors["ends_at"] = N_("A consultation lasts at most 12 hours.")
    known = {c.id for c in ledger.commitments(session)}
    for title, commitment_id in fields.agenda:
        if not title.strip():
            errors["agenda"] = N_("Every agenda item needs a title.")
        elif commitment_id is not None and commitment_id not in known:
            errors["agenda"] = N_("An agenda item names a commitment the agreement does not have.")
    if errors:
        raise ValidationFailed(errors)


def schedule_meeting(session: Session, fields: MeetingFields, *, attendee_ids: list[int], actor: Actor,
                     now: dt.datetime) -> Meeting:
    """Schedule a consultation with its agenda and invitees (who are notified)."""
    require(actor, "governance.edit")
    check_meeting(session, fields)
    meeting = Meeting(
        uid=f"{uuid.uuid4()}@kakehashi", title=fields.title.strip(), title_ja=(fields.title_ja or "").strip() or None,
        mode=fields.mode, venue=(fields.venue or "").strip() or None, video_url=(fields.video_url or "").strip() or None,
        starts_at=fields.starts_at, ends_at=fields.ends_at, is_public=fields.is_public, organiser_id=actor.user_id,
        organiser_side=actor.side.value if actor.side else None, created_at=now, updated_at=now,
    )
    session.add(meeting)
    session.flush()
    session.add_all(AgendaItem(meeting_id=meeting.id, position=n, title=title.strip(), commitment_id=commitment_id)
                    for n, (title, commitment_id) in enumerate(fields.agenda, start=1))
    for user_id in dict.fromkeys([*attendee_ids, *([actor.user_id] if actor.user_id else [])]):
        invite(session, meeting, user_id)
    audit.record(session, actor, "governance.meeting.schedule", target_type="governance_meeting", target_id=meeting.id,
                 details={"mode": meeting.mode, "starts_at": meeting.starts_at.isoformat()})
    return meeting


def invite(session: Session, meeting: Meeting, user_id: int) -> Attendee:
    """Add a person to a meeting's attendees (once) and notify them."""
    existing = session.scalar(select(Attendee).where(Attendee.meeting_id == meeting.id, Attendee.user_id == user_id))
    if existing is not None:
        return existing
    try:
        user = identity.get_user(session, user_id)
    except NotFound:
        raise ValidationFailed({"attendees": N_("One of the attendees has no account.")}) from None
    attendee = Attendee(meeting_id=meeting.id, user_id=user.id, name=user.name, side=user.side or _org_side(session, user))
    session.add(attendee)
    session.flush()
    notifications.notify(session, user_id=user.id, kind="governance.meeting", title=N_("Consultation: %(title)s"),
                         body=N_("You are invited to a Joint Working Group consultation."), params={"title": meeting.title},
                         link=f"/governance/consultations/{meeting.id}")
    return attendee


def _org_side(session: Session, user: identity.User) -> str | None:
    org = registry.get_organisation(session, user.org_id) if user.org_id else None
    return org.country if org else None


def record_attendance(session: Session, meeting_id: int, attended_user_ids: set[int], *, actor: Actor,
                      now: dt.datetime) -> Meeting:
    """Record who came (everyone else invited is marked absent) and mark the meeting held."""
    require(actor, "governance.edit")
    meeting = get_meeting(session, meeting_id)
    if meeting.status == MeetingStatus.CANCELLED:
        raise GovernanceError(N_("This consultation was cancelled."), code="cancelled")
    if meeting.starts_at > now:
        raise GovernanceError(N_("Attendance is recorded once the meeting has begun."), field="attended", code="not_yet")
    for attendee in session.scalars(select(Attendee).where(Attendee.meeting_id == meeting.id)):
        attendee.attended = attendee.user_id in attended_user_ids
    meeting.status, meeting.updated_at = MeetingStatus.HELD.value, now
    audit.record(session, actor, "governance.meeting.attendance", target_type="governance_meeting", target_id=meeting.id,
                 details={"attended": sorted(attended_user_ids)})
    return meeting


def cancel_meeting(session: Session, meeting_id: int, *, actor: Actor, now: dt.datetime) -> Meeting:
    """Cancel a scheduled consultation (calendars receive the cancellation)."""
    require(actor, "governance.edit")
    meeting = get_meeting(session, meeting_id)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise GovernanceError(N_("Only a scheduled consultation can be cancelled."), code="not_scheduled")
    meeting.status, meeting.sequence, meeting.updated_at = MeetingStatus.CANCELLED.value, meeting.sequence + 1, now
    return meeting


def _minutes_locked(session: Session, meeting_id: int) -> bool:
    minutes = session.scalar(select(Minutes).where(Minutes.meeting_id == meeting_id))
    return minutes is not None and minutes.instrument_id is not None


def record_decision(session: Session, meeting_id: int, *, text: str, text_ja: str | None = None,
                    commitment_id: int | None = None, actor: Actor) -> Decision:
    """Record a decision of a meeting (before its minutes go for signature)."""
    require(actor, "governance.edit")
    meeting = get_meeting(session, meeting_id)
    if _minutes_locked(session, meeting.id):
        raise GovernanceError(N_("The minutes are with the participants for signature; nothing can be added."),
                              code="minutes_locked")
    if not text.strip():
        raise ValidationFailed({"text": N_("Write the decision.")})
    if commitment_id is not None and ledger.commitment(session, commitment_id) is None:
        raise ValidationFailed({"commitment_id": N_("Choose a commitment of the agreement.")})
    decision = Decision(meeting_id=meeting.id, text=text.strip(), text_ja=(text_ja or "").strip() or None,
                        commitment_id=commitment_id)
    session.add(decision)
    session.flush()
    return decision


def _check_owner(session: Session, owner_user_id: int | None, owner_org_id: int | None) -> tuple[str | None, int | None]:
    """The owner's side and organisation; refuse unknown people and organisations that no longer exist."""
    if owner_user_id is None and owner_org_id is None:
        raise ValidationFailed({"owner": N_("Give the action an owner.")})
    user = None
    if owner_user_id is not None:
        try:
            user = identity.get_user(session, owner_user_id)
        except NotFound:
            raise ValidationFailed({"owner": N_("The owner has no account.")}) from None
        if not user.is_active:
            raise ValidationFailed({"owner": N_("The owner's account is closed.")})
        owner_org_id = owner_org_id if owner_org_id is not None else user.org_id
    org = registry.get_organisation(session, owner_org_id) if owner_org_id is not None else None
    if owner_org_id is not None and org is None:
        raise ValidationFailed({"owner": N_("The owner's organisation does not exist or was deleted.")})
    side = (user.side if user is not None and user.side else None) or (org.country if org is not None else None)
    return side, owner_org_id


def add_action_item(
    session: Session, *, title: str, due_on: dt.date, owner_user_id: int | None, owner_org_id: int | None = None,
    meeting_id: int | None = None, commitment_id: int | None = None, activity_id: int | None = None, actor: Actor,
    now: dt.datetime,
) -> ActionItem:
    """Assign an action to a person or an organisation; it shows on their to-do list and on its commitment."""
    require(actor, "governance.edit")
    errors: dict[str, str] = {}
    if not title.strip() or len(title) > 300:
        errors["title"] = N_("Give a title of at most 300 characters.")
    if commitment_id is not None and ledger.commitment(session, commitment_id) is None:
        errors["commitment_id"] = N_("Choose a commitment of the agreement.")
    if errors:
        raise ValidationFailed(errors)
    if meeting_id is not None and _minutes_locked(session, get_meeting(session, meeting_id).id):
        raise GovernanceError(N_("The minutes are with the participants for signature; nothing can be added."),
                              code="minutes_locked")
    side, org_id = _check_owner(session, owner_user_id, owner_org_id)
    item = ActionItem(meeting_id=meeting_id, commitment_id=commitment_id, activity_id=activity_id, title=title.strip(),
                      owner_user_id=owner_user_id, owner_org_id=org_id, owner_side=side, due_on=due_on,
                      created_by=actor.user_id, created_at=now)
    session.add(item)
    session.flush()
    for user_id in action_recipients(session, item):
        notifications.notify(session, user_id=user_id, kind="governance.action", title=N_("New action for you: %(title)s"),
                             body=N_("Due on %(due)s."), params={"title": item.title, "due": due_on.isoformat()},
                             link="/governance/todo")
    audit.record(session, actor, "governance.action.create", target_type="governance_action_item", target_id=item.id,
                 details={"owner_user_id": owner_user_id, "owner_org_id": org_id, "due_on": due_on.isoformat()})
    return item


def action_recipients(session: Session, item: ActionItem) -> list[int]:
    """Who hears about an action: its owner, or the members of its owning organisation."""
    if item.owner_user_id is not None:
        return [item.owner_user_id]
    if item.owner_org_id is not None:
        return [u.id for u in identity.users_of_org(session, item.owner_org_id) if u.is_active]
    return []


def set_action_status(session: Session, action_id: int, status: str, *, actor: Actor, now: dt.datetime) -> ActionItem:
    """Close, cancel or reopen an action: its owner (or a member of the owning organisation) or an officer."""
    item = session.get(ActionItem, action_id)
    if item is None:
        raise GovernanceNotFound(N_("No such action item."), field="action_id")
    if status not in ActionStatus._value2member_map_:
        raise ValidationFailed({"status": N_("Choose open, done or cancelled.")})
    owns = actor.user_id is not None and (actor.user_id == item.owner_user_id or
                                          (item.owner_org_id is not None and actor.org_id == item.owner_org_id))
    if not owns:
        require(actor, "governance.edit")
    item.status = status
    item.completed_at = now if status == ActionStatus.DONE else None
    audit.record(session, actor, "governance.action.status", target_type="governance_action_item", target_id=item.id,
                 details={"status": status})
    return item


def count_attendees(session: Session, meeting_id: int) -> int:
    """How many people were invited to a meeting."""
    return session.scalar(select(func.count()).select_from(Attendee).where(Attendee.meeting_id == meeting_id)) or 0
