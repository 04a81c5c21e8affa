"""Use cases of training, workshops and seminars: catalogue, registration with a waiting list, attendance, certificates.

Seats go first come, first served; when a seat frees up (a cancellation, a larger room) the longest-waiting
person moves up and is told. Certificates go only to people marked as having attended.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from urllib.parse import urlparse

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kakehashi import identity
from kakehashi.governance.consultations.models import Mode
from kakehashi.governance.errors import Full, GovernanceError, GovernanceNotFound
from kakehashi.governance.training.models import Certificate, Course, CourseKind, Registration, RegistrationStatus, Topic
from kakehashi.kernel import audit, notifications
from kakehashi.kernel.authz import Actor, require
from kakehashi.kernel.errors import Conflict, ValidationFailed
from kakehashi.kernel.i18n import N_

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed


@dataclass(frozen=True)
class CourseFields:
    """What an organiser gives for a course, workshop or seminar."""

    topic: str
    kind: str
    title: str
    mode: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    title_ja: str | None = None
    description: str = ""
    venue: str | None = None
    video_url: str | None = None
    activity_id: int | None = None
    is_public: bool = True


def get_course(session: Session, course_id: int, *, lock: bool = False) -> Course:
    """The course with this id (row-locked on PostgreSQL when `lock`); raise GovernanceNotFound."""
    course = session.get(Course, course_id, with_for_update=lock or None, populate_existing=lock)
    if course is None:
        raise GovernanceNotFound(N_("No such course."), field="course_id")
    return course


def _check_course(fields: CourseFields) -> None:
    errors: dict[str, str] = {}
    if fields.topic not in Topic._value2member_map_:
        errors["topic"] = N_("Choose a topic.")
    if fields.kind not in CourseKind._value2member_map_:
        errors["kind"] = N_("Choose training, workshop or seminar.")
    if not fields.title.strip() or len(fields.title) > 200:
        errors["title"] = N_("Give a title of at most 200 characters.")
    if fields.mode not in Mode._value2member_map_:
        errors["mode"] = N_("Choose physical, video or hybrid.")
    if fields.mode in (Mode.PHYSICAL, Mode.HYBRID) and not (fields.venue or "").strip():
        errors["venue"] = N_("A meeting in person needs a venue.")
    if fields.mode in (Mode.VIDEO, Mode.HYBRID) and urlparse((fields.video_url or "").strip()).scheme != "https":
        errors["video_url"] = N_("A video meeting needs an https:// link.")
    if fields.ends_at <= fields.starts_at:
        errors["ends_at"] = N_("The course must end after it starts.")
    if not 1 <= fields.capacity <= 10000:
        errors["capacity"] = N_("Capacity is between 1 and 10,000 seats.")
    if errors:
        raise ValidationFailed(errors)


def create_course(session: Session, fields: CourseFields, *, actor: Actor, now: dt.datetime) -> Course:
    """Add a course, workshop or seminar to the catalogue."""
    require(actor, "training.manage")
    _check_course(fields)
    course = Course(
        topic=fields.topic, kind=fields.kind, title=fields.title.strip(), title_ja=(fields.title_ja or "").strip() or None,
        description=fields.description.strip(), mode=fields.mode, venue=(fields.venue or "").strip() or None,
        video_url=(fields.video_url or "").strip() or None, starts_at=fields.starts_at, ends_at=fields.ends_at,
        capacity=fields.capacity, organiser_side=actor.side.value if actor.side else None, activity_id=fields.activity_id,
        is_public=fields.is_public, created_by=actor.user_id, created_at=now,
    )
    session.add(course)
    session.flush()
    audit.record(session, actor, "governance.course.create", target_type="governance_training_course", target_id=course.id)
    return course


def seats_taken(session: Session, course_id: int) -> int:
    """How many people hold a seat."""
    query = select(func.count()).select_from(Registration).where(
        Registration.course_id == course_id, Registration.status == RegistrationStatus.REGISTERED.value)
    return session.scalar(query) or 0


def register(session: Session, course_id: int, *, actor: Actor, now: dt.datetime) -> Registration:
    """Take a seat if one is free, else a place at the end of the waiting list."""
    require(actor, "training.register")
    assert actor.user_id is not None
    course = get_course(session, course_id, lock=True)
    if course.starts_at <= now:
        raise GovernanceError(N_("Registration has closed: the course has begun."), code="closed")
    row = session.scalar(select(Registration).where(Registration.course_id == course.id,
                                                    Registration.user_id == actor.user_id))
    if row is not None and row.status != RegistrationStatus.CANCELLED:
        raise Conflict(N_("You are already registered for this course."), code="already_registered")
    status = (RegistrationStatus.REGISTERED if seats_taken(session, course.id) < course.capacity
              else RegistrationStatus.WAITLISTED)
    if row is None:
        user = identity.get_user(session, actor.user_id)
        row = Registration(course_id=course.id, user_id=actor.user_id, name=user.name)
        session.add(row)
    row.status, row.registered_at, row.attended = status.value, now, None
    session.flush()
    return row


def promote(session: Session, course: Course) -> list[Registration]:
    """Give free seats to the longest-waiting people, in order, and tell them."""
    free = course.capacity - seats_taken(session, course.id)
    if free <= 0:
        return []
    query = (select(Registration).where(Registration.course_id == course.id,
                                        Registration.status == RegistrationStatus.WAITLISTED.value)
             .order_by(Registration.registered_at, Registration.id).limit(free))
    promoted = list(session.scalars(query))
    for row in promoted:
        row.status = RegistrationStatus.REGISTERED.value
        notifications.notify(session, user_id=row.user_id, kind="governance.training.seat",
                             title=N_("A seat is yours: %(title)s"), body=N_("You moved up from the waiting list."),
                             params={"title": course.title}, link=f"/governance/training/{course.id}")
    session.flush()
    return promoted


def cancel_registration(session: Session, course_id: int, *, actor: Actor, now: dt.datetime) -> Registration:
    """Withdraw from a course; a freed seat goes to the first person waiting."""
    require(actor, "training.register")
    course = get_course(session, course_id, lock=True)
    row = session.scalar(select(Registration).where(Registration.course_id == course.id,
                                                    Registration.user_id == actor.user_id))
    if row is None or row.status == RegistrationStatus.CANCELLED:
        raise GovernanceNotFound(N_("You are not registered for this course."), field="course_id")
    row.status = RegistrationStatus.CANCELLED.value
    session.flush()
    promote(session, course)
    return row


def set_capacity(session: Session, course_id: int, capacity: int, *, actor: Actor) -> Course:
    """Change a course's capacity; never below the seats already given, and a larger room seats the waiting."""
    require(actor, "training.manage")
    course = get_course(session, course_id, lock=True)
    if not 1 <= capacity <= 10000:
        raise ValidationFailed({"capacity": N_("Capacity is between 1 and 10,000 seats.")})
    if capacity < seats_taken(session, course.id):
        raise Full(N_("More people already hold seats than that capacity allows."), field="capacity")
    course.capacity = capacity
    promote(session, course)
    return course


