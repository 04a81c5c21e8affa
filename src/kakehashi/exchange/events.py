"""Accountability: every exchange act is an audit row and an entry of the transparency log, in the
acting transaction; people are told through in-app notifications (e-mailed by the mail job)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi import identity
from kakehashi.exchange import ledger
from kakehashi.exchange.models import Item
from kakehashi.kernel import audit, notifications
from kakehashi.kernel.authz import Actor, Role

MAX_NOTIFIED = 200


def record(session: Session, actor: Actor, action: str, item: Item, details: dict[str, Any]) -> int:
    """Write the audit row and append the same facts to the transparency log; return the log index."""
    facts = {"item": item.id, "discloser": item.discloser, "by": actor.user_id, **details}
    audit.record(session, actor, action, target_type="exchange_item", target_id=item.id, details=facts,
                 side=item.discloser_side)
    return ledger.log(session, action, facts)


def notify_user(session: Session, user_id: int, *, kind: str, title: str, body: str, params: dict[str, Any],
                link: str) -> None:
    """One in-app notification (and, through the outbox, an e-mail)."""
    notifications.notify(session, user_id=user_id, kind=kind, title=title, body=body, params=params, link=link)


def notify_users(session: Session, user_ids: set[int], **note: Any) -> None:
    """Notify several people (bounded, so a share to a big organisation stays cheap)."""
    for user_id in sorted(user_ids)[:MAX_NOTIFIED]:
        notify_user(session, user_id, **note)


def notify_discloser(session: Session, item: Item, **note: Any) -> None:
    """Tell the person who shared and the officers of the discloser's side (who decide consents)."""
    officers = session.scalars(select(identity.User.id).where(
        identity.User.side == item.discloser_side, identity.User.is_active.is_(True),
        identity.User.role.in_((Role.NODAL_OFFICER.value, Role.MINISTRY_LIAISON.value))))
    notify_users(session, {item.shared_by, *officers}, **note)
