"""Tables of the cyber context: TAXII collections and their sharing grants, STIX objects (every version),
status resources of writes, and the conformity-assessment register.

STIX objects keep the JSON text exactly as stored (compact, keys sorted) so a page of objects is served by
joining stored texts, plus the columns the TAXII filters and the sharing rules need. Times the filters
compare (`date_added`, `version`) are integer microseconds since the epoch: exact, portable and cheap
to index on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from kakehashi.db import Base, JSONType, UTCDateTime

# SQLite only auto-numbers an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity for millions of rows.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Collection(Base):
    """A TAXII collection owned by one CERT (organisation), shared through grants."""

    __tablename__ = "cyber_collection"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    alias: Mapped[str | None] = mapped_column(String(100), unique=True)
    owner_org_id: Mapped[int] = mapped_column(Integer, index=True)
    default_tlp: Mapped[int] = mapped_column(SmallInteger, default=1)
    last_added_us: Mapped[int] = mapped_column(BigInteger, default=0)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class CollectionGrant(Base):
    """What one organisation may do in a collection: read, write, and the highest TLP level it receives."""

    __tablename__ = "cyber_collection_grant"

    collection_id: Mapped[int] = mapped_column(ForeignKey("cyber_collection.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
    can_read: Mapped[bool] = mapped_column(Boolean, default=True)
    can_write: Mapped[bool] = mapped_column(Boolean, default=False)
    max_tlp: Mapped[int] = mapped_column(SmallInteger, default=1)
    granted_by: Mapped[int | None] = mapped_column(Integer)
    granted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class RedRecipient(Base):
    """A named person who may receive TLP:RED content of a collection (RED never goes beyond them)."""

    __tablename__ = "cyber_red_recipient"

    collection_id: Mapped[int] = mapped_column(ForeignKey("cyber_collection.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    added_by: Mapped[int | None] = mapped_column(Integer)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class StixObject(Base):
    """One version of one STIX object in one collection, with the columns TAXII filters on."""

    __tablename__ = "cyber_stix_object"
    __table_args__ = (
        Index("ix_cyber_stix_object_added", "collection_id", "added_us", "id"),
        Index("ix_cyber_stix_object_version", "collection_id", "stix_id", "version_us", unique=True),
        Index("ix_cyber_stix_object_type", "collection_id", "type", "added_us", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("cyber_collection.id", ondelete="CASCADE"))
    stix_id: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(250))
    spec_version: Mapped[str] = mapped_column(String(8))
    version: Mapped[str] = mapped_column(String(64))
    version_us: Mapped[int] = mapped_column(BigInteger)
    added_us: Mapped[int] = mapped_column(BigInteger)
    tlp: Mapped[int] = mapped_column(SmallInteger)
    is_latest: Mapped[bool] = mapped_column(Boolean)
    is_first: Mapped[bool] = mapped_column(Boolean)
    producer_org_id: Mapped[int | None] = mapped_column(Integer)
    added_by: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(300))
    created_by_ref: Mapped[str | None] = mapped_column(String(300))
    raw: Mapped[str] = mapped_column(Text)


class StixLink(Base):
    """A reference pages follow, owned by one version of a relationship (source → target), sighting
    (sighting → what was seen) or report (report → each object). Other object types have none."""

    __tablename__ = "cyber_stix_link"
    __table_args__ = (
        Index("ix_cyber_stix_link_to", "collection_id", "to_id"),
        Index("ix_cyber_stix_link_from", "collection_id", "from_id"),
        Index("ix_cyber_stix_link_owner", "collection_id", "owner_id", "owner_version_us"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("cyber_collection.id", ondelete="CASCADE"))
    owner_id: Mapped[str] = mapped_column(String(300))
    owner_version_us: Mapped[int] = mapped_column(BigInteger)
    from_id: Mapped[str] = mapped_column(String(300))
    to_id: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(120))


class Status(Base):
    """The TAXII status resource of one write (envelope POST): counts and per-object outcomes."""

    __tablename__ = "cyber_status"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("cyber_collection.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    org_id: Mapped[int | None] = mapped_column(Integer)
    request_timestamp: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10))
    total_count: Mapped[int] = mapped_column(Integer)
    success_count: Mapped[int] = mapped_column(Integer)
    failure_count: Mapped[int] = mapped_column(Integer)
    pending_count: Mapped[int] = mapped_column(Integer, default=0)
    successes: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    failures: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)


class LogOutbox(Base):
    """Evidence written with a TAXII act, waiting to be appended to the transparency log in a batch."""

    __tablename__ = "cyber_log_outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ConformityBody(Base):
    """A conformity-assessment body (certification body, testing laboratory, inspection body) of either side."""

    __tablename__ = "cyber_conformity_body"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ja: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    org_id: Mapped[int | None] = mapped_column(Integer)
    website: Mapped[str | None] = mapped_column(String(300))
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Accreditation(Base):
    """One accreditation of a body: by whom, under which scheme and standard, for what scope, until when."""

    __tablename__ = "cyber_accreditation"

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("cyber_conformity_body.id", ondelete="CASCADE"), index=True)
    accreditor: Mapped[str] = mapped_column(String(100))
    scheme: Mapped[str] = mapped_column(String(200))
    standard: Mapped[str] = mapped_column(String(60), index=True)
    scope: Mapped[str] = mapped_column(Text, default="")
    number: Mapped[str | None] = mapped_column(String(60))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="active")
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