def record_attendance(session: Session, course_id: int, attended_user_ids: set[int], *, actor: Actor,
                      now: dt.datetime) -> int:
    """Mark who attended among the seated (others absent); returns how many attended."""
    require(actor, "training.manage")
    course = get_course(session, course_id)
    if course.starts_at > now:
        raise GovernanceError(N_("Attendance is recorded once the course has begun."), code="not_yet")
    seated = session.scalars(select(Registration).where(Registration.course_id == course.id,
                                                        Registration.status == RegistrationStatus.REGISTERED.value))
    count = 0
    for row in seated:
        row.attended = row.user_id in attended_user_ids
        count += row.attended
    session.flush()
    return count


def new_code() -> str:
    """A certificate code such as KKH-7Q4M-XW2C-9D3F (60 bits of randomness)."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"KKH-{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def issue_certificates(session: Session, course_id: int, *, actor: Actor, now: dt.datetime) -> list[Certificate]:
    """Issue a certificate to everyone who attended and has none yet."""
    require(actor, "training.manage")
    course = get_course(session, course_id)
    attended = session.scalars(select(Registration).where(Registration.course_id == course.id,
                                                          Registration.attended.is_(True)))
    issued = []
    for row in attended:
        if session.scalar(select(Certificate.id).where(Certificate.registration_id == row.id)) is not None:
            continue
        certificate = Certificate(code=new_code(), registration_id=row.id, holder_name=row.name, course_title=course.title,
                                  course_title_ja=course.title_ja, held_on=course.starts_at, issued_at=now,
                                  issued_by=actor.user_id)
        session.add(certificate)
        issued.append(certificate)
        notifications.notify(session, user_id=row.user_id, kind="governance.training.certificate",
                             title=N_("Your certificate: %(title)s"), body=N_("Download it or share its code."),
                             params={"title": course.title}, link="/governance/training/mine")
    session.flush()
    audit.record(session, actor, "governance.course.certificates", target_type="governance_training_course",
                 target_id=course.id, details={"issued": len(issued)})
    return issued


def verify_certificate(session: Session, code: str) -> Certificate | None:
    """The certificate with this code (case and spacing forgiven), or None: anyone may check one."""
    cleaned = code.strip().upper().replace(" ", "")
    return session.scalar(select(Certificate).where(Certificate.code == cleaned, Certificate.revoked_at.is_(None)))
