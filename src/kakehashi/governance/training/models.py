"""Tables of training, workshops and seminars (P2 v, P2 viii): courses, registrations, certificates."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kakehashi.db import Base, UTCDateTime


class Topic(StrEnum):
    """The capacity-building themes the MoC names."""

    SEMICONDUCTOR_WORKFORCE = "semiconductor_workforce"
    AI = "ai"
    CYBERSECURITY = "cybersecurity"
    DPI = "dpi"


class CourseKind(StrEnum):
    """A training course, a workshop or a seminar."""

    TRAINING = "training"
    WORKSHOP = "workshop"
    SEMINAR = "seminar"


class RegistrationStatus(StrEnum):
    """A seat, a place in the queue, or withdrawn."""

    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


TOPIC_AREA = {Topic.SEMICONDUCTOR_WORKFORCE: "talent", Topic.AI: "ai", Topic.CYBERSECURITY: "security",
              Topic.DPI: "dpi"}


class Course(Base):
    """One training course, workshop or seminar with a capacity; its registrations form a waiting list."""

    __tablename__ = "governance_training_course"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(30), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    title_ja: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    mode: Mapped[str] = mapped_column(String(10))
    venue: Mapped[str | None] = mapped_column(String(300))
    video_url: Mapped[str | None] = mapped_column(String(500))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column(Integer)
    organiser_side: Mapped[str | None] = mapped_column(String(2))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("governance_activity.id", ondelete="SET NULL"), index=True)
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Registration(Base):
    """A person's place on a course: a seat or a numbered place on the waiting list; attendance once held."""

    __tablename__ = "governance_training_registration"
    __table_args__ = (
        UniqueConstraint("course_id", "user_id"),
        Index("ix_governance_training_registration_queue", "course_id", "status", "registered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("governance_training_course.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12))
    registered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    attended: Mapped[bool | None] = mapped_column(Boolean)


class Certificate(Base):
    """A certificate of attendance; anyone holding its code can check it is genuine."""

    __tablename__ = "governance_training_certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("governance_training_registration.id", ondelete="CASCADE"), unique=True)
    holder_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(200))
    course_title_ja: Mapped[str | None] = mapped_column(String(200))
    held_on: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    issued_by: Mapped[int | None] = mapped_column(Integer)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
