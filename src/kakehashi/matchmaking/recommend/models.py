"""Tables of the recommender: profile snapshots with text vectors, the embedding cache, and feedback.

Organisations are referred to by registry id only (no cross-context foreign keys). Vectors are raw
model output stored as 384 little-endian float32 (1,536 bytes); the engine neutralises them on load.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kakehashi.db import Base, JSONType, UTCDateTime
from kakehashi.matchmaking.recommend.embedding import Vector


def vector_bytes(vector: Vector) -> bytes:
    """A vector as stored: little-endian float32."""
    return np.asarray(vector, dtype="<f4").tobytes()


def bytes_vector(blob: bytes) -> Vector:
    """A stored vector read back as float32."""
    return np.frombuffer(blob, dtype="<f4").astype(np.float32)


class RecoProfile(Base):
    """What the index needs of one organisation, as of a registry version: rules fields and attention."""

    __tablename__ = "matchmaking_reco_profile"

    org_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    country: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(30))
    sectors: Mapped[list[str]] = mapped_column(JSONType, default=list)
    stage: Mapped[str | None] = mapped_column(String(30))
    investment_stages: Mapped[list[str]] = mapped_column(JSONType, default=list)
    source_version: Mapped[int] = mapped_column(Integer)
    source_digest: Mapped[str] = mapped_column(String(64), default="")  # opportunities and stages (sources.py)
    model: Mapped[str] = mapped_column(String(60))
    exposure: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class RecoText(Base):
    """One offer or seek line of a profile with its vector."""

    __tablename__ = "matchmaking_reco_text"
    __table_args__ = (UniqueConstraint("org_id", "side", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_reco_profile.org_id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(String(5))  # "offer" or "seek"
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    text_key: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class RecoEmbedding(Base):
    """The embedding cache: one vector per distinct normalised text (SHA-256 key) and model."""

    __tablename__ = "matchmaking_reco_embedding"

    text_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    model: Mapped[str] = mapped_column(String(60), primary_key=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class RecoFeedback(Base):
    """The latest verdict an organisation gave on a recommended partner (a new verdict replaces the row)."""

    __tablename__ = "matchmaking_reco_feedback"
    __table_args__ = (UniqueConstraint("requester_org_id", "partner_org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_org_id: Mapped[int] = mapped_column(Integer, index=True)
    partner_org_id: Mapped[int] = mapped_column(Integer)
    verdict: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class RecoPerson(Base):
    """A person's own lines on top of their organisation's profile, as of a digest of what was embedded.

    People are referred to by identity user id and organisations by registry id (no cross-context keys).
    """

    __tablename__ = "matchmaking_reco_person"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    org_id: Mapped[int] = mapped_column(Integer, index=True)
    source_digest: Mapped[str] = mapped_column(String(64))  # organisation and expertise lines (person_digest)
    model: Mapped[str] = mapped_column(String(60))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class RecoPersonText(Base):
    """One expertise line of a person with its vector."""

    __tablename__ = "matchmaking_reco_person_text"
    __table_args__ = (UniqueConstraint("user_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_reco_person.user_id", ondelete="CASCADE"),
                                         index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    text_key: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class RecoPersonFeedback(Base):
    """The latest verdict a person gave on a partner recommended to them (a new verdict replaces the row)."""

    __tablename__ = "matchmaking_reco_person_feedback"
    __table_args__ = (UniqueConstraint("user_id", "partner_org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    partner_org_id: Mapped[int] = mapped_column(Integer)
    verdict: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
