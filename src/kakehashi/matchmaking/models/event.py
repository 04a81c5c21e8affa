"""Matchmaking events: the event, its sessions and breaks, the slots they yield, registration groups."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kakehashi.db import Base, JSONType, UTCDateTime


class EventFormat(StrEnum):
    """Where meetings happen: at tables, in video rooms, or both."""

    PHYSICAL = "physical"
    VIRTUAL = "virtual"
    HYBRID = "hybrid"


class Phase(StrEnum):
    """The organiser moves an event forward: draft → open → requests_closed → provisional → final."""

    DRAFT = "draft"
    OPEN = "open"
    REQUESTS_CLOSED = "requests_closed"
    PROVISIONAL = "provisional"
    FINAL = "final"


PHASE_ORDER = tuple(Phase)


class SessionKind(StrEnum):
    """A block of 1:1 meetings, or a pitch session on stage."""

    MEETINGS = "meetings"
    PITCH = "pitch"


class Event(Base):
    """A matchmaking event (physical, virtual or hybrid; one or several days)."""

    __tablename__ = "matchmaking_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(10))
    venue: Mapped[str] = mapped_column(String(300), default="")
    timezone: Mapped[str] = mapped_column(String(40))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    slot_minutes: Mapped[int] = mapped_column(Integer)
    max_meetings: Mapped[int] = mapped_column(Integer)
    request_hours: Mapped[int] = mapped_column(Integer)
    video_base_url: Mapped[str] = mapped_column(String(300), default="")
    phase: Mapped[str] = mapped_column(String(20), default=Phase.DRAFT.value)
    organiser_org_id: Mapped[int | None] = mapped_column(Integer, index=True)
    schedule_version: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    @property
    def has_tables(self) -> bool:
        return self.format != EventFormat.VIRTUAL

    @property
    def has_video(self) -> bool:
        return self.format != EventFormat.PHYSICAL


class EventSession(Base):
    """A block of time: 1:1 meetings at `tables` tables (None: video rooms only) or a pitch session."""

    __tablename__ = "matchmaking_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10), default=SessionKind.MEETINGS.value)
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    tables: Mapped[int | None] = mapped_column(Integer)
    room: Mapped[str] = mapped_column(String(200), default="")


class EventBreak(Base):
    """A pause (lunch, keynote) during which no meeting is placed."""

    __tablename__ = "matchmaking_break"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_event.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Slot(Base):
    """One meeting slot of a meetings session; derived from sessions, breaks and the slot length."""

    __tablename__ = "matchmaking_slot"
    __table_args__ = (UniqueConstraint("event_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_event.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_session.id", ondelete="CASCADE"))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    minutes: Mapped[int] = mapped_column(Integer)
    tables: Mapped[int | None] = mapped_column(Integer)

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.minutes)


class RegistrationGroup(Base):
    """A group participants register in (buyer/seller, startup/investor); `may_meet` lists group codes."""

    __tablename__ = "matchmaking_group"
    __table_args__ = (UniqueConstraint("event_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_event.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    may_meet: Mapped[list[str]] = mapped_column(JSONType, default=list)

    def allows(self, other: RegistrationGroup | None) -> bool:
        """Whether this group's members may request a meeting with a member of `other` (empty = anyone)."""
        return not self.may_meet or (other is not None and other.code in self.may_meet)
