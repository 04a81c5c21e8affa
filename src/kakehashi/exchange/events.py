"""Accountability: every exchange act is an audit row and an entry of the transparency log, in the
acting transaction; people are told through in-app notifications (e-mailed by the mail job).

The log is public to every signed-in person, so its entries name no person and no purpose: those facts
(`PRIVATE`) go to the audit row, and the entry carries a commitment to them, HMAC-SHA-256 keyed with a
random salt kept in the audit row. An auditor who reads the audit row can open the commitment; nobody
else can test guesses against it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi import agreement, identity
from kakehashi.exchange import ledger
from kakehashi.exchange.models import Item
from kakehashi.kernel import audit, notifications
from kakehashi.kernel.authz import Actor, Role

MAX_NOTIFIED = 200
PRIVATE = ("by", "purpose", "requested_by", "recipient")  # who acted or reads, and for what: audit trail only


def commitment(salt: str, private: dict[str, Any]) -> str:
    """HMAC-SHA-256 over the canonical JSON of the private facts, keyed with the audit row's salt (hex)."""
    return agreement.commitment(salt, private)


def split_private(facts: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(what the public log may say, what only the audit trail holds)."""
    return ({k: v for k, v in facts.items() if k not in PRIVATE}, {k: facts[k] for k in PRIVATE if k in facts})


def record(session: Session, actor: Actor, action: str, item: Item, details: dict[str, Any]) -> int:
    """Append the act to the transparency log (people and purposes only as a salted commitment) and write the
    audit row with every fact, the salt and the log index; return the log index."""
    facts = {"item": item.id, "discloser": item.discloser, "by": actor.user_id, **details}
    public, private = split_private(facts)
    salt = agreement.new_salt()
    index = ledger.log(session, action, {**public, "commitment": commitment(salt, private)})
    audit.record(session, actor, action, target_type="exchange_item", target_id=item.id,
                 details={**facts, "salt": salt, "log_index": index}, side=item.discloser_side)
    return index


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
