"""Setting up an event: who may organise, what the fields must be, how sessions and breaks become slots."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from kakehashi.kernel.clock import IST, JST
from kakehashi.kernel.errors import Conflict, Forbidden, ValidationFailed
from kakehashi.matchmaking import events, phases
from kakehashi.matchmaking.errors import WrongPhase
from kakehashi.matchmaking.slots import plan_slots
from tests.factories.matchmaking import DAY, agree, make_event, register
from tests.fixtures.actors import Cast


def spec(**changes: object) -> events.EventSpec:
    values: dict[str, object] = dict(title="Partnering", format="hybrid", timezone="Asia/Kolkata",
                                     starts_at=DAY.replace(hour=9), ends_at=DAY.replace(hour=18))
    values.update(changes)
    return events.EventSpec(**values)  # type: ignore[arg-type]


def test_an_org_admin_organises_an_event_for_their_own_organisation(db: Session, cast: Cast) -> None:
    event = events.create_event(db, spec(), actor=cast.jp_org_admin.actor())
    assert event.organiser_org_id == cast.jp_org.id and event.phase == "draft"


def test_an_org_member_may_not_organise(db: Session, cast: Cast) -> None:
    with pytest.raises(Forbidden):
        events.create_event(db, spec(), actor=cast.in_org_member.actor())


def test_an_org_admin_may_not_edit_another_organisations_event(db: Session, cast: Cast) -> None:
    event = events.create_event(db, spec(), actor=cast.meity_officer.actor(), organiser_org_id=cast.in_org.id)
    with pytest.raises(Forbidden):
        events.update_event(db, event.id, spec(title="Mine now"), actor=cast.jp_org_admin.actor())


def test_it_names_every_bad_field(db: Session, cast: Cast) -> None:
    bad = spec(title="", format="holographic", timezone="Europe/Paris", ends_at=DAY.replace(hour=8),
               slot_minutes=2, max_meetings=0, video_base_url="ftp://x")
    with pytest.raises(ValidationFailed) as caught:
        events.create_event(db, bad, actor=cast.meti_officer.actor())
    assert set(caught.value.errors) == {"title", "format", "timezone", "ends_at", "slot_minutes", "max_meetings",
                                        "video_base_url"}


def test_a_session_becomes_slots_that_skip_the_break(db: Session, cast: Cast) -> None:
    officer = cast.meti_officer.actor()
    event = events.create_event(db, spec(slot_minutes=30), actor=officer)
    events.add_break(db, event.id, actor=officer, label="Lunch", starts_at=DAY.replace(hour=12),
                     ends_at=DAY.replace(hour=13))
    events.add_session(db, event.id, actor=officer, name="Day 1", starts_at=DAY.replace(hour=11),
                       ends_at=DAY.replace(hour=14), tables=5)
    starts = [s.starts_at.astimezone(JST).strftime("%H:%M") for s in events.slots_of(db, event.id)]
    assert starts == ["11:00", "11:30", "13:00", "13:30"]
    assert {s.tables for s in events.slots_of(db, event.id)} == {5}


def test_a_session_outside_the_event_or_without_tables_is_refused(db: Session, cast: Cast) -> None:
    officer = cast.meti_officer.actor()
    event = events.create_event(db, spec(), actor=officer)
    with pytest.raises(ValidationFailed) as caught:
        events.add_session(db, event.id, actor=officer, name="Night", starts_at=DAY.replace(hour=19),
                           ends_at=DAY.replace(hour=21), tables=None)
    assert set(caught.value.errors) == {"starts_at", "tables"}


def test_a_virtual_event_has_video_rooms_instead_of_tables(db: Session, cast: Cast) -> None:
    officer = cast.meti_officer.actor()
    event = events.create_event(db, spec(format="virtual"), actor=officer)
    events.add_session(db, event.id, actor=officer, name="Online", starts_at=DAY.replace(hour=10),
                       ends_at=DAY.replace(hour=11), tables=12)
    assert [s.tables for s in events.slots_of(db, event.id)] == [None, None]


def test_a_multi_day_event_keeps_each_days_slots(db: Session, cast: Cast) -> None:
    officer = cast.meti_officer.actor()
    event = events.create_event(db, spec(ends_at=DAY.replace(hour=18) + dt.timedelta(days=1)), actor=officer)
    for day in (0, 1):
        start = DAY.replace(hour=10) + dt.timedelta(days=day)
        events.add_session(db, event.id, actor=officer, name=f"Day {day + 1}", starts_at=start,
                           ends_at=start + dt.timedelta(hours=1), tables=2)
    assert len({s.starts_at.astimezone(IST).date() for s in events.slots_of(db, event.id)}) == 2


def test_overlapping_sessions_never_yield_the_same_moment_twice() -> None:
    start = DAY.replace(hour=9)
    planned = plan_slots([(1, start, start + dt.timedelta(hours=1), 3), (2, start, start + dt.timedelta(hours=2), 3)],
                         [], 30)
    assert [p.starts_at for p in planned] == [start + dt.timedelta(minutes=30 * k) for k in range(4)]


def test_opening_needs_slots_and_phases_only_move_along_the_chain(db: Session, cast: Cast) -> None:
    officer = cast.meti_officer.actor()
    event = events.create_event(db, spec(), actor=officer)
    with pytest.raises(WrongPhase):
        phases.advance_phase(db, event.id, actor=officer, to="open")
    with pytest.raises(WrongPhase):
        phases.advance_phase(db, event.id, actor=officer, to="final")


def test_slots_cannot_change_once_meetings_are_scheduled(db: Session, cast: Cast) -> None:
    from kakehashi.matchmaking import planning

    event = make_event(db, cast.meti_officer)
    register(db, event, cast.jp_org_admin)
    register(db, event, cast.in_org_member)
    agree(db, event, cast.jp_org_admin, cast.in_org_member)
    officer = cast.meti_officer.actor()
    phases.advance_phase(db, event.id, actor=officer, to="requests_closed")
    planning.solve_event(db, event.id, actor=officer, time_limit=2)
    with pytest.raises(Conflict):
        events.add_break(db, event.id, actor=officer, label="Coffee", starts_at=DAY.replace(hour=9),
                         ends_at=DAY.replace(hour=9, minute=30))
