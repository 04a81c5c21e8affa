"""Taking part in an event: registration, availability, meeting requests and their decisions, expiry."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from kakehashi import registry
from kakehashi.kernel import audit
from kakehashi.kernel.authz import Actor, require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import Conflict, Forbidden, ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.kernel.notifications import notify
from kakehashi.matchmaking.errors import MatchmakingNotFound, RequestRefused, WrongPhase
from kakehashi.matchmaking.events import get_event, require_organiser, slots_of
from kakehashi.matchmaking.meetings import cancel_meeting
from kakehashi.matchmaking.models import (
    Event,
    Meeting,
    MeetingRequest,
    Opportunity,
    Registration,
    RegistrationGroup,
    Slot,
)
from kakehashi.matchmaking.models.event import EventFormat, Phase
from kakehashi.matchmaking.models.meeting import Attendance, MeetingStatus, RequestKind, RequestStatus

OPEN_STATUSES = (RequestStatus.PENDING.value, RequestStatus.ACCEPTED.value)
#: Outstanding requests one person may have, as a multiple of their meeting cap (stops request spraying).
PENDING_FACTOR = 3
MAX_MESSAGE = 2000


def registration_of(session: Session, event_id: int, user_id: int | None) -> Registration | None:
    """The active registration of a person in an event, or None."""
    if user_id is None:
        return None
    return session.scalar(select(Registration).where(
        Registration.event_id == event_id, Registration.user_id == user_id, Registration.active.is_(True)))


def get_registration(session: Session, registration_id: int) -> Registration:
    """A registration by id, or MatchmakingNotFound."""
    found = session.get(Registration, registration_id)
    if found is None:
        raise MatchmakingNotFound(N_("No such participant."))
    return found


def register(
    session: Session, event_id: int, *, actor: Actor, group_code: str | None = None,
    attendance: str | None = None, max_meetings: int | None = None, unavailable_slot_ids: list[int] | None = None,
    pitch: str = "",
) -> Registration:
    """Register the acting person (for their organisation) while the event is open."""
    require(actor, "matchmaking.participate")
    event = get_event(session, event_id)
    if event.phase != Phase.OPEN:
        raise WrongPhase(N_("Registration is not open for this event."))
    assert actor.user_id is not None
    existing = session.scalar(select(Registration).where(Registration.event_id == event.id,
                                                         Registration.user_id == actor.user_id))
    if existing is not None and existing.active:
        raise Conflict(N_("You are already registered."), code="registered")
    org = registry.get_organisation(session, actor.org_id) if actor.org_id else None
    side = org.country if org is not None else (actor.side.value if actor.side else None)
    if side not in ("JP", "IN"):
        raise RequestRefused(N_("Only people of Japanese or Indian organisations can register."))
    reg = existing or Registration(event_id=event.id, user_id=actor.user_id, registered_at=utcnow())
    reg.org_id, reg.side, reg.active = actor.org_id, side, True
    reg.group_id = _group_id(session, event, group_code)
    _set_terms(session, event, reg, attendance=attendance, max_meetings=max_meetings,
               unavailable_slot_ids=unavailable_slot_ids or [], pitch=pitch)
    session.add(reg)
    session.flush()
    audit.record(session, actor, "matchmaking.registered", target_type="matchmaking_event", target_id=event.id)
    return reg


def update_registration(
    session: Session, registration_id: int, *, actor: Actor, attendance: str | None, max_meetings: int | None,
    unavailable_slot_ids: list[int], pitch: str,
) -> Registration:
    """Change one's attendance, meeting cap, availability or pitch (a late change once scheduled)."""
    reg = get_registration(session, registration_id)
    if reg.user_id != actor.user_id:
        raise Forbidden(N_("This is someone else's registration."))
    event = get_event(session, reg.event_id)
    _set_terms(session, event, reg, attendance=attendance, max_meetings=max_meetings,
               unavailable_slot_ids=unavailable_slot_ids, pitch=pitch)
    return reg


