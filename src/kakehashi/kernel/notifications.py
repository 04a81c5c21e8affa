"""In-app notifications and the e-mail outbox: written in the acting transaction, delivered after commit.

Titles and bodies are English messages marked with N_() plus parameters, translated when shown, so each
person reads them in their own language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from kakehashi.db import Base, JSONType, UTCDateTime
from kakehashi.kernel.clock import utcnow


class Notification(Base):
    """Something a person should see: a consent request, a meeting, an overdue action."""

    __tablename__ = "kernel_notification"
    __table_args__ = (Index("ix_kernel_notification_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("identity_user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    params: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    emailed: Mapped[bool] = mapped_column(Boolean, default=False)


def notify(
    session: Session, *, user_id: int, kind: str, title: str, body: str = "", params: dict[str, Any] | None = None,
    link: str | None = None,
) -> Notification:
    """Queue a notification for a user (shown in-app; e-mailed by the `notifications.send_mail` job)."""
    note = Notification(user_id=user_id, kind=kind, title=title, body=body, params=params or {}, link=link,
                        created_at=utcnow())
    session.add(note)
    return note


def unread_count(session: Session, user_id: int) -> int:
    """How many notifications the user has not read."""
    query = select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))
    return session.scalar(query) or 0


def recent(session: Session, user_id: int, *, limit: int = 50) -> list[Notification]:
    """The user's notifications, newest first."""
    query = select(Notification).where(Notification.user_id == user_id).order_by(Notification.id.desc()).limit(limit)
    return list(session.scalars(query))


def mark_read(session: Session, user_id: int, *, notification_id: int | None = None) -> bool:
    """Mark a user's notifications read (all, or the one `notification_id`); False when that one is not theirs."""
    if notification_id is not None:
        note = session.get(Notification, notification_id)
        if note is None or note.user_id != user_id:
            return False
        note.read_at = note.read_at or utcnow()
        return True
    session.execute(update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
                    .values(read_at=utcnow()))
    return True


def pending_mail(session: Session, *, limit: int = 100) -> list[Notification]:
    """Notifications not yet e-mailed, oldest first."""
    query = select(Notification).where(Notification.emailed.is_(False)).order_by(Notification.id).limit(limit)
    return list(session.scalars(query))
