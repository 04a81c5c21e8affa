"""Audit trail: one row per sensitive act, written in the same transaction as the act."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from kakehashi.db import Base, JSONType, UTCDateTime
from kakehashi.kernel.authz import Actor
from kakehashi.kernel.clock import utcnow


class AuditEvent(Base):
    """Who did what to which record, when, with details; never updated or deleted."""

    __tablename__ = "kernel_audit_event"
    __table_args__ = (Index("ix_kernel_audit_event_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("identity_user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(80), index=True)
    target_type: Mapped[str] = mapped_column(String(60))
    target_id: Mapped[str] = mapped_column(String(80))
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    side: Mapped[str | None] = mapped_column(String(2))


def record(
    session: Session, actor: Actor, action: str, *, target_type: str, target_id: object,
    details: dict[str, Any] | None = None, side: str | None = None,
) -> AuditEvent:
    """Add an audit row to the caller's transaction (it commits or rolls back with the act)."""
    event = AuditEvent(
        at=utcnow(), actor_user_id=actor.user_id, action=action, target_type=target_type,
        target_id=str(target_id), details=details or {}, side=side or (actor.side.value if actor.side else None),
    )
    session.add(event)
    return event


def events_for(session: Session, *, target_type: str, target_id: object, limit: int = 100) -> list[AuditEvent]:
    """The audit rows of one record, newest first."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.target_type == target_type, AuditEvent.target_id == str(target_id))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def recent_events(session: Session, *, side: str | None, action_prefix: str = "", before_id: int | None = None,
                  limit: int = 50) -> list[AuditEvent]:
    """Audit rows newest first, optionally for one side and one family of actions (keyset-paginated)."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if side is not None:
        query = query.where(AuditEvent.side == side)
    if action_prefix:
        query = query.where(AuditEvent.action.startswith(action_prefix, autoescape=True))
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    return list(session.scalars(query))