def withdraw_registration(session: Session, registration_id: int, *, actor: Actor) -> Registration:
    """Leave an event: open requests are withdrawn or cancelled, future meetings cancelled (the other side told)."""
    reg = get_registration(session, registration_id)
    if reg.user_id != actor.user_id:
        raise Forbidden(N_("This is someone else's registration."))
    now = utcnow()
    for meeting in session.scalars(select(Meeting).where(
            Meeting.status == MeetingStatus.SCHEDULED.value, (Meeting.a_id == reg.id) | (Meeting.b_id == reg.id))):
        slot = session.get(Slot, meeting.slot_id)
        if slot is not None and slot.starts_at > now:
            cancel_meeting(session, meeting.id, actor=actor, reason=N_("The participant left the event."))
    for request in session.scalars(select(MeetingRequest).where(
            MeetingRequest.status.in_(OPEN_STATUSES),
            (MeetingRequest.requester_id == reg.id) | (MeetingRequest.recipient_id == reg.id))):
        request.status = (RequestStatus.WITHDRAWN if request.status == RequestStatus.PENDING
                          else RequestStatus.CANCELLED).value
        request.decided_at = now
    reg.active = False
    audit.record(session, actor, "matchmaking.unregistered", target_type="matchmaking_event", target_id=reg.event_id)
    return reg


def _group_id(session: Session, event: Event, code: str | None) -> int | None:
    groups = {g.code: g.id for g in session.scalars(select(RegistrationGroup).where(
        RegistrationGroup.event_id == event.id))}
    if not groups:
        return None
    if not code or code not in groups:
        raise ValidationFailed({"group": N_("Choose your group.")})
    return groups[code]


def _set_terms(session: Session, event: Event, reg: Registration, *, attendance: str | None,
               max_meetings: int | None, unavailable_slot_ids: list[int], pitch: str) -> None:
    errors: dict[str, str] = {}
    fixed = {EventFormat.PHYSICAL: Attendance.IN_PERSON, EventFormat.VIRTUAL: Attendance.VIRTUAL}.get(
        EventFormat(event.format))
    chosen = attendance or (fixed.value if fixed else Attendance.IN_PERSON.value)
    if chosen not in Attendance.__members__.values() or (fixed is not None and chosen != fixed):
        errors["attendance"] = N_("This event does not offer that way of attending.")
    if max_meetings is not None and not 1 <= max_meetings <= event.max_meetings:
        errors["max_meetings"] = N_("At most the event's limit of meetings per person.")
    starts = {s.id: s.starts_at for s in slots_of(session, event.id)}
    unknown = [i for i in unavailable_slot_ids if i not in starts]
    if unknown:
        errors["unavailable"] = N_("Unknown slot.")
    if len(pitch) > 2000:
        errors["pitch"] = N_("At most 2,000 characters.")
    if errors:
        raise ValidationFailed(errors)
    reg.attendance, reg.max_meetings, reg.pitch = chosen, max_meetings, pitch.strip()
    reg.unavailable = sorted(starts[i].astimezone(dt.UTC).isoformat() for i in set(unavailable_slot_ids))


def send_request(
    session: Session, event_id: int, *, actor: Actor, recipient_id: int, message: str = "",
    opportunity_id: int | None = None,
) -> MeetingRequest:
    """Ask another participant for a meeting; a crossing request from them makes it a mutual match."""
    require(actor, "matchmaking.participate")
    event = get_event(session, event_id)
    if event.phase != Phase.OPEN:
        raise WrongPhase(N_("Requests are closed for this event."))
    mine = registration_of(session, event.id, actor.user_id)
    if mine is None:
        raise RequestRefused(N_("Register for the event first."))
    theirs = get_registration(session, recipient_id)
    _check_pair(session, event, mine, theirs)
    if len(message) > MAX_MESSAGE:
        raise ValidationFailed({"message": N_("At most 2,000 characters.")})
    if opportunity_id is not None:
        _check_opportunity(session, opportunity_id, mine=mine.org_id, theirs=theirs.org_id)
    _lock_pair(session, mine.id, theirs.id)
    crossing = _open_between(session, mine.id, theirs.id)
    if crossing is not None:
        if crossing.requester_id == theirs.id and crossing.status == RequestStatus.PENDING:
            return _decide(session, crossing, actor=actor, accepted=True, keen=True)
        raise RequestRefused(N_("There is already a request between you."))
    _check_outstanding(session, event, mine)
    now = utcnow()
    request = MeetingRequest(
        event_id=event.id, requester_id=mine.id, recipient_id=theirs.id, message=message.strip(),
        opportunity_id=opportunity_id, kind=RequestKind.ONE_SIDED.value, status=RequestStatus.PENDING.value,
        created_at=now, expires_at=now + dt.timedelta(hours=event.request_hours),
    )
    session.add(request)
    session.flush()
    notify(session, user_id=theirs.user_id, kind="matchmaking.request", title=N_("New meeting request"),
           body=N_("%(name)s asks to meet you at %(event)s."), params={"name": actor.name, "event": event.title},
           link=f"/matchmaking/events/{event.id}/requests")
    return request


