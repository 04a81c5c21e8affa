"""Startups and investors: profiles, pitch decks, the fund registry, pitch slots and delegations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kakehashi.db import Base, JSONType, UTCDateTime

MONEY = Numeric(18, 2)


class Stage(StrEnum):
    """A startup's funding stage (the recommender's stage-fit rule uses the same codes)."""

    IDEA = "idea"
    PRE_SEED = "pre_seed"
    SEED = "seed"
    SERIES_A = "series_a"
    SERIES_B = "series_b"
    GROWTH = "growth"


class Currency(StrEnum):
    """Currencies amounts are recorded in (exactly, never as floats)."""

    JPY = "JPY"
    INR = "INR"
    USD = "USD"


class StartupProfile(Base):
    """What an investor needs to know about a startup organisation."""

    __tablename__ = "matchmaking_startup"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer, unique=True)
    stage: Mapped[str] = mapped_column(String(20))
    funding_to_date: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3), default=Currency.USD.value)
    raising: Mapped[Decimal | None] = mapped_column(MONEY)
    traction: Mapped[str] = mapped_column(Text, default="")
    team_size: Mapped[int | None] = mapped_column(Integer)
    pitch_deck_id: Mapped[int | None] = mapped_column(ForeignKey("matchmaking_pitch_deck.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[int | None] = mapped_column(Integer)


class PitchDeck(Base):
    """An uploaded pitch deck: its bytes, sniffed type and digest (size-limited on upload)."""

    __tablename__ = "matchmaking_pitch_deck"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer, index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    uploaded_by: Mapped[int | None] = mapped_column(Integer)


class InvestorProfile(Base):
    """An investor organisation's mandate: ticket size (exact, with currency), stages, sectors, countries."""

    __tablename__ = "matchmaking_investor"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer, unique=True)
    ticket_min: Mapped[Decimal] = mapped_column(MONEY)
    ticket_max: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    stages: Mapped[list[str]] = mapped_column(JSONType, default=list)
    sectors: Mapped[list[str]] = mapped_column(JSONType, default=list)
    countries: Mapped[list[str]] = mapped_column(JSONType, default=list)
    thesis: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[int | None] = mapped_column(Integer)


class Fund(Base):
    """A fund in the registry: who manages it, its size, where and in what it invests, who backs it."""

    __tablename__ = "matchmaking_fund"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    manager_name: Mapped[str] = mapped_column(String(200))
    manager_org_id: Mapped[int | None] = mapped_column(Integer, index=True)
    domicile: Mapped[str] = mapped_column(String(2))
    size: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    vintage: Mapped[int | None] = mapped_column(Integer)
    invests_in: Mapped[list[str]] = mapped_column(JSONType, default=list)
    stages: Mapped[list[str]] = mapped_column(JSONType, default=list)
    sectors: Mapped[list[str]] = mapped_column(JSONType, default=list)
    japanese_backers: Mapped[list[str]] = mapped_column(JSONType, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(300))
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    @property
    def is_japan_india_corridor(self) -> bool:
        """Japanese players investing in Indian startups."""
        return bool(self.japanese_backers or self.domicile == "JP") and "IN" in self.invests_in


class PitchSlot(Base):
    """A startup's turn to pitch within a pitch session of an event."""

    __tablename__ = "matchmaking_pitch_slot"
    __table_args__ = (UniqueConstraint("session_id", "org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_session.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    minutes: Mapped[int] = mapped_column(Integer)


class Mission(Base):
    """A delegation of companies and investors of one country visiting the other."""

    __tablename__ = "matchmaking_mission"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(2))
    destination: Mapped[str] = mapped_column(String(2))
    cities: Mapped[str] = mapped_column(String(200), default="")
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    event_id: Mapped[int | None] = mapped_column(ForeignKey("matchmaking_event.id", ondelete="SET NULL"))
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class MissionMember(Base):
    """An organisation taking part in a mission, as a company, startup or investor."""

    __tablename__ = "matchmaking_mission_member"

    mission_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_mission.id", ondelete="CASCADE"),
                                            primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
