"""Tables of the Joint Working Group consultations (P3 ii): meetings, agenda, attendees, minutes, decisions, actions."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kakehashi.db import Base, UTCDateTime


class Mode(StrEnum):
    """How a consultation meets."""

    PHYSICAL = "physical"
    VIDEO = "video"
    HYBRID = "hybrid"


class MeetingStatus(StrEnum):
    """Where a consultation stands."""

    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class ActionStatus(StrEnum):
    """Where an action item stands."""

    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Meeting(Base):
    """One consultation of the Joint Working Group, in person, by video or both."""

    __tablename__ = "governance_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    title_ja: Mapped[str | None] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(10))
    venue: Mapped[str | None] = mapped_column(String(300))
    video_url: Mapped[str | None] = mapped_column(String(500))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12), default=MeetingStatus.SCHEDULED.value)
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    organiser_id: Mapped[int | None] = mapped_column(Integer)
    organiser_side: Mapped[str | None] = mapped_column(String(2))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class AgendaItem(Base):
    """One item of a meeting's agenda, possibly about one of the agreement's commitments."""

    __tablename__ = "governance_agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("governance_meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    commitment_id: Mapped[int | None] = mapped_column(Integer, index=True)


class Attendee(Base):
    """Someone invited to a meeting from either side; `attended` records whether they came."""

    __tablename__ = "governance_attendee"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("governance_meeting.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(200))
    side: Mapped[str | None] = mapped_column(String(2))
    attended: Mapped[bool | None] = mapped_column(Boolean)


class Minutes(Base):
    """A meeting's minutes, drafted in English or Japanese; approved only by an instrument both sides sign."""

    __tablename__ = "governance_minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("governance_meeting.id", ondelete="CASCADE"), unique=True)
    language: Mapped[str] = mapped_column(String(2))
    body: Mapped[str] = mapped_column(Text)
    drafted_by: Mapped[int | None] = mapped_column(Integer)
    drafted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    sha256: Mapped[str | None] = mapped_column(String(64))
    instrument_id: Mapped[int | None] = mapped_column(Integer, index=True)
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Decision(Base):
    """A decision recorded at a meeting, possibly about one commitment."""

    __tablename__ = "governance_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("governance_meeting.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    text_ja: Mapped[str | None] = mapped_column(Text)
    commitment_id: Mapped[int | None] = mapped_column(Integer, index=True)


class ActionItem(Base):
    """Something someone must do by a date; on its owner's to-do list and on the commitment it concerns."""

    __tablename__ = "governance_action_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("governance_meeting.id", ondelete="SET NULL"), index=True)
    commitment_id: Mapped[int | None] = mapped_column(Integer, index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("governance_activity.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    owner_org_id: Mapped[int | None] = mapped_column(Integer, index=True)
    owner_side: Mapped[str | None] = mapped_column(String(2))
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(10), default=ActionStatus.OPEN.value)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reminded_on: Mapped[dt.date | None] = mapped_column(Date)
