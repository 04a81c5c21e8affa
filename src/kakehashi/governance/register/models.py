"""Tables of the commitment register: activities under the agreement's commitments, and their history.

Commitments themselves belong to the agreement ledger; rows here refer to them (and to other contexts'
records) by id only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kakehashi.db import Base, UTCDateTime
from kakehashi.governance.columns import ScaledDecimal


class ActivityKind(StrEnum):
    """What an activity is."""

    INITIATIVE = "initiative"
    EVENT = "event"
    PROGRAMME = "programme"
    PILOT = "pilot"
    STUDY = "study"
    DELEGATION = "delegation"
    FORUM_POSITION = "forum_position"


class Status(StrEnum):
    """The Open Government Partnership's completion scale, plus on hold and dropped."""

    NOT_STARTED = "not_started"
    LIMITED = "limited"
    SUBSTANTIAL = "substantial"
    COMPLETE = "complete"
    ON_HOLD = "on_hold"
    DROPPED = "dropped"


FORUMS = ("GPAI", "Hiroshima AI Process Friends Group", "United Nations", "AI Safety Summit", "G20", "Quad")


class Activity(Base):
    """Something done to honour a commitment; may sit beneath another activity of the same commitment."""

    __tablename__ = "governance_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(Integer, index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("governance_activity.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    title_ja: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    forum: Mapped[str | None] = mapped_column(String(80))
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=Status.NOT_STARTED.value)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    weight: Mapped[Decimal] = mapped_column(ScaledDecimal(2), default=Decimal(1))
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class ActivityOwner(Base):
    """Who answers for an activity: a ministry or agency, or an organisation, on either side."""

    __tablename__ = "governance_activity_owner"
    __table_args__ = (UniqueConstraint("activity_id", "side", "ministry", "org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("governance_activity.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(String(2))
    ministry: Mapped[str | None] = mapped_column(String(20))
    org_id: Mapped[int | None] = mapped_column(Integer, index=True)


class Milestone(Base):
    """A dated step of an activity; done when `done_on` is set."""

    __tablename__ = "governance_milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("governance_activity.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    title_ja: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[dt.date] = mapped_column(Date)
    done_on: Mapped[dt.date | None] = mapped_column(Date)


class ActivityUpdate(Base):
    """A dated account of an activity: what happened, what slipped and why, and the figures it changed."""

    __tablename__ = "governance_activity_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("governance_activity.id", ondelete="CASCADE"), index=True)
    on: Mapped[dt.date] = mapped_column(Date, index=True)
    author_id: Mapped[int | None] = mapped_column(Integer)
    happened: Mapped[str] = mapped_column(Text, default="")
    slipped: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    progress_before: Mapped[int] = mapped_column(Integer)
    progress_after: Mapped[int] = mapped_column(Integer)
    status_before: Mapped[str] = mapped_column(String(20))
    status_after: Mapped[str] = mapped_column(String(20))
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ActivityLink(Base):
    """A reference to another context's record (an event, a call, a shared document) by kind and id."""

    __tablename__ = "governance_activity_link"
    __table_args__ = (UniqueConstraint("activity_id", "target_kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("governance_activity.id", ondelete="CASCADE"), index=True)
    target_kind: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(80))
    label: Mapped[str] = mapped_column(String(200), default="")


class CommitmentWeight(Base):
    """The weight of one of the agreement's commitments in its area's roll-up (1 unless set)."""

    __tablename__ = "governance_commitment_weight"

    commitment_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    weight: Mapped[Decimal] = mapped_column(ScaledDecimal(2))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ProgressSnapshot(Base):
    """The roll-up figure of the agreement (scope "all") or of one area on a given day, for charts over time."""

    __tablename__ = "governance_progress_snapshot"
    __table_args__ = (UniqueConstraint("scope", "taken_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(20))
    taken_on: Mapped[dt.date] = mapped_column(Date, index=True)
    progress: Mapped[Decimal] = mapped_column(ScaledDecimal(2))
