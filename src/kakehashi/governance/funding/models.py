"""Tables of the funding ledger (P4): costs per activity and side in exact minor units, and cost sharing.

Each side bears its own costs; a cost that departs from that (one side paying for the other, a split) belongs
to a cost-sharing arrangement, which counts only once both participants have signed its concurrence.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kakehashi.db import Base, JSONType, UTCDateTime


class CostKind(StrEnum):
    """A budgeted cost or money actually spent."""

    PLANNED = "planned"
    ACTUAL = "actual"


class CostArrangement(Base):
    """A proposed departure from "each side pays its own", tied to a cost-sharing concurrence instrument."""

    __tablename__ = "governance_cost_arrangement"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("governance_activity.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    shares: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    instrument_id: Mapped[int | None] = mapped_column(Integer, index=True)
    proposed_by: Mapped[int | None] = mapped_column(Integer)
    proposed_side: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Cost(Base):
    """One planned or actual cost of an activity on one side's ledger, in JPY or INR minor units."""

    __tablename__ = "governance_cost"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("governance_activity.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(String(2), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    currency: Mapped[str] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    incurred_on: Mapped[dt.date] = mapped_column(Date, index=True)
    description: Mapped[str] = mapped_column(String(300), default="")
    arrangement_id: Mapped[int | None] = mapped_column(
        ForeignKey("governance_cost_arrangement.id", ondelete="RESTRICT"), index=True)
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ExchangeRate(Base):
    """A JPY→INR reference rate on a date, kept as exact decimal text; used for display only."""

    __tablename__ = "governance_exchange_rate"
    __table_args__ = (UniqueConstraint("base", "quote", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    base: Mapped[str] = mapped_column(String(3))
    quote: Mapped[str] = mapped_column(String(3))
    rate: Mapped[str] = mapped_column(String(40))
    as_of: Mapped[dt.date] = mapped_column(Date, index=True)
    source: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[int | None] = mapped_column(Integer)
