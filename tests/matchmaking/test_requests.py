"""Registering and requesting meetings: the rules a request must pass, decisions, and expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.kernel.authz import Role
from kakehashi.kernel.errors import Conflict, Forbidden, ValidationFailed
from kakehashi.kernel.notifications import Notification
from kakehashi.matchmaking import events, participation, phases
from kakehashi.matchmaking.errors import RequestRefused, WrongPhase
from kakehashi.matchmaking.models import MeetingRequest
from tests.factories.identity import make_user
from tests.factories.matchmaking import agree, make_event, register
from tests.factories.registry import make_org
from tests.fixtures.actors import Cast


def test_a_request_reaches_the_other_person_and_an_acceptance_comes_back(db: Session, cast: Cast) -> None:
    event = make_event(db, cast.meti_officer)
    register(db, event, cast.jp_org_admin)
    theirs = register(db, event, cast.in_org_member)
    request = participation.send_request(db, event.id, actor=cast.jp_org_admin.actor(), recipient_id=theirs.id,
                                         message="Our sensors, your analytics?")
    participation.accept_request(db, request.id, actor=cast.in_org_member.actor(), keen=True)
    assert (request.status, request.kind) == ("accepted", "mutual")
    kinds = set(db.scalars(select(Notification.kind).where(
        Notification.user_id.in_([cast.jp_org_admin.id, cast.in_org_member.id]))))
    assert kinds == {"matchmaking.request", "matchmaking.request.decided"}


def test_registering_twice_is_refused(db: Session, cast: Cast) -> None:
    event = make_event(db, cast.meti_officer)
    register(db, event, cast.jp_org_admin)
    with pytest.raises(Conflict):
        register(db, event, cast.jp_org_admin)


def test_registration_waits_for_the_event_to_open(db: Session, cast: Cast) -> None:
    event = make_event(db, cast.meti_officer, opened=False)
    with pytest.raises(WrongPhase):
        register(db, event, cast.jp_org_admin)


def test_a_person_may_not_request_themself_or_their_own_organisation(db: Session, cast: Cast) -> None:
    event = make_event(db, cast.meti_officer)
    mine = register(db, event, cast.jp_org_admin)
    colleague = make_user(db, role=Role.ORG_MEMBER, org_id=cast.jp_org.id)
    same_org = register(db, event, colleague)
    for target in (mine.id, same_org.id):
        with pytest.raises(RequestRefused):
            participation.send_request(db, event.id, actor=cast.jp_org_admin.actor(), recipient_id=target)


def test_group_rules_decide_who_may_ask_whom(db: Session, cast: Cast) -> None:
    event = make_event(db, cast.meti_officer, opened=False)
    officer = cast.meti_officer.actor()
    events.add_group(db, event.id, actor=officer, code="buyer", name="Buyers", may_meet=["seller"])
    events.add_group(db, event.id, actor=officer, code="seller", name="Sellers", may_meet=["buyer"])
    phases.advance_phase(db, event.id, actor=officer, to="open")
    register(db, event, cast.jp_org_admin, group_code="buyer")
    other_buyer = register(db, event, cast.in_org_member, group_code="buyer")
    seller = register(db, event, make_user(db, org_id=make_org(db, country="IN").id), group_code="seller")
    with pytest.raises(RequestRefused):
        participation.send_request(db, event.id, actor=cast.jp_org_admin.actor(), recipient_id=other_buyer.id)
    participation.send_request(db, event.id, actor=cast.jp_org_admin.actor(), recipient_id=seller.id)
    with pytest.raises(ValidationFailed):
        register(db, event, cast.outsider)  # the event has groups: one must be chosen


def test_crossing_requests_make_a_mutual_match(db: Session, cast: Cast) -> None:
    event = make_event(db, cast.meti_officer)
    mine = register(db, event, cast.jp_org_admin)
    theirs = register(db, event, cast.in_org_member)
    first = participation.send_request(db, event.id, actor=cast.jp_org_admin.actor(), recipient_id=theirs.id)
    second = participation.send_request(db, event.id, actor=cast.in_org_member.actor(), recipient_id=mine.id)
    assert second.id == first.id and (first.status, first.kind) == ("accepted", "mutual")


def test_a_declined_request_cannot_be_sent_again(db: Session, cast: Cast) -> None:
    event = make_event(db, cast.meti_officer)
    register(db, event, cast.jp_org_admin)
    theirs = register(db, event, cast.in_org_member)
    request = participation.send_request(db, event.id, actor=cast.jp_org_admin.actor(), recipient_id=theirs.id)
    participation.decline_request(db, request.id, actor=cast.in_org_member.actor())
    with pytest.raises(RequestRefused):
        participation.send_request(db, event.id, actor=cast.jp_org_admin.actor(), recipient_id=theirs.id)


def test_only_the_person_asked_may_answer(db: Session, cast: Cast) -> None:
    event = make_event(db, cast.meti_officer)
    register(db, event, cast.jp_org_admin)
    theirs = register(db, event, cast.in_org_member)
    request = participation.send_request(db, event.id, actor=cast.jp_org_admin.actor(), recipient_id=theirs.id)
    for someone in (cast.jp_org_admin, cast.outsider):
        with pytest.raises(Forbidden):
            participation.accept_request(db, request.id, actor=someone.actor())


def test_unanswered_requests_expire_so_they_never_block_a_slot(db: Session, cast: Cast) -> None:
    event = make_event(db, cast.meti_officer)
    register(db, event, cast.jp_org_admin)
    theirs = register(db, event, cast.in_org_member)
    request = participation.send_request(db, event.id, actor=cast.jp_org_admin.actor(), recipient_id=theirs.id)
    assert participation.expire_requests(db, request.expires_at - dt.timedelta(seconds=1)) == 0
    assert participation.expire_requests(db, request.expires_at) == 1
    db.refresh(request)
    assert request.status == "expired"
    with pytest.raises(WrongPhase):
        participation.accept_request(db, request.id, actor=cast.in_org_member.actor())


def test_closing_requests_expires_the_pending_ones_and_stops_new_ones(db: Session, cast: Cast) -> None:
    event = make_event(db, cast.meti_officer)
    register(db, event, cast.jp_org_admin)
    theirs = register(db, event, cast.in_org_member)
    pending = participation.send_request(db, event.id, actor=cast.jp_org_admin.actor(), recipient_id=theirs.id)
    phases.advance_phase(db, event.id, actor=cast.meti_officer.actor(), to="requests_closed")
    db.refresh(pending)
    assert pending.status == "expired"
    with pytest.raises(WrongPhase):
        participation.send_request(db, event.id, actor=cast.jp_org_admin.actor(), recipient_id=theirs.id)


def test_a_person_cannot_spray_requests_beyond_three_times_their_meeting_cap(db: Session, cast: Cast) -> None:
    event = make_event(db, cast.meti_officer, max_meetings=1)
    register(db, event, cast.jp_org_admin)
    targets = [register(db, event, make_user(db, org_id=make_org(db, country="IN").id)) for _ in range(4)]
    for target in targets[:3]:
        participation.send_request(db, event.id, actor=cast.jp_org_admin.actor(), recipient_id=target.id)
    with pytest.raises(RequestRefused):
        participation.send_request(db, event.id, actor=cast.jp_org_admin.actor(), recipient_id=targets[3].id)


def test_the_organiser_marks_a_meeting_must_meet(db: Session, cast: Cast) -> None:
    event = make_event(db, cast.meti_officer)
    register(db, event, cast.jp_org_admin)
    register(db, event, cast.in_org_member)
    request = agree(db, event, cast.jp_org_admin, cast.in_org_member)
    with pytest.raises(Forbidden):
        participation.set_request_kind(db, request.id, actor=cast.in_org_member.actor(), kind="must")
    participation.set_request_kind(db, request.id, actor=cast.meti_officer.actor(), kind="must")
    assert db.get(MeetingRequest, request.id).kind == "must"  # type: ignore[union-attr]


def test_availability_is_kept_by_slot_time(db: Session, cast: Cast) -> None:
    event = make_event(db, cast.meti_officer)
    slots = events.slots_of(db, event.id)
    reg = register(db, event, cast.jp_org_admin, unavailable_slot_ids=[slots[0].id])
    assert reg.unavailable == [slots[0].starts_at.isoformat()]
    with pytest.raises(ValidationFailed):
        participation.update_registration(db, reg.id, actor=cast.jp_org_admin.actor(), attendance=None,
                                          max_meetings=99, unavailable_slot_ids=[], pitch="")
