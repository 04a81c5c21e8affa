"""Tables of the exchange context: shared items with their conditions, encrypted content, recipients,
every access decision, consent requests and grants, and officers' additions to the purpose vocabulary.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kakehashi.db import Base, JSONType, UTCDateTime


class Item(Base):
    """A shared document or dataset: its discloser, conditions, and how its content is encrypted."""

    __tablename__ = "exchange_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="document")
    # The discloser is a party: a ministry (officers share for it) or an organisation.
    discloser: Mapped[str] = mapped_column(String(40), index=True)
    discloser_side: Mapped[str] = mapped_column(String(2))
    shared_by: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    purposes: Mapped[list[str]] = mapped_column(JSONType, default=list)
    tlp: Mapped[str] = mapped_column(String(20))
    access_mode: Mapped[str] = mapped_column(String(20))
    onward_sharing: Mapped[bool] = mapped_column(Boolean, default=False)
    valid_from: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    retain_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    master_key_id: Mapped[str] = mapped_column(String(32), index=True)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(20), default="active")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    purged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    log_index: Mapped[int | None] = mapped_column(BigInteger)


class Recipient(Base):
    """One permitted recipient of an item: a side, a ministry, an organisation or a person."""

    __tablename__ = "exchange_recipient"
    __table_args__ = (
        UniqueConstraint("item_id", "kind", "value"),
        Index("ix_exchange_recipient_kind_value", "kind", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("exchange_item.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(40))


class ContentChunk(Base):
    """A slice of an item's ciphertext (the stream format of crypto.py), stored in order."""

    __tablename__ = "exchange_content_chunk"

    item_id: Mapped[int] = mapped_column(ForeignKey("exchange_item.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Access(Base):
    """One decision on an access: who, what action, for which stated purpose, and the rule that decided."""

    __tablename__ = "exchange_access"
    __table_args__ = (Index("ix_exchange_access_item_at", "item_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("exchange_item.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    org_id: Mapped[int | None] = mapped_column(Integer)
    side: Mapped[str | None] = mapped_column(String(2))
    ministry: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(String(64))
    permit: Mapped[bool] = mapped_column(Boolean)
    rule: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    log_index: Mapped[int | None] = mapped_column(BigInteger)


class Consent(Base):
    """A request to use an item for another purpose (or to share it onward), and the discloser's answer.

    A grant takes effect when the discloser's "consent to another purpose" instrument is signed.
    """

    __tablename__ = "exchange_consent"
    __table_args__ = (Index("ix_exchange_consent_item_status", "item_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("exchange_item.id", ondelete="CASCADE"))
    requested_by: Mapped[int] = mapped_column(Integer, index=True)
    requester_org_id: Mapped[int | None] = mapped_column(Integer)
    requester_side: Mapped[str] = mapped_column(String(2))
    recipient_kind: Mapped[str] = mapped_column(String(10), default="user")
    recipient_id: Mapped[str] = mapped_column(String(40))
    purpose: Mapped[str] = mapped_column(String(64))
    onward_sharing: Mapped[bool] = mapped_column(Boolean, default=False)
    justification: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    instrument_id: Mapped[int | None] = mapped_column(Integer)
    granted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_by: Mapped[int | None] = mapped_column(Integer)


class Purpose(Base):
    """A purpose an officer added to the controlled vocabulary (the MoC's own are in vocabulary.py)."""

    __tablename__ = "exchange_purpose"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    label_en: Mapped[str] = mapped_column(String(200))
    label_ja: Mapped[str] = mapped_column(String(200))
    clause: Mapped[str] = mapped_column(String(40), default="")
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