def _check_pair(session: Session, event: Event, mine: Registration, theirs: Registration) -> None:
    if theirs.event_id != event.id or not theirs.active:
        raise MatchmakingNotFound(N_("No such participant."))
    if theirs.id == mine.id:
        raise RequestRefused(N_("You cannot request a meeting with yourself."))
    if mine.org_id is not None and mine.org_id == theirs.org_id:
        raise RequestRefused(N_("You cannot request a meeting with your own organisation."))
    my_group = session.get(RegistrationGroup, mine.group_id) if mine.group_id else None
    their_group = session.get(RegistrationGroup, theirs.group_id) if theirs.group_id else None
    if my_group is not None and not my_group.allows(their_group):
        raise RequestRefused(N_("Your group may not request meetings with theirs."))
    declined = session.scalar(select(MeetingRequest.id).where(
        MeetingRequest.requester_id == mine.id, MeetingRequest.recipient_id == theirs.id,
        MeetingRequest.status == RequestStatus.DECLINED.value))
    if declined is not None:
        raise RequestRefused(N_("They declined your earlier request."))


def _check_opportunity(session: Session, opportunity_id: int, *, mine: int | None, theirs: int | None) -> None:
    """A live opportunity of mine, or a named one of theirs (accepting an anonymous one of theirs would tell
    the requester who owns it)."""
    opportunity = session.get(Opportunity, opportunity_id)
    owner = opportunity.org_id if opportunity is not None else None
    if opportunity is None or not opportunity.is_live(utcnow()) or owner is None or not (
            owner == mine or (owner == theirs and not opportunity.anonymous)):
        raise ValidationFailed({"opportunity_id": N_("Attach a published opportunity of yours or theirs.")})


def _check_outstanding(session: Session, event: Event, mine: Registration) -> None:
    pending = session.scalar(select(func.count()).select_from(MeetingRequest).where(
        MeetingRequest.requester_id == mine.id, MeetingRequest.status == RequestStatus.PENDING.value)) or 0
    if pending >= PENDING_FACTOR * (mine.max_meetings or event.max_meetings):
        raise RequestRefused(N_("You have too many requests waiting for an answer; wait for some replies."))


def _lock_pair(session: Session, a: int, b: int) -> None:
    """Row-lock both registrations, lower id first (PostgreSQL; a SQLite writer holds the write lock already):
    two people asking each other at the same instant queue, and the second finds the first's request and
    makes it one mutual match instead of a second open request."""
    session.execute(select(Registration.id).where(Registration.id.in_(sorted({a, b})))
                    .order_by(Registration.id).with_for_update())


def _open_between(session: Session, a: int, b: int) -> MeetingRequest | None:
    return session.scalar(select(MeetingRequest).where(
        or_((MeetingRequest.requester_id == a) & (MeetingRequest.recipient_id == b),
            (MeetingRequest.requester_id == b) & (MeetingRequest.recipient_id == a)),
        MeetingRequest.status.in_(OPEN_STATUSES)))


def get_request(session: Session, request_id: int, *, lock: bool = False) -> MeetingRequest:
    """A meeting request by id (`lock`: row-locked and re-read, for answering it once), or MatchmakingNotFound."""
    found = session.get(MeetingRequest, request_id, with_for_update=lock or None, populate_existing=lock)
    if found is None:
        raise MatchmakingNotFound(N_("No such request."))
    return found


def accept_request(session: Session, request_id: int, *, actor: Actor, keen: bool = False) -> MeetingRequest:
    """The recipient accepts; `keen` says they want it too, which makes it a mutual (heavier) meeting."""
    return _decide(session, get_request(session, request_id, lock=True), actor=actor, accepted=True, keen=keen)


def decline_request(session: Session, request_id: int, *, actor: Actor) -> MeetingRequest:
    """The recipient declines; the requester cannot send the same request again."""
    return _decide(session, get_request(session, request_id, lock=True), actor=actor, accepted=False, keen=False)


