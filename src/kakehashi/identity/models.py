"""Accounts: users and their profile, invitations, browser sessions, API tokens, sign-in attempts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kakehashi.db import Base, JSONType, UTCDateTime
from kakehashi.kernel.authz import Actor, Ministry, Role, Side


class User(Base):
    """A person who signs in; belongs to at most one organisation (by id) and holds one role."""

    __tablename__ = "identity_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_ja: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    side: Mapped[str | None] = mapped_column(String(2))
    ministry: Mapped[str | None] = mapped_column(String(20))
    org_id: Mapped[int | None] = mapped_column(Integer, index=True)
    title: Mapped[str | None] = mapped_column(String(200))
    languages: Mapped[list[str]] = mapped_column(JSONType, default=list)
    jlpt_level: Mapped[str | None] = mapped_column(String(2))
    expertise: Mapped[str | None] = mapped_column(Text)
    preferred_locale: Mapped[str | None] = mapped_column(String(5))
    preferred_timezone: Mapped[str | None] = mapped_column(String(40))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    def actor(self) -> Actor:
        """The authorisation view of this user."""
        return Actor(
            user_id=self.id, role=Role(self.role), side=Side(self.side) if self.side else None,
            ministry=Ministry(self.ministry) if self.ministry else None, org_id=self.org_id, name=self.name,
        )


class Invitation(Base):
    """An invitation to sign up with a given role; only its token's hash is stored."""

    __tablename__ = "identity_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[str] = mapped_column(String(40))
    side: Mapped[str | None] = mapped_column(String(2))
    ministry: Mapped[str | None] = mapped_column(String(20))
    org_id: Mapped[int | None] = mapped_column(Integer)
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("identity_user.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class WebSession(Base):
    """A server-side browser session; the cookie holds a random token whose SHA-256 is the key."""

    __tablename__ = "identity_web_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("identity_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    user_agent: Mapped[str | None] = mapped_column(String(300))


class ApiToken(Base):
    """A named bearer token for the API; stored as SHA-256, shown once at creation; expires and can be revoked."""

    __tablename__ = "identity_api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("identity_user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    def is_live(self, now: dt.datetime) -> bool:
        """Neither revoked nor expired at `now`."""
        return self.revoked_at is None and self.expires_at > now


class LoginAttempt(Base):
    """One sign-in attempt, kept for throttling across all app processes (per account and client, per client)."""

    __tablename__ = "identity_login_attempt"
    __table_args__ = (
        Index("ix_identity_login_attempt_email_at", "email", "at"),
        Index("ix_identity_login_attempt_client_at", "client", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    succeeded: Mapped[bool] = mapped_column(Boolean)

    def as_dict(self) -> dict[str, Any]:
        return {"email": self.email, "client": self.client, "at": self.at.isoformat(), "succeeded": self.succeeded}
