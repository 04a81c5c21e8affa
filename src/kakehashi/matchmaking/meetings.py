"""After scheduling: cancel a meeting (a late change), check in (no-shows), give feedback."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.kernel import audit
from kakehashi.kernel.authz import Actor, can
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import Forbidden, ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.kernel.notifications import notify
from kakehashi.matchmaking.errors import MatchmakingNotFound, WrongPhase
from kakehashi.matchmaking.events import get_event
from kakehashi.matchmaking.models import Event, Meeting, MeetingFeedback, MeetingRequest, Registration, Slot
from kakehashi.matchmaking.models.meeting import Cooperation, MeetingStatus, RequestStatus

#: Check-in opens this long before a meeting starts.
CHECK_IN_EARLY = dt.timedelta(minutes=15)


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    """A meeting by id, or MatchmakingNotFound."""
    found = session.get(Meeting, meeting_id)
    if found is None:
        raise MatchmakingNotFound(N_("No such meeting."))
    return found


def _is_organiser(actor: Actor, event: Event) -> bool:
    return can(actor, "matchmaking.event.organise", org_id=event.organiser_org_id)


def _own_side(session: Session, meeting: Meeting, actor: Actor) -> Registration | None:
    """The actor's registration in this meeting, if they are one of the two."""
    for reg_id in (meeting.a_id, meeting.b_id):
        reg = session.get(Registration, reg_id)
        if reg is not None and reg.user_id == actor.user_id:
            return reg
    return None


def cancel_meeting(session: Session, meeting_id: int, *, actor: Actor, reason: str = "") -> Meeting:
    """One of the two (or the organiser) cancels; the slot frees up for the next re-solve."""
    meeting = get_meeting(session, meeting_id)
    event = get_event(session, meeting.event_id)
    mine = _own_side(session, meeting, actor)
    if mine is None and not _is_organiser(actor, event):
        raise Forbidden(N_("Only the two participants or the organiser can cancel this meeting."))
    if meeting.status != MeetingStatus.SCHEDULED:
        raise WrongPhase(N_("This meeting is already cancelled."))
    meeting.status, meeting.updated_at = MeetingStatus.CANCELLED.value, utcnow()
    request = session.get(MeetingRequest, meeting.request_id)
    if request is not None:
        request.status = RequestStatus.CANCELLED.value
    for reg_id in (meeting.a_id, meeting.b_id):
        reg = session.get(Registration, reg_id)
        if reg is not None and reg.user_id != actor.user_id:
            notify(session, user_id=reg.user_id, kind="matchmaking.meeting.cancelled", title=N_("Meeting cancelled"),
                   body=N_("A meeting at %(event)s was cancelled: %(reason)s"),
                   params={"event": event.title, "reason": reason[:300] or "—"},
                   link=f"/matchmaking/agenda?event={event.id}")
    audit.record(session, actor, "matchmaking.meeting.cancelled", target_type="matchmaking_meeting",
                 target_id=meeting.id, details={"reason": reason[:300]})
    return meeting


def check_in(session: Session, meeting_id: int, *, actor: Actor, registration_id: int | None = None,
             now: dt.datetime | None = None) -> Meeting:
    """Record that a participant showed up: themselves from 15 minutes before, or anyone by the organiser."""
    meeting = get_meeting(session, meeting_id)
    event = get_event(session, meeting.event_id)
    now = now or utcnow()
    mine = _own_side(session, meeting, actor)
    if registration_id is None or (mine is not None and registration_id == mine.id):
        if mine is None:
            raise Forbidden(N_("Only the two participants or the organiser can check in."))
        slot = session.get(Slot, meeting.slot_id)
        if slot is None or now < slot.starts_at - CHECK_IN_EARLY or now > slot.ends_at:
            raise WrongPhase(N_("Check-in opens 15 minutes before the meeting and closes at its end."))
        registration_id = mine.id
    elif not _is_organiser(actor, event):
        raise Forbidden(N_("Only the organiser can check others in."))
    if meeting.status != MeetingStatus.SCHEDULED or registration_id not in (meeting.a_id, meeting.b_id):
        raise MatchmakingNotFound(N_("No such meeting."))
    if registration_id == meeting.a_id:
        meeting.a_checked_in_at = meeting.a_checked_in_at or now
    else:
        meeting.b_checked_in_at = meeting.b_checked_in_at or now
    return meeting


def give_feedback(
    session: Session, meeting_id: int, *, actor: Actor, took_place: bool, cooperation: str, comment: str = "",
    now: dt.datetime | None = None,
) -> MeetingFeedback:
    """After the meeting started: did it take place, is cooperation possible (one answer per person, editable)."""
    meeting = get_meeting(session, meeting_id)
    mine = _own_side(session, meeting, actor)
    if mine is None:
        raise Forbidden(N_("Only the two participants can give feedback."))
    slot = session.get(Slot, meeting.slot_id)
    if slot is None or (now or utcnow()) < slot.starts_at:
        raise WrongPhase(N_("Feedback opens when the meeting starts."))
    if cooperation not in Cooperation.__members__.values():
        raise ValidationFailed({"cooperation": N_("Choose yes, maybe or no.")})
    if len(comment) > 2000:
        raise ValidationFailed({"comment": N_("At most 2,000 characters.")})
    feedback = session.scalar(select(MeetingFeedback).where(
        MeetingFeedback.meeting_id == meeting.id, MeetingFeedback.registration_id == mine.id))
    if feedback is None:
        feedback = MeetingFeedback(meeting_id=meeting.id, registration_id=mine.id, created_at=utcnow())
        session.add(feedback)
    feedback.took_place, feedback.cooperation, feedback.comment = took_place, cooperation, comment.strip()
    session.flush()
    return feedback
