"""Partnering opportunities (EEN-style typed offers and requests) and expressions of interest in them."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kakehashi.db import Base, JSONType, UTCDateTime


class OpportunityKind(StrEnum):
    """The six profile types of the EEN partnering database."""

    TECHNOLOGY_OFFER = "technology_offer"
    TECHNOLOGY_REQUEST = "technology_request"
    BUSINESS_OFFER = "business_offer"
    BUSINESS_REQUEST = "business_request"
    RND_PARTNER_SEARCH = "rnd_partner_search"
    INVESTMENT_OPPORTUNITY = "investment_opportunity"


#: Kinds that offer something (their text is an offer); the rest seek something.
OFFER_KINDS = frozenset({OpportunityKind.TECHNOLOGY_OFFER, OpportunityKind.BUSINESS_OFFER,
                         OpportunityKind.INVESTMENT_OPPORTUNITY})


class OpportunityStatus(StrEnum):
    """Where an opportunity is in its review and publication life."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    REJECTED = "rejected"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class InterestStatus(StrEnum):
    """An expression of interest waits for the owner, who accepts (disclosing contact) or declines."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Opportunity(Base):
    """An offer or request of one organisation, reviewed by an officer of its side before it is public."""

    __tablename__ = "matchmaking_opportunity"
    __table_args__ = (Index("ix_matchmaking_opportunity_status_expires", "status", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(30), unique=True)
    org_id: Mapped[int] = mapped_column(Integer, index=True)
    side: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5), default="en")
    sectors: Mapped[list[str]] = mapped_column(JSONType, default=list)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_user_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=OpportunityStatus.DRAFT.value)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[int | None] = mapped_column(Integer)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    renewals: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def is_offer(self) -> bool:
        """Whether the text describes what the owner offers (else what it seeks)."""
        return self.kind in OFFER_KINDS

    def is_live(self, now: dt.datetime) -> bool:
        """Published and not past its expiry."""
        return self.status == OpportunityStatus.PUBLISHED and (self.expires_at is None or self.expires_at > now)


class Interest(Base):
    """An organisation's expression of interest in an opportunity; accepting it discloses the contact."""

    __tablename__ = "matchmaking_interest"
    __table_args__ = (UniqueConstraint("opportunity_id", "org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_opportunity.id", ondelete="CASCADE"),
                                                index=True)
    org_id: Mapped[int] = mapped_column(Integer, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=InterestStatus.PENDING.value)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
