"""The matchmaking pages over HTTP: the whole event journey, forms with field errors, permissions."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.matchmaking import events, phases, planning
from kakehashi.matchmaking.models import Event, Meeting, MeetingRequest
from tests.factories.matchmaking import agree, make_event, register
from tests.fixtures.actors import Cast
from tests.fixtures.web import WebClient


def test_an_organiser_creates_an_event_with_a_session_through_the_pages(login: object, cast: Cast, db: Session) -> None:
    browser: WebClient = login(cast.meti_officer)  # type: ignore[operator]
    assert browser.get("/matchmaking/events/new").status_code == 200
    made = browser.post_form("/matchmaking/events/new", {
        "title": "Tokyo–Bengaluru Partnering Days", "description": "", "format": "hybrid", "venue": "Tokyo / Bengaluru",
        "timezone": "Asia/Tokyo", "starts_at": "2031-03-10T08:00", "ends_at": "2031-03-11T18:00", "slot_minutes": "30",
        "max_meetings": "6", "request_hours": "48", "video_base_url": ""})
    assert made.status_code == 303
    event_id = int(re.search(r"/matchmaking/events/(\d+)", made.headers["location"]).group(1))  # type: ignore[union-attr]
    added = browser.post_form(f"/matchmaking/events/{event_id}/sessions", {
        "name": "Day 1", "kind": "meetings", "starts_at": "2031-03-10T10:00", "ends_at": "2031-03-10T12:00",
        "tables": "10", "room": "Hall B"})
    assert added.status_code == 303
    assert len(events.slots_of(db, event_id)) == 4
    page = browser.get(f"/matchmaking/events/{event_id}")
    assert page.status_code == 200
    assert re.search(r"10:00\sAM JST / .*6:30\sAM IST", page.text)  # JST and IST side by side


def test_a_bad_event_form_keeps_the_input_and_names_the_fields(login: object, cast: Cast) -> None:
    browser: WebClient = login(cast.meti_officer)  # type: ignore[operator]
    page = browser.post_form("/matchmaking/events/new", {
        "title": "Kept title", "description": "", "format": "hybrid", "venue": "", "timezone": "Asia/Tokyo",
        "starts_at": "2031-03-10T08:00", "ends_at": "yesterday", "slot_minutes": "thirty", "max_meetings": "6",
        "request_hours": "48", "video_base_url": ""})
    assert page.status_code == 422
    assert 'value="Kept title"' in page.text and page.text.count('aria-invalid="true"') >= 2


def test_an_org_member_cannot_open_the_organiser_pages(login: object, cast: Cast, db: Session) -> None:
    event = make_event(db, cast.meti_officer)
    browser: WebClient = login(cast.in_org_member)  # type: ignore[operator]
    for path in ("/matchmaking/events/new", f"/matchmaking/events/{event.id}/schedule",
                 f"/matchmaking/events/{event.id}/dashboard", f"/matchmaking/events/{event.id}/instance.json"):
        assert browser.get(path).status_code == 403, path


def test_participants_register_request_accept_and_see_the_published_meeting(
    client: WebClient, login: object, cast: Cast, db: Session,
) -> None:
    event = make_event(db, cast.meti_officer)
    jp = login(cast.jp_org_admin)  # type: ignore[operator]
    assert jp.get(f"/matchmaking/events/{event.id}/register").status_code == 200
    assert jp.post_form(f"/matchmaking/events/{event.id}/register", {"max_meetings": "4", "pitch": "Sensors"}).status_code == 303
    register(db, event, cast.in_org_member, pitch="Edge analytics software")
    page = jp.get(f"/matchmaking/events/{event.id}/participants?q=analytics")
    assert page.status_code == 200 and "Silicon Member" in page.text
    target = db.scalar(select(MeetingRequest.id))
    assert target is None
    theirs = next(r for r in planning.active_registrations(db, event.id) if r.user_id == cast.in_org_member.id)
    sent = jp.post_form(f"/matchmaking/events/{event.id}/requests", {"recipient_id": str(theirs.id),
                                                                    "message": "Let us talk", "opportunity_id": ""})
    assert sent.status_code == 303
    request_id = db.scalar(select(MeetingRequest.id))
    india = login(cast.in_org_member)  # type: ignore[operator]
    inbox = india.get(f"/matchmaking/events/{event.id}/requests")
    assert inbox.status_code == 200 and "Let us talk" in inbox.text
    assert india.post_form(f"/matchmaking/requests/{request_id}/accept-keen").status_code == 303
    officer = login(cast.meti_officer)  # type: ignore[operator]
    assert officer.post_form(f"/matchmaking/events/{event.id}/phase", {"to": "requests_closed"}).status_code == 303
    assert officer.post_form(f"/matchmaking/events/{event.id}/schedule/solve", {"time_limit": "2"}).status_code == 303
    schedule = officer.get(f"/matchmaking/events/{event.id}/schedule")
    assert schedule.status_code == 200 and "100.0 %" in schedule.text
    assert officer.post_form(f"/matchmaking/events/{event.id}/phase", {"to": "final"}).status_code == 303
    assert officer.get(f"/matchmaking/events/{event.id}/dashboard").status_code == 200
    for chart in ("requests", "slots", "feedback"):
        svg = officer.get(f"/matchmaking/events/{event.id}/charts/{chart}.svg")
        assert svg.status_code == 200 and svg.text.lstrip().startswith("<?xml")
    agenda = login(cast.in_org_member).get("/matchmaking/agenda")  # type: ignore[operator]
    assert agenda.status_code == 200 and "Sakura Admin" in agenda.text


def test_an_imported_schedule_that_breaks_a_rule_is_refused_on_the_page(login: object, cast: Cast, db: Session) -> None:
    event = make_event(db, cast.meti_officer)
    phases.advance_phase(db, event.id, actor=cast.meti_officer.actor(), to="requests_closed")
    browser: WebClient = login(cast.meti_officer)  # type: ignore[operator]
    db.commit()  # the refused import rolls the request's work back; keep the set-up
    page = browser.post(f"/matchmaking/events/{event.id}/schedule/import",
                        data={"csrf_token": browser.csrf()},
                        files={"file": ("s.json", b'{"meetings": [{"a": "p1", "b": "p2", "slot": "s1", "table": 1}]}',
                                        "application/json")})
    assert page.status_code == 422 and "no such request" in page.text
    assert db.scalars(select(Meeting)).all() == []
    not_json = browser.post(f"/matchmaking/events/{event.id}/schedule/import", data={"csrf_token": browser.csrf()},
                            files={"file": ("s.json", b"{oops", "application/json")})
    assert not_json.status_code == 422


def test_every_hub_page_renders(login: object, cast: Cast, db: Session) -> None:
    make_event(db, cast.meti_officer)
    browser: WebClient = login(cast.jp_org_admin)  # type: ignore[operator]
    for path in ("/matchmaking", "/matchmaking/events", "/matchmaking/events?past=true", "/matchmaking/agenda",
                 "/matchmaking/opportunities", "/matchmaking/opportunities/new", "/matchmaking/startups",
                 "/matchmaking/funds", "/matchmaking/funds?corridor=true", "/matchmaking/missions",
                 f"/matchmaking/profiles/{cast.jp_org.id}", f"/matchmaking/meet/{cast.in_org.id}"):
        assert browser.get(path).status_code == 200, path
    assert db.scalar(select(Event.id)) is not None


def test_a_draft_event_is_hidden_from_participants_until_it_opens(login: object, cast: Cast, db: Session) -> None:
    event = make_event(db, cast.meti_officer, opened=False)
    member: WebClient = login(cast.in_org_member)  # type: ignore[operator]
    assert member.get(f"/matchmaking/events/{event.id}").status_code == 404
    assert event.title not in member.get("/matchmaking/events").text
    officer: WebClient = login(cast.meti_officer)  # type: ignore[operator]
    assert officer.get(f"/matchmaking/events/{event.id}").status_code == 200


def test_a_bad_break_names_the_break_fields_not_the_session_ones(login: object, cast: Cast, db: Session) -> None:
    event = make_event(db, cast.meti_officer)
    browser: WebClient = login(cast.meti_officer)  # type: ignore[operator]
    db.commit()  # the refused form rolls back the request's work; keep the set-up
    page = browser.post_form(f"/matchmaking/events/{event.id}/breaks", {
        "label": "Lunch", "break_starts_at": "2031-03-10T13:00", "break_ends_at": "2031-03-10T12:00"})
    assert page.status_code == 422
    assert 'id="e-break_ends_at"' in page.text and 'id="e-ends_at"' not in page.text


def test_leaving_an_event_cancels_the_meetings_ahead(login: object, cast: Cast, db: Session) -> None:
    event = make_event(db, cast.meti_officer)
    register(db, event, cast.jp_org_admin)
    register(db, event, cast.in_org_member)
    agree(db, event, cast.jp_org_admin, cast.in_org_member)
    officer = cast.meti_officer.actor()
    phases.advance_phase(db, event.id, actor=officer, to="requests_closed")
    planning.solve_event(db, event.id, actor=officer, time_limit=2)
    browser: WebClient = login(cast.jp_org_admin)  # type: ignore[operator]
    assert browser.post_form(f"/matchmaking/events/{event.id}/unregister").status_code == 303
    assert planning.scheduled_meetings(db, event.id) == []
    assert planning.active_registrations(db, event.id)[0].user_id == cast.in_org_member.id
