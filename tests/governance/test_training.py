"""Training, workshops and seminars: capacity, the waiting list in order, attendance, verifiable certificates."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.governance.errors import Full, GovernanceError
from kakehashi.governance.training import queries, services
from kakehashi.kernel.errors import Conflict, Forbidden, ValidationFailed
from kakehashi.kernel.notifications import Notification
from tests.factories.identity import make_user
from tests.fixtures.actors import Cast

STARTS = dt.datetime(2026, 4, 6, 3, 30, tzinfo=dt.UTC)
BEFORE = STARTS - dt.timedelta(days=10)


def course(db: Session, cast: Cast, capacity: int = 2, **changes: object):
    values: dict = {"topic": "cybersecurity", "kind": "workshop", "title": "Incident response for CERT teams",
                    "title_ja": "CERTチームのためのインシデント対応", "mode": "physical", "venue": "JPCERT/CC, Tokyo",
                    "starts_at": STARTS, "ends_at": STARTS + dt.timedelta(hours=6), "capacity": capacity}
    values.update(changes)
    return services.create_course(db, services.CourseFields(**values), actor=cast.meti_officer.actor(), now=BEFORE)


def people(db: Session, n: int) -> list:
    return [make_user(db, name=f"Trainee {i}") for i in range(n)]


@pytest.mark.parametrize(("change", "field"), [
    ({"capacity": 0}, "capacity"), ({"topic": "cooking"}, "topic"), ({"mode": "video", "video_url": "ftp://x"}, "video_url"),
    ({"ends_at": STARTS}, "ends_at"), ({"venue": ""}, "venue"),
])
def test_it_refuses_a_course_that_cannot_run(db: Session, cast: Cast, change: dict, field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        course(db, cast, **change)
    assert field in caught.value.errors


def test_only_organisers_add_courses(db: Session, cast: Cast) -> None:
    with pytest.raises(Forbidden):
        services.create_course(db, services.CourseFields("ai", "seminar", "AI safety", "video", STARTS,
                                                         STARTS + dt.timedelta(hours=1), 10, video_url="https://x.example"),
                               actor=cast.in_org_member.actor(), now=BEFORE)


def test_seats_go_first_and_then_a_waiting_list_in_order(db: Session, cast: Cast) -> None:
    offered = course(db, cast, capacity=2)
    trainees = people(db, 4)
    rows = [services.register(db, offered.id, actor=t.actor(), now=BEFORE + dt.timedelta(minutes=i))
            for i, t in enumerate(trainees)]
    assert [r.status for r in rows] == ["registered", "registered", "waitlisted", "waitlisted"]
    assert [queries.queue_position(db, r) for r in rows] == [None, None, 1, 2]


def test_registering_twice_is_refused(db: Session, cast: Cast) -> None:
    offered = course(db, cast)
    services.register(db, offered.id, actor=cast.in_org_member.actor(), now=BEFORE)
    with pytest.raises(Conflict):
        services.register(db, offered.id, actor=cast.in_org_member.actor(), now=BEFORE)


def test_a_cancellation_gives_the_seat_to_the_first_person_waiting_and_tells_them(db: Session, cast: Cast) -> None:
    offered = course(db, cast, capacity=1)
    first, second, third = people(db, 3)
    for i, person in enumerate((first, second, third)):
        services.register(db, offered.id, actor=person.actor(), now=BEFORE + dt.timedelta(minutes=i))
    services.cancel_registration(db, offered.id, actor=first.actor(), now=BEFORE + dt.timedelta(hours=1))
    assert queries.registration_of(db, offered.id, second.id).status == "registered"
    assert queries.queue_position(db, queries.registration_of(db, offered.id, third.id)) == 1
    note = db.scalar(select(Notification).where(Notification.user_id == second.id))
    assert note.kind == "governance.training.seat"


def test_a_larger_room_seats_the_waiting_and_a_smaller_one_cannot_evict(db: Session, cast: Cast) -> None:
    offered = course(db, cast, capacity=1)
    first, second = people(db, 2)
    services.register(db, offered.id, actor=first.actor(), now=BEFORE)
    services.register(db, offered.id, actor=second.actor(), now=BEFORE + dt.timedelta(minutes=1))
    services.set_capacity(db, offered.id, 2, actor=cast.meti_officer.actor())
    assert queries.registration_of(db, offered.id, second.id).status == "registered"
    with pytest.raises(Full):
        services.set_capacity(db, offered.id, 1, actor=cast.meti_officer.actor())


def test_registration_closes_when_the_course_begins(db: Session, cast: Cast) -> None:
    offered = course(db, cast)
    with pytest.raises(GovernanceError):
        services.register(db, offered.id, actor=cast.in_org_member.actor(), now=STARTS)


def test_certificates_go_to_those_who_attended_and_anyone_can_verify_the_code(db: Session, cast: Cast) -> None:
    offered = course(db, cast, capacity=3)
    came, missed = people(db, 2)
    services.register(db, offered.id, actor=came.actor(), now=BEFORE)
    services.register(db, offered.id, actor=missed.actor(), now=BEFORE)
    with pytest.raises(GovernanceError):
        services.record_attendance(db, offered.id, {came.id}, actor=cast.meti_officer.actor(), now=BEFORE)
    assert services.record_attendance(db, offered.id, {came.id}, actor=cast.meti_officer.actor(), now=STARTS) == 1
    issued = services.issue_certificates(db, offered.id, actor=cast.meti_officer.actor(), now=STARTS)
    assert [c.holder_name for c in issued] == [came.name]
    assert services.issue_certificates(db, offered.id, actor=cast.meti_officer.actor(), now=STARTS) == []
    code = issued[0].code
    assert services.verify_certificate(db, f" {code.lower()} ") == issued[0]
    assert services.verify_certificate(db, "KKH-AAAA-BBBB-CCCC") is None


def test_certificate_codes_are_distinct_and_avoid_ambiguous_letters() -> None:
    codes = {services.new_code() for _ in range(500)}
    assert len(codes) == 500
    assert not any(ch in code[4:] for code in codes for ch in "O0I1")
