"""Agendas: what each participant sees, at their local time, in the page, the PDF and the iCalendar feed."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.kernel.clock import IST, JST
from kakehashi.kernel.errors import Forbidden
from kakehashi.kernel.notifications import Notification
from kakehashi.matchmaking import agendas, dashboard, meetings, phases, planning, reminders
from kakehashi.matchmaking.errors import WrongPhase
from kakehashi.matchmaking.models import Slot
from tests.factories.matchmaking import agree, make_event, register
from tests.fixtures.actors import Cast
from tests.fixtures.web import WebClient

KEY = "test-secret-key-0123456789"


def scheduled(db: Session, cast: Cast, *, final: bool = True, **kwargs: object):  # type: ignore[no-untyped-def]
    event = make_event(db, cast.meti_officer, **kwargs)  # type: ignore[arg-type]
    register(db, event, cast.jp_org_admin)
    register(db, event, cast.in_org_member)
    agree(db, event, cast.jp_org_admin, cast.in_org_member, keen=True)
    officer = cast.meti_officer.actor()
    phases.advance_phase(db, event.id, actor=officer, to="requests_closed")
    planning.solve_event(db, event.id, actor=officer, time_limit=2)
    if final:
        phases.advance_phase(db, event.id, actor=officer, to="final")
    meeting = planning.scheduled_meetings(db, event.id)[0]
    return event, meeting, db.get(Slot, meeting.slot_id)


def test_both_participants_see_the_meeting_and_each_other(db: Session, cast: Cast) -> None:
    event, meeting, slot = scheduled(db, cast)
    mine = agendas.agenda_for(db, cast.jp_org_admin.id)
    theirs = agendas.agenda_for(db, cast.in_org_member.id)
    assert [i.meeting_id for i in mine] == [i.meeting_id for i in theirs] == [meeting.id]
    assert mine[0].counterpart_name == "Silicon Member" and theirs[0].counterpart_org.name_en == "Sakura Devices KK"
    assert mine[0].starts_at == slot.starts_at and mine[0].final


def test_an_unpublished_schedule_is_not_in_anyones_agenda(db: Session, cast: Cast) -> None:
    event = make_event(db, cast.meti_officer)
    register(db, event, cast.jp_org_admin)
    assert agendas.agenda_for(db, cast.jp_org_admin.id) == []


def test_the_calendar_feed_shows_each_person_their_own_local_time(db: Session, cast: Cast) -> None:
    _event, meeting, slot = scheduled(db, cast)
    for user, zone in ((cast.jp_org_admin, JST), (cast.in_org_member, IST)):
        calendar = Calendar.from_ical(agendas.calendar_feed(db, user.id, base_url="https://k.example"))
        (vevent,) = calendar.walk("VEVENT")
        start = vevent.decoded("dtstart")
        assert start == slot.starts_at and start.utcoffset() == slot.starts_at.astimezone(zone).utcoffset()
        assert vevent["status"] == "CONFIRMED" and vevent["uid"] == f"meeting-{meeting.id}@kakehashi"
        assert calendar.walk("VTIMEZONE")[0]["tzid"] == zone.key


def test_a_provisional_meeting_is_tentative_in_the_feed(db: Session, cast: Cast) -> None:
    scheduled(db, cast, final=False)
    calendar = Calendar.from_ical(agendas.calendar_feed(db, cast.jp_org_admin.id, base_url="https://k.example"))
    assert calendar.walk("VEVENT")[0]["status"] == "TENTATIVE"


def test_the_feed_url_works_without_a_session_and_stops_after_rotation(client: WebClient, db: Session,
                                                                       cast: Cast) -> None:
    scheduled(db, cast)
    path = agendas.feed_path(db, cast.in_org_member.id, key=KEY)
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content
    assert client.get(path.replace(".ics", "0.ics")).status_code == 404
    agendas.rotate_feed(db, cast.in_org_member.id)
    assert client.get(path).status_code == 404
    assert agendas.feed_owner(db, path.rsplit("/", 1)[1][:-4], key="another key") is None


def test_the_agenda_page_shows_the_viewers_zone_and_both_zones(login: object, db: Session, cast: Cast) -> None:
    _event, _meeting, slot = scheduled(db, cast)
    browser: WebClient = login(cast.in_org_member)  # type: ignore[operator]
    page = browser.get("/matchmaking/agenda?tz=Asia/Kolkata")
    local = slot.starts_at.astimezone(IST)
    assert page.status_code == 200 and "Sakura Admin" in page.text
    assert re.search(rf"{local.hour % 12 or 12}:{local.minute:02d}\sAM IST", page.text)
    assert "/matchmaking/calendar/" in page.text


def test_the_agenda_pdf_carries_japanese_and_hindi_names(login: object, db: Session, cast: Cast) -> None:
    scheduled(db, cast)
    cast.jp_org.name_hi = "साकुरा डिवाइसेज़"
    db.flush()
    browser: WebClient = login(cast.in_org_member)  # type: ignore[operator]
    response = browser.get("/matchmaking/agenda.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    fonts = {str(f["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert "さくらデバイス株式会社" in text and "IST" in text
    assert any("IPA" in f or "CJK" in f for f in fonts) and any("Lohit" in f for f in fonts)


def test_check_in_is_for_the_meeting_window_and_no_shows_are_counted(db: Session, cast: Cast) -> None:
    event, meeting, slot = scheduled(db, cast)
    with pytest.raises(WrongPhase):
        meetings.check_in(db, meeting.id, actor=cast.jp_org_admin.actor(), now=slot.starts_at - dt.timedelta(hours=1))
    meetings.check_in(db, meeting.id, actor=cast.jp_org_admin.actor(), now=slot.starts_at)
    with pytest.raises(Forbidden):
        meetings.check_in(db, meeting.id, actor=cast.outsider.actor(), now=slot.starts_at)
    stats = dashboard.event_stats(db, event, now=slot.ends_at + dt.timedelta(minutes=1))
    assert (stats.past_meetings, stats.held, stats.no_shows) == (1, 0, 1)
    meetings.check_in(db, meeting.id, actor=cast.meti_officer.actor(), registration_id=meeting.b_id)
    stats = dashboard.event_stats(db, event, now=slot.ends_at + dt.timedelta(minutes=1))
    assert (stats.held, stats.no_shows) == (1, 0)


def test_feedback_opens_when_the_meeting_starts_and_feeds_the_dashboard(db: Session, cast: Cast) -> None:
    event, meeting, slot = scheduled(db, cast)
    with pytest.raises(WrongPhase):
        meetings.give_feedback(db, meeting.id, actor=cast.jp_org_admin.actor(), took_place=True, cooperation="yes",
                               now=slot.starts_at - dt.timedelta(minutes=1))
    meetings.give_feedback(db, meeting.id, actor=cast.jp_org_admin.actor(), took_place=True, cooperation="yes",
                           now=slot.starts_at)
    meetings.give_feedback(db, meeting.id, actor=cast.jp_org_admin.actor(), took_place=True, cooperation="maybe",
                           now=slot.starts_at)  # one answer per person, editable
    stats = dashboard.event_stats(db, event)
    assert (stats.feedback, stats.took_place, stats.cooperation["maybe"]) == (1, 1, 1)
    assert stats.acceptance_rate == 1.0 and stats.bound_share == 1.0 and stats.scheduled_share == 1.0


def test_reminders_go_out_once_shortly_before_each_final_meeting(db: Session, cast: Cast) -> None:
    _event, _meeting, slot = scheduled(db, cast)
    assert reminders.send_reminders(db, slot.starts_at - dt.timedelta(hours=2)) == 0
    soon = slot.starts_at - dt.timedelta(minutes=20)
    assert reminders.send_reminders(db, soon) == 2
    assert reminders.send_reminders(db, soon + dt.timedelta(minutes=5)) == 0
    kinds = db.scalars(select(Notification.kind).where(Notification.kind == "matchmaking.meeting.reminder")).all()
    assert len(kinds) == 2


def test_cancelling_tells_the_other_side_and_only_they_or_the_organiser_may(db: Session, cast: Cast) -> None:
    _event, meeting, _slot = scheduled(db, cast)
    with pytest.raises(Forbidden):
        meetings.cancel_meeting(db, meeting.id, actor=cast.outsider.actor())
    meetings.cancel_meeting(db, meeting.id, actor=cast.jp_org_admin.actor(), reason="ill")
    assert agendas.agenda_for(db, cast.in_org_member.id) == []
    told = db.scalars(select(Notification).where(Notification.user_id == cast.in_org_member.id,
                                                 Notification.kind == "matchmaking.meeting.cancelled")).all()
    assert len(told) == 1 and told[0].params["reason"] == "ill"