def _decide(session: Session, request: MeetingRequest, *, actor: Actor, accepted: bool, keen: bool) -> MeetingRequest:
    recipient = get_registration(session, request.recipient_id)
    if recipient.user_id != actor.user_id:
        raise Forbidden(N_("Only the person asked can answer this request."))
    event = get_event(session, request.event_id)
    now = utcnow()
    if request.status == RequestStatus.PENDING and request.expires_at <= now:
        request.status = RequestStatus.EXPIRED.value
    if request.status != RequestStatus.PENDING or event.phase != Phase.OPEN:
        raise WrongPhase(N_("This request can no longer be answered."))
    request.status = (RequestStatus.ACCEPTED if accepted else RequestStatus.DECLINED).value
    if accepted:
        request.kind = (RequestKind.MUTUAL if keen else RequestKind.ONE_SIDED).value
    request.decided_at, request.decided_by = now, actor.user_id
    requester = get_registration(session, request.requester_id)
    notify(session, user_id=requester.user_id, kind="matchmaking.request.decided",
           title=N_("Meeting request accepted") if accepted else N_("Meeting request declined"),
           body=N_("%(name)s answered your request for %(event)s."), params={"name": actor.name, "event": event.title},
           link=f"/matchmaking/events/{event.id}/requests")
    return request


def withdraw_request(session: Session, request_id: int, *, actor: Actor) -> MeetingRequest:
    """The requester takes back a request nobody has answered yet."""
    request = get_request(session, request_id, lock=True)
    requester = get_registration(session, request.requester_id)
    if requester.user_id != actor.user_id:
        raise Forbidden(N_("Only the sender can withdraw this request."))
    if request.status != RequestStatus.PENDING:
        raise WrongPhase(N_("Only a request waiting for an answer can be withdrawn."))
    request.status, request.decided_at = RequestStatus.WITHDRAWN.value, utcnow()
    return request


def set_request_kind(session: Session, request_id: int, *, actor: Actor, kind: str) -> MeetingRequest:
    """The organiser marks an accepted request must-meet (or back to mutual / one-sided)."""
    request = get_request(session, request_id)
    require_organiser(actor, get_event(session, request.event_id))
    if kind not in RequestKind.__members__.values():
        raise ValidationFailed({"kind": N_("Choose must, mutual or one-sided.")})
    if request.status != RequestStatus.ACCEPTED:
        raise WrongPhase(N_("Only accepted requests are scheduled."))
    request.kind = kind
    return request


def add_late_request(session: Session, event_id: int, *, actor: Actor, a_id: int, b_id: int,
                     kind: str = RequestKind.MUST.value) -> MeetingRequest:
    """The organiser adds an agreed meeting after requests closed (a late change for the next re-solve)."""
    event = get_event(session, event_id)
    require_organiser(actor, event)
    if event.phase == Phase.DRAFT:
        raise WrongPhase(N_("Open the event first."))
    a, b = get_registration(session, a_id), get_registration(session, b_id)
    if a.event_id != event.id or b.event_id != event.id or not a.active or not b.active or a.id == b.id:
        raise RequestRefused(N_("Choose two different participants of this event."), field="b_id")
    if kind not in RequestKind.__members__.values():
        raise ValidationFailed({"kind": N_("Choose must, mutual or one-sided.")})
    open_request = _open_between(session, a.id, b.id)
    now = utcnow()
    request = open_request or MeetingRequest(event_id=event.id, requester_id=a.id, recipient_id=b.id,
                                             message="", created_at=now, expires_at=now)
    request.status, request.kind, request.decided_at, request.decided_by = (
        RequestStatus.ACCEPTED.value, kind, now, actor.user_id)
    session.add(request)
    session.flush()
    audit.record(session, actor, "matchmaking.request.added", target_type="matchmaking_request",
                 target_id=request.id, details={"a": a.id, "b": b.id, "kind": kind})
    return request


def close_pending_requests(session: Session, event: Event, *, now: dt.datetime) -> int:
    """When requests close, every unanswered request expires (it will not be scheduled)."""
    result = session.execute(update(MeetingRequest).where(
        MeetingRequest.event_id == event.id, MeetingRequest.status == RequestStatus.PENDING.value,
    ).values(status=RequestStatus.EXPIRED.value, decided_at=now))
    return int(getattr(result, "rowcount", 0) or 0)


def expire_requests(session: Session, now: dt.datetime) -> int:
    """Job: unanswered requests past their expiry stop counting (so they never block a slot)."""
    result = session.execute(update(MeetingRequest).where(
        MeetingRequest.status == RequestStatus.PENDING.value, MeetingRequest.expires_at <= now,
    ).values(status=RequestStatus.EXPIRED.value, decided_at=now))
    return int(getattr(result, "rowcount", 0) or 0)
