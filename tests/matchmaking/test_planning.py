"""Scheduling an event in the product: export, solve, store atomically, re-solve late changes, import."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.kernel.authz import Role
from kakehashi.kernel.errors import Forbidden
from kakehashi.matchmaking import events, meetings, participation, phases, planning
from kakehashi.matchmaking.errors import ScheduleRejected, ScheduleStale, WrongPhase
from kakehashi.matchmaking.models import Meeting, ScheduleRun
from kakehashi.matchmaking.scheduling import parse_instance, validate
from tests.factories.identity import make_user
from tests.factories.matchmaking import agree, make_event, register
from tests.factories.registry import make_org
from tests.fixtures.actors import Cast


def populated(db: Session, cast: Cast, *, people: int = 3, tables: int = 4, slots: int = 4) -> tuple:
    """An event with `people` Japanese and `people` Indian participants who all agreed to meet across."""
    event = make_event(db, cast.meti_officer, tables=tables, slots=slots)
    jp = [make_user(db, role=Role.ORG_MEMBER, org_id=make_org(db, country="JP").id) for _ in range(people)]
    india = [make_user(db, role=Role.ORG_MEMBER, org_id=make_org(db, country="IN").id) for _ in range(people)]
    for user in (*jp, *india):
        register(db, event, user)
    for a in jp:
        for b in india:
            agree(db, event, a, b, keen=(a.id + b.id) % 2 == 0)
    phases.advance_phase(db, event.id, actor=cast.meti_officer.actor(), to="requests_closed")
    return event, jp, india


def test_the_export_is_a_valid_scheduler_instance(db: Session, cast: Cast) -> None:
    event, _jp, _in = populated(db, cast, people=2)
    instance = planning.export_instance(db, event)
    validate(parse_instance(instance))
    assert len(instance["requests"]) == 4 and instance["slots"][0]["start"].endswith("+09:00")


def test_solving_stores_every_meeting_with_its_value_and_bound(db: Session, cast: Cast) -> None:
    event, _jp, _in = populated(db, cast)
    run = planning.solve_event(db, event.id, actor=cast.meti_officer.actor(), time_limit=5)
    stored = db.scalars(select(Meeting).where(Meeting.event_id == event.id)).all()
    assert run.meetings == len(stored) == 9  # 3×3 pairs fit in 4 slots with 4 tables
    assert run.upper_bound is not None and run.objective <= run.upper_bound + 1e-9 and run.ratio == 1.0
    assert event.phase == "provisional"
    per_slot: dict[int, int] = {}
    for meeting in stored:
        per_slot[meeting.slot_id] = per_slot.get(meeting.slot_id, 0) + 1
    assert max(per_slot.values()) <= 4


def test_only_the_organiser_schedules_and_only_after_requests_close(db: Session, cast: Cast) -> None:
    event = make_event(db, cast.meti_officer)
    with pytest.raises(WrongPhase):
        planning.solve_event(db, event.id, actor=cast.meti_officer.actor())
    with pytest.raises(Forbidden):
        planning.solve_event(db, event.id, actor=cast.in_org_member.actor())


def test_a_cancellation_is_re_solved_without_moving_the_other_meetings(db: Session, cast: Cast) -> None:
    event, _jp, _in = populated(db, cast, tables=2)
    officer = cast.meti_officer.actor()
    planning.solve_event(db, event.id, actor=officer, time_limit=5)
    phases.advance_phase(db, event.id, actor=officer, to="final")
    before = {m.request_id: (m.slot_id, m.table_no) for m in planning.scheduled_meetings(db, event.id)}
    victim = planning.scheduled_meetings(db, event.id)[0]
    meetings.cancel_meeting(db, victim.id, actor=officer, reason="flight delayed")
    run = planning.solve_event(db, event.id, actor=officer, time_limit=5)
    after = {m.request_id: (m.slot_id, m.table_no) for m in planning.scheduled_meetings(db, event.id)}
    assert victim.request_id not in after
    assert all(after[k] == v for k, v in before.items() if k != victim.request_id)  # nobody else moved
    assert len(after) == len(before)  # the freed slot took the request that did not fit before
    assert run.moved == 0 and event.phase == "final"


def test_a_shrunk_availability_moves_only_the_meetings_it_touches(db: Session, cast: Cast) -> None:
    event, jp, _in = populated(db, cast, tables=4, slots=5)
    officer = cast.meti_officer.actor()
    planning.solve_event(db, event.id, actor=officer, time_limit=5)
    reg = participation.registration_of(db, event.id, jp[0].id)
    assert reg is not None
    busy = [m for m in planning.scheduled_meetings(db, event.id) if reg.id in (m.a_id, m.b_id)]
    lost = busy[0].slot_id
    participation.update_registration(db, reg.id, actor=jp[0].actor(), attendance=None, max_meetings=None,
                                      unavailable_slot_ids=[lost], pitch="")
    before = {m.request_id: m.slot_id for m in planning.scheduled_meetings(db, event.id)}
    run = planning.solve_event(db, event.id, actor=officer, time_limit=5)
    after = {m.request_id: m.slot_id for m in planning.scheduled_meetings(db, event.id)}
    assert all(slot != lost for rid, slot in after.items() if rid in {m.request_id for m in busy})
    assert run.meetings == 9
    assert sum(1 for rid in before if after.get(rid) != before[rid]) <= 2


def test_an_imported_schedule_is_checked_and_a_bad_one_writes_nothing(db: Session, cast: Cast) -> None:
    event, _jp, _in = populated(db, cast, people=2)
    officer = cast.meti_officer.actor()
    instance = planning.export_instance(db, event)
    slot = instance["slots"][0]["id"]
    clash = {"meetings": [{"a": r["a"], "b": r["b"], "slot": slot, "table": i + 1}
                          for i, r in enumerate(instance["requests"])]}
    with pytest.raises(ScheduleRejected):
        planning.import_schedule(db, event.id, clash, actor=officer)  # one person twice in one slot
    assert db.scalars(select(Meeting).where(Meeting.event_id == event.id)).all() == []
    with pytest.raises(ScheduleRejected):
        planning.import_schedule(db, event.id, {"meetings": [{"a": 1}]}, actor=officer)
    good = {"meetings": [{"a": r["a"], "b": r["b"], "slot": instance["slots"][i]["id"], "table": 1}
                         for i, r in enumerate(instance["requests"])]}
    run = planning.import_schedule(db, event.id, good, actor=officer)
    assert (run.source, run.meetings, run.upper_bound) == ("import", 4, None)
    assert planning.export_schedule(db, event)["meetings"] == sorted(
        good["meetings"], key=lambda m: instance["slots"].index(next(s for s in instance["slots"] if s["id"] == m["slot"])))


def test_a_schedule_written_against_a_stale_version_is_refused_whole(db: Session, cast: Cast) -> None:
    event, _jp, _in = populated(db, cast, people=2)
    officer = cast.meti_officer.actor()
    result = {"meetings": [], "objective": 0.0}
    planning.apply_schedule(db, event, result, actor=officer, source="solve", expected_version=0)
    with pytest.raises(ScheduleStale):
        planning.apply_schedule(db, event, result, actor=officer, source="solve", expected_version=0)
    assert len(db.scalars(select(ScheduleRun).where(ScheduleRun.event_id == event.id)).all()) == 1


def test_virtual_meetings_get_a_video_room_that_survives_a_move(db: Session, cast: Cast) -> None:
    event = make_event(db, cast.meti_officer, fmt="virtual")
    register(db, event, cast.jp_org_admin)
    register(db, event, cast.in_org_member)
    agree(db, event, cast.jp_org_admin, cast.in_org_member)
    officer = cast.meti_officer.actor()
    phases.advance_phase(db, event.id, actor=officer, to="requests_closed")
    planning.solve_event(db, event.id, actor=officer, time_limit=2)
    meeting = planning.scheduled_meetings(db, event.id)[0]
    assert meeting.video_url.startswith("https://")
    link = meeting.video_url
    other_slot = next(s for s in events.slots_of(db, event.id) if s.id != meeting.slot_id)
    planning.apply_schedule(db, event, {"meetings": [{"a": f"p{meeting.a_id}", "b": f"p{meeting.b_id}",
                                                      "slot": f"s{other_slot.id}", "table": 1}], "objective": 1},
                            actor=officer, source="import", expected_version=event.schedule_version)
    assert planning.scheduled_meetings(db, event.id)[0].video_url == link
