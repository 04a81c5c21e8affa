"""Joint Working Group consultations: scheduling rules, attendance, minutes approved by both sides, actions, reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.governance import ledger
from kakehashi.governance.consultations import minutes, queries, reminders, services
from kakehashi.governance.consultations.calendar import feed
from kakehashi.governance.errors import GovernanceError
from kakehashi.kernel.errors import DomainError, Forbidden, ValidationFailed
from kakehashi.kernel.notifications import Notification
from kakehashi.registry.models import Organisation
from tests.factories.identity import make_user
from tests.fixtures.actors import Cast
from tests.governance.conftest import first_of

START = dt.datetime(2026, 2, 10, 4, 30, tzinfo=dt.UTC)  # 13:30 JST, 10:00 IST
NOW = START + dt.timedelta(hours=3)


def video(**changes: object) -> services.MeetingFields:
    values: dict = {"title": "JWG video consultation", "mode": "video", "starts_at": START,
                    "ends_at": START + dt.timedelta(hours=2), "video_url": "https://meet.example.org/jwg-7"}
    values.update(changes)
    return services.MeetingFields(**values)


def held_meeting(db: Session, cast: Cast, moc: list) -> services.Meeting:
    meeting = services.schedule_meeting(
        db, video(agenda=(("Packaging research", first_of(moc, "semiconductors").id), ("AOB", None))),
        attendee_ids=[cast.meti_officer.id], actor=cast.meity_officer.actor(), now=START - dt.timedelta(days=7))
    services.record_attendance(db, meeting.id, {cast.meti_officer.id, cast.meity_officer.id},
                               actor=cast.meity_officer.actor(), now=NOW)
    return meeting


@pytest.mark.parametrize(("change", "field"), [
    ({"video_url": "http://meet.example.org/x"}, "video_url"),
    ({"video_url": None}, "video_url"),
    ({"mode": "physical", "venue": ""}, "venue"),
    ({"mode": "hybrid", "venue": "Vigyan Bhawan", "video_url": ""}, "video_url"),
    ({"ends_at": START - dt.timedelta(minutes=1)}, "ends_at"),
    ({"ends_at": START + dt.timedelta(hours=13)}, "ends_at"),
    ({"mode": "radio"}, "mode"),
    ({"agenda": (("Item", 999999),)}, "agenda"),
])
def test_it_refuses_a_consultation_that_cannot_take_place(db: Session, cast: Cast, moc: list, change: dict,
                                                          field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.schedule_meeting(db, video(**change), attendee_ids=[], actor=cast.meity_officer.actor(), now=START)
    assert field in caught.value.errors


def test_scheduling_invites_both_sides_and_notifies_them(db: Session, cast: Cast, moc: list) -> None:
    meeting = services.schedule_meeting(db, video(), attendee_ids=[cast.meti_officer.id], actor=cast.meity_officer.actor(),
                                        now=START - dt.timedelta(days=3))
    detail = queries.detail(db, meeting)
    assert {(a.name, a.side) for a in detail.attendees} == {("METI Officer", "JP"), ("MeitY Officer", "IN")}
    note = db.scalar(select(Notification).where(Notification.user_id == cast.meti_officer.id))
    assert note.link == f"/governance/consultations/{meeting.id}"


def test_attendance_is_recorded_only_once_the_meeting_began(db: Session, cast: Cast, moc: list) -> None:
    meeting = services.schedule_meeting(db, video(), attendee_ids=[cast.meti_officer.id], actor=cast.meity_officer.actor(),
                                        now=START - dt.timedelta(days=3))
    with pytest.raises(GovernanceError):
        services.record_attendance(db, meeting.id, {cast.meti_officer.id}, actor=cast.meity_officer.actor(),
                                   now=START - dt.timedelta(hours=1))
    services.record_attendance(db, meeting.id, {cast.meti_officer.id, cast.meity_officer.id},
                               actor=cast.meity_officer.actor(), now=NOW)
    assert queries.detail(db, meeting).sides_present() == {"JP", "IN"}


def test_minutes_are_approved_only_when_both_participants_have_signed(db: Session, cast: Cast, moc: list) -> None:
    meeting = held_meeting(db, cast, moc)
    services.record_decision(db, meeting.id, text="Launch the joint packaging study.", actor=cast.meity_officer.actor(),
                             commitment_id=first_of(moc, "semiconductors").id)
    minutes.draft_minutes(db, meeting.id, language="ja", body="議事録：先端パッケージング共同研究を開始する。",
                          expected_version=None, actor=cast.meti_officer.actor(), now=NOW)
    assert minutes.state(db, meeting).status == "draft"
    submitted = minutes.submit_for_approval(db, meeting.id, actor=cast.meity_officer.actor(), now=NOW)
    on_ledger = ledger.state(db, submitted.instrument_id)
    assert (on_ledger.type, on_ledger.status) == ("minutes_approval", "signing")
    assert on_ledger.payload["minutes_sha256"] == submitted.sha256
    assert on_ledger.payload["meeting"] == meeting.uid

    after_one = minutes.sign_minutes(db, meeting.id, actor=cast.meity_officer.actor(), now=NOW, demo_keys=True)
    assert (after_one.status, after_one.signed_by) == ("signing", frozenset({"MEITY"}))
    after_both = minutes.sign_minutes(db, meeting.id, actor=cast.meti_officer.actor(), now=NOW, demo_keys=True)
    assert (after_both.status, after_both.signed_by) == ("approved", frozenset({"METI", "MEITY"}))
    assert after_both.log_index is not None  # the concluded instrument is in the transparency log
    assert minutes.minutes_of(db, meeting.id).approved_at == NOW


def test_minutes_cannot_change_once_they_are_with_the_participants(db: Session, cast: Cast, moc: list) -> None:
    meeting = held_meeting(db, cast, moc)
    minutes.draft_minutes(db, meeting.id, language="en", body="Minutes.", expected_version=None,
                          actor=cast.meity_officer.actor(), now=NOW)
    minutes.submit_for_approval(db, meeting.id, actor=cast.meity_officer.actor(), now=NOW)
    with pytest.raises(GovernanceError):
        minutes.draft_minutes(db, meeting.id, language="en", body="Rewritten.", expected_version=None,
                              actor=cast.meity_officer.actor(), now=NOW)
    with pytest.raises(GovernanceError):
        services.record_decision(db, meeting.id, text="A late decision.", actor=cast.meity_officer.actor())


def test_one_side_alone_cannot_approve_minutes_for_the_other(db: Session, cast: Cast, moc: list) -> None:
    meeting = held_meeting(db, cast, moc)
    minutes.draft_minutes(db, meeting.id, language="en", body="Minutes.", expected_version=None,
                          actor=cast.meity_officer.actor(), now=NOW)
    minutes.submit_for_approval(db, meeting.id, actor=cast.meity_officer.actor(), now=NOW)
    minutes.sign_minutes(db, meeting.id, actor=cast.meity_officer.actor(), now=NOW, demo_keys=True)
    with pytest.raises(DomainError):  # the ledger refuses a second signature by the same participant
        minutes.sign_minutes(db, meeting.id, actor=cast.meity_officer.actor(), now=NOW, demo_keys=True)
    assert minutes.state(db, meeting).status == "signing"


def test_minutes_go_for_approval_only_after_the_meeting_was_held(db: Session, cast: Cast, moc: list) -> None:
    meeting = services.schedule_meeting(db, video(), attendee_ids=[], actor=cast.meity_officer.actor(), now=START)
    minutes.draft_minutes(db, meeting.id, language="en", body="Draft.", expected_version=None,
                          actor=cast.meity_officer.actor(), now=START)
    with pytest.raises(GovernanceError):
        minutes.submit_for_approval(db, meeting.id, actor=cast.meity_officer.actor(), now=START)


def test_an_organisation_member_cannot_approve_minutes(db: Session, cast: Cast, moc: list) -> None:
    meeting = held_meeting(db, cast, moc)
    minutes.draft_minutes(db, meeting.id, language="en", body="Minutes.", expected_version=None,
                          actor=cast.meity_officer.actor(), now=NOW)
    with pytest.raises(Forbidden):
        minutes.submit_for_approval(db, meeting.id, actor=cast.in_org_member.actor(), now=NOW)


def test_an_action_item_appears_on_its_owners_todo_list_and_on_its_commitment(db: Session, cast: Cast, moc: list) -> None:
    meeting = held_meeting(db, cast, moc)
    commitment = first_of(moc, "semiconductors")
    item = services.add_action_item(db, title="Circulate the study's terms of reference", due_on=dt.date(2026, 3, 15),
                                    owner_user_id=cast.meti_officer.id, meeting_id=meeting.id,
                                    commitment_id=commitment.id, actor=cast.meity_officer.actor(), now=NOW)
    assert item.owner_side == "JP"
    assert queries.todo(db, cast.meti_officer.actor()) == [item]
    assert queries.todo(db, cast.meity_officer.actor()) == []
    assert queries.actions_for_commitment(db, commitment.id) == [item]


def test_an_organisation_owned_action_is_on_every_members_list(db: Session, cast: Cast, moc: list) -> None:
    item = services.add_action_item(db, title="Nominate two engineers", due_on=dt.date(2026, 3, 15), owner_user_id=None,
                                    owner_org_id=cast.in_org.id, actor=cast.meity_officer.actor(), now=NOW)
    assert queries.todo(db, cast.in_org_member.actor()) == [item]
    services.set_action_status(db, item.id, "done", actor=cast.in_org_member.actor(), now=NOW)
    assert queries.todo(db, cast.in_org_member.actor()) == []


def test_an_action_owner_from_a_deleted_organisation_is_refused(db: Session, cast: Cast, moc: list) -> None:
    gone = cast.outsider_org.id
    member = make_user(db, org_id=gone, name="Left Behind")
    db.execute(Organisation.__table__.delete().where(Organisation.id == gone))
    db.expunge(cast.outsider_org)
    with pytest.raises(ValidationFailed) as caught:
        services.add_action_item(db, title="Report back", due_on=dt.date(2026, 3, 1), owner_user_id=member.id,
                                 actor=cast.meity_officer.actor(), now=NOW)
    assert caught.value.errors == {"owner": "The owner's organisation does not exist or was deleted."}
    with pytest.raises(ValidationFailed):
        services.add_action_item(db, title="Report back", due_on=dt.date(2026, 3, 1), owner_user_id=None,
                                 owner_org_id=gone, actor=cast.meity_officer.actor(), now=NOW)


def test_someone_else_cannot_close_an_action_they_do_not_own(db: Session, cast: Cast, moc: list) -> None:
    item = services.add_action_item(db, title="Share the draft", due_on=dt.date(2026, 3, 1),
                                    owner_user_id=cast.meti_officer.id, actor=cast.meity_officer.actor(), now=NOW)
    with pytest.raises(Forbidden):
        services.set_action_status(db, item.id, "done", actor=cast.outsider.actor(), now=NOW)


def test_reminders_go_to_owners_of_overdue_items_and_do_not_repeat_daily(db: Session, cast: Cast, moc: list) -> None:
    overdue = services.add_action_item(db, title="Overdue thing", due_on=dt.date(2026, 3, 1),
                                       owner_user_id=cast.meti_officer.id, actor=cast.meity_officer.actor(), now=NOW)
    services.add_action_item(db, title="Far future", due_on=dt.date(2026, 9, 1), owner_user_id=cast.meti_officer.id,
                             actor=cast.meity_officer.actor(), now=NOW)
    later = dt.datetime(2026, 3, 5, 1, 0, tzinfo=dt.UTC)
    assert reminders.remind(db, later) == 1
    assert reminders.remind(db, later + dt.timedelta(days=1)) == 0
    assert reminders.remind(db, later + dt.timedelta(days=3)) == 1
    titles = db.scalars(select(Notification.title).where(Notification.user_id == cast.meti_officer.id,
                                                         Notification.kind == "governance.action.reminder"))
    assert list(titles) == ["Overdue action: %(title)s"] * 2
    assert overdue.reminded_on == dt.date(2026, 3, 8)


def test_an_item_due_today_in_india_is_not_yet_overdue_in_the_japanese_morning(db: Session, cast: Cast, moc: list) -> None:
    services.add_action_item(db, title="Due 4 March", due_on=dt.date(2026, 3, 4), owner_user_id=cast.meti_officer.id,
                             actor=cast.meity_officer.actor(), now=NOW)
    five_march_jst_morning = dt.datetime(2026, 3, 4, 16, 0, tzinfo=dt.UTC)  # 01:00 JST on 5 March, 21:30 IST on 4 March
    reminders.remind(db, five_march_jst_morning)
    title = db.scalar(select(Notification.title).where(Notification.kind == "governance.action.reminder"))
    assert title == "Action due soon: %(title)s"


def test_the_calendar_feed_holds_each_consultation_in_utc_with_its_link(db: Session, cast: Cast, moc: list) -> None:
    from icalendar import Calendar

    meeting = services.schedule_meeting(db, video(), attendee_ids=[], actor=cast.meity_officer.actor(), now=START)
    cancelled = services.schedule_meeting(db, video(title="Cancelled one"), attendee_ids=[],
                                          actor=cast.meity_officer.actor(), now=START)
    services.cancel_meeting(db, cancelled.id, actor=cast.meity_officer.actor(), now=START)
    calendar = Calendar.from_ical(feed([meeting, cancelled], base_url="https://k.example", stamp=START))
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert events[meeting.uid].decoded("dtstart") == START
    assert "https://meet.example.org/jwg-7" in str(events[meeting.uid]["location"])
    assert str(events[cancelled.uid]["status"]) == "CANCELLED" and int(events[cancelled.uid]["sequence"]) == 1
