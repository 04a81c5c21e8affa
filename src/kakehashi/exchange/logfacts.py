"""The exchange's facts on the transparency log, as `log verify` checks them against today's rows.

An entry states: an access decision (permit or deny, action, deciding rule, and the commitment to the reader
and purpose), a consent request's status as it moves (requested, approved, granted, refused, revoked,
withdrawn), and a shared item's status, TLP, purposes and policy digest. The rows' view comes from
`exchange_access`, `exchange_consent`, `exchange_item` and, for the commitments' salts, the audit trail.
Entries written before commitments existed name the reader and purpose in clear; they are checked as such.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from typing import Any

import rfc8785
from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi import agreement
from kakehashi.exchange.events import PRIVATE, commitment
from kakehashi.exchange.models import Access, Consent, Item
from kakehashi.exchange.odrl import export_odrl
from kakehashi.exchange.queries import recipients_of
from kakehashi.exchange.terms import conditions_of
from kakehashi.kernel.audit import AuditEvent

Fact = agreement.Fact
WHO = "commitment to who acted and for which purpose"
CONSENT_STATUS = {
    "exchange.consent.requested": "pending", "exchange.consent.approved": "awaiting_signature",
    "exchange.consent.granted": "granted", "exchange.consent.refused": "refused",
    "exchange.consent.revoked": "revoked", "exchange.consent.withdrawn": "withdrawn",
}
ITEM_STATUS = {"exchange.item.shared": "active", "exchange.item.withdrawn": "withdrawn",
               "exchange.item.purged": "purged"}
NO_SALT = "not openable: no audit row holds its salt"


def _access(access_id: object, item_id: object) -> str:
    return f"exchange access decision {access_id} (item {item_id})"


def _consent(consent_id: object, item_id: object) -> str:
    return f"exchange consent request {consent_id} (item {item_id})"


def _item(item_id: object) -> str:
    return f"exchange item {item_id}"


def stated(entry: agreement.LoggedEntry) -> Iterator[agreement.Fact]:
    """The facts one exchange entry states."""
    p, i, kind = entry.payload, entry.index, entry.kind
    if "commitment" in p:
        yield Fact(f"log entry {i} ({kind})", WHO, p["commitment"], i)
    if kind == "exchange.decision":
        record = _access(p.get("access"), p.get("item"))
        yield Fact(record, "decision", "permit" if p.get("permit") else "deny", i)
        yield Fact(record, "action", p.get("action"), i)
        yield Fact(record, "deciding rule", p.get("rule"), i)
        if "commitment" not in p:  # written before commitments: reader and purpose in clear
            yield Fact(record, "reader", p.get("by"), i)
            yield Fact(record, "purpose", p.get("purpose"), i)
    elif kind in CONSENT_STATUS:
        yield Fact(_consent(p.get("consent"), p.get("item")), "status", CONSENT_STATUS[kind], i)
    elif kind in ITEM_STATUS:
        record = _item(p.get("item"))
        yield Fact(record, "status", ITEM_STATUS[kind], i)
        if kind == "exchange.item.shared":
            yield Fact(record, "TLP", p.get("tlp"), i)
            yield Fact(record, "purposes", p.get("purposes"), i)
            yield Fact(record, "policy digest", p.get("policy_sha256"), i)


def _salts(session: Session) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for details in session.scalars(select(AuditEvent.details).where(AuditEvent.action.startswith("exchange."))):
        if isinstance(details, dict) and isinstance(details.get("log_index"), int) and "salt" in details:
            found[details["log_index"]] = details
    return found


def _opened(salts: dict[int, dict[str, Any]], index: int, private: dict[str, Any] | None = None) -> str:
    audit_row = salts.get(index)
    if audit_row is None:
        return NO_SALT
    facts = private if private is not None else {k: audit_row[k] for k in PRIVATE if k in audit_row}
    return commitment(str(audit_row["salt"]), facts)


def current(session: Session, entries: Sequence[agreement.LoggedEntry]) -> Iterator[agreement.Fact]:
    """The same facts as today's rows show them."""
    by_index = {e.index: e for e in entries}
    salts = _salts(session)
    checked_by_rows: set[int] = set()
    for access in session.scalars(select(Access).order_by(Access.id)):
        record, index = _access(access.id, access.item_id), access.log_index
        yield Fact(record, "decision", "permit" if access.permit else "deny", index)
        yield Fact(record, "action", access.action, index)
        yield Fact(record, "deciding rule", access.rule, index)
        entry = by_index.get(index) if index is not None else None
        if entry is not None and "commitment" in entry.payload:
            checked_by_rows.add(entry.index)
            yield Fact(f"log entry {entry.index} ({entry.kind})", WHO,
                       _opened(salts, entry.index, {"by": access.user_id, "purpose": access.purpose}), index)
        elif entry is not None:
            yield Fact(record, "reader", access.user_id, index)
            yield Fact(record, "purpose", access.purpose, index)
    requests = {e.payload.get("consent"): e for e in entries if e.kind == "exchange.consent.requested"}
    for consent in session.scalars(select(Consent).order_by(Consent.id)):
        yield Fact(_consent(consent.id, consent.item_id), "status", consent.status)
        entry = requests.get(consent.id)
        if entry is not None and "commitment" in entry.payload:
            checked_by_rows.add(entry.index)
            private = {"by": consent.requested_by, "purpose": consent.purpose, "requested_by": consent.requested_by}
            yield Fact(f"log entry {entry.index} ({entry.kind})", WHO, _opened(salts, entry.index, private))
    for item in session.scalars(select(Item).order_by(Item.id)):
        record = _item(item.id)
        yield Fact(record, "status", item.status, item.log_index)
        yield Fact(record, "TLP", item.tlp, item.log_index)
        yield Fact(record, "purposes", list(item.purposes), item.log_index)
        policy = export_odrl(conditions_of(item, recipients_of(session, item.id)), item_id=str(item.id))
        yield Fact(record, "policy digest", hashlib.sha256(rfc8785.dumps(policy)).hexdigest(), item.log_index)
    for entry in entries:  # the other commitments: the audit trail must open them
        if "commitment" in entry.payload and entry.index not in checked_by_rows:
            yield Fact(f"log entry {entry.index} ({entry.kind})", WHO, _opened(salts, entry.index))


LOG_FACTS = agreement.FactSource("exchange", ("exchange.",), stated, current)
