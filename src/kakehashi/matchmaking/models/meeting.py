"""Registrations, meeting requests, scheduled meetings, schedule runs, feedback, reminders, calendar feeds."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kakehashi.db import Base, JSONType, UTCDateTime


class Attendance(StrEnum):
    """How a participant attends a hybrid event."""

    IN_PERSON = "in_person"
    VIRTUAL = "virtual"


class RequestStatus(StrEnum):
    """A request is pending until accepted or declined; undecided ones expire so they never block a slot."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"


class RequestKind(StrEnum):
    """How much a meeting matters to the scheduler: must-meet > mutual > one-sided."""

    MUST = "must"
    MUTUAL = "mutual"
    ONE_SIDED = "one_sided"


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Cooperation(StrEnum):
    """Post-meeting answer to "is cooperation possible?"."""

    YES = "yes"
    MAYBE = "maybe"
    NO = "no"


class Registration(Base):
    """One person taking part in an event for their organisation."""

    __tablename__ = "matchmaking_registration"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_event.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    org_id: Mapped[int | None] = mapped_column(Integer, index=True)
    side: Mapped[str] = mapped_column(String(2))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("matchmaking_group.id", ondelete="SET NULL"))
    attendance: Mapped[str] = mapped_column(String(10), default=Attendance.IN_PERSON.value)
    max_meetings: Mapped[int | None] = mapped_column(Integer)
    unavailable: Mapped[list[str]] = mapped_column(JSONType, default=list)  # ISO UTC starts of slots
    pitch: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    registered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class MeetingRequest(Base):
    """A request from one registration to another, with a message and optionally an opportunity."""

    __tablename__ = "matchmaking_request"
    __table_args__ = (Index("ix_matchmaking_request_status_expires", "status", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_event.id", ondelete="CASCADE"), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_registration.id", ondelete="CASCADE"),
                                              index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_registration.id", ondelete="CASCADE"),
                                              index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("matchmaking_opportunity.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10), default=RequestKind.ONE_SIDED.value)
    status: Mapped[str] = mapped_column(String(10), default=RequestStatus.PENDING.value)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(Integer)


class Meeting(Base):
    """An accepted request placed at a slot and a table (or a video room) by a schedule."""

    __tablename__ = "matchmaking_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_event.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_request.id", ondelete="CASCADE"), unique=True)
    a_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_registration.id", ondelete="CASCADE"), index=True)
    b_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_registration.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_slot.id", ondelete="CASCADE"), index=True)
    table_no: Mapped[int] = mapped_column(Integer)
    video_url: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(10), default=MeetingStatus.SCHEDULED.value)
    a_checked_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    b_checked_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    def other(self, registration_id: int) -> int:
        """The counterpart's registration id."""
        return self.b_id if registration_id == self.a_id else self.a_id


class ScheduleRun(Base):
    """One scheduling of an event (solved or imported): its value, proven bound and what moved."""

    __tablename__ = "matchmaking_schedule_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_event.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(10))
    objective: Mapped[float] = mapped_column(Float)
    upper_bound: Mapped[float | None] = mapped_column(Float)
    bound_kind: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(20), default="")
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    meetings: Mapped[int] = mapped_column(Integer, default=0)
    moved: Mapped[int] = mapped_column(Integer, default=0)
    dropped: Mapped[int] = mapped_column(Integer, default=0)
    unscheduled: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    @property
    def ratio(self) -> float | None:
        """Value over the proven bound (None when the run carries no bound, e.g. an import)."""
        if self.upper_bound is None:
            return None
        return self.objective / self.upper_bound if self.upper_bound > 0 else 1.0


class MeetingFeedback(Base):
    """After a meeting: did it take place, is cooperation possible, anything to add."""

    __tablename__ = "matchmaking_feedback"
    __table_args__ = (UniqueConstraint("meeting_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_meeting.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_registration.id", ondelete="CASCADE"))
    took_place: Mapped[bool] = mapped_column(Boolean)
    cooperation: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Reminder(Base):
    """A reminder already sent to one participant for one meeting (so the job sends each once)."""

    __tablename__ = "matchmaking_reminder"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_meeting.id", ondelete="CASCADE"),
                                            primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_registration.id", ondelete="CASCADE"),
                                                 primary_key=True)
    slot_start: Mapped[dt.datetime] = mapped_column(UTCDateTime, primary_key=True)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class CalendarFeed(Base):
    """A person's calendar feed: the URL token is an HMAC of this nonce (rotate it to revoke the URL)."""

    __tablename__ = "matchmaking_calendar_feed"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
