"""Read functions of training: the catalogue, a course's roll, a person's places and certificates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kakehashi.governance.training.models import Certificate, Course, Registration, RegistrationStatus
from kakehashi.kernel.pagination import Page, clamp


def catalogue(session: Session, *, topic: str | None = None, public_only: bool = False, upcoming_from: dt.datetime | None = None,
              page: int = 1, size: int = 20) -> Page[Course]:
    """Courses, soonest first (only those still to come when `upcoming_from` is given)."""
    page, size, offset = clamp(page, size)
    query = select(Course)
    if topic:
        query = query.where(Course.topic == topic)
    if public_only:
        query = query.where(Course.is_public.is_(True))
    if upcoming_from is not None:
        query = query.where(Course.ends_at >= upcoming_from)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    order = Course.starts_at if upcoming_from is not None else Course.starts_at.desc()
    return Page(list(session.scalars(query.order_by(order).offset(offset).limit(size))), total, page, size)


def roll(session: Session, course_id: int) -> list[Registration]:
    """Everyone registered or waiting, seats first, then the queue in order."""
    query = select(Registration).where(Registration.course_id == course_id,
                                       Registration.status != RegistrationStatus.CANCELLED.value)
    rows = list(session.scalars(query.order_by(Registration.registered_at, Registration.id)))
    return sorted(rows, key=lambda r: r.status != RegistrationStatus.REGISTERED)


def registration_of(session: Session, course_id: int, user_id: int | None) -> Registration | None:
    """A person's registration on a course, if any."""
    if user_id is None:
        return None
    return session.scalar(select(Registration).where(Registration.course_id == course_id, Registration.user_id == user_id))


def queue_position(session: Session, registration: Registration) -> int | None:
    """1 for the first person waiting, 2 for the next…; None for a seat or a cancellation."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    query = select(func.count()).select_from(Registration).where(
        Registration.course_id == registration.course_id, Registration.status == RegistrationStatus.WAITLISTED.value,
        (Registration.registered_at < registration.registered_at)
        | ((Registration.registered_at == registration.registered_at) & (Registration.id < registration.id)))
    return (session.scalar(query) or 0) + 1


def mine(session: Session, user_id: int) -> list[tuple[Registration, Course, Certificate | None]]:
    """A person's registrations with their course and certificate, newest course first."""
    query = (select(Registration, Course, Certificate).join(Course, Course.id == Registration.course_id)
             .outerjoin(Certificate, Certificate.registration_id == Registration.id)
             .where(Registration.user_id == user_id).order_by(Course.starts_at.desc()))
    return [(registration, course, certificate) for registration, course, certificate in session.execute(query)]


def certificates_of_course(session: Session, course_id: int) -> list[Certificate]:
    """The certificates issued for a course."""
    query = (select(Certificate).join(Registration, Registration.id == Certificate.registration_id)
             .where(Registration.course_id == course_id).order_by(Certificate.holder_name))
    return list(session.scalars(query))


def counts_by_topic(session: Session, start: dt.datetime, end: dt.datetime) -> dict[str, tuple[int, int]]:
    """Per topic: (courses held, people who attended) within [start, end) (the yearly report)."""
    courses = session.execute(select(Course.topic, func.count()).where(Course.starts_at >= start, Course.starts_at < end)
                              .group_by(Course.topic))
    attended = session.execute(
        select(Course.topic, func.count()).join(Registration, Registration.course_id == Course.id)
        .where(Course.starts_at >= start, Course.starts_at < end, Registration.attended.is_(True)).group_by(Course.topic))
    people = {topic: count for topic, count in attended}
    return {topic: (count, people.get(topic, 0)) for topic, count in courses}
