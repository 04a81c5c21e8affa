"""Evidence of every TAXII write and every read of AMBER or RED content.

Each act writes, in its own transaction, an outbox row: the evidence is durable before a write is
acknowledged or sensitive content leaves. `drain` then appends queued rows to the agreement context's
transparency log in batches and writes their audit rows (with the log index) — shortly after the request
by the server's log drainer, and by the `cyber.log_outbox` job as a safety net. One signed checkpoint
covers many acts instead of one each (appending costs the log a lock, Merkle nodes and a signature), and
a TAXII request makes one evidence write instead of two.

Log payloads name the collection and the versions concerned, never a person: who acted (user, organisation,
side) goes to the audit row, and the entry carries a commitment to it (HMAC-SHA-256 keyed with a random salt
kept in the audit row, which auditors can open). Writes carry the date added they received, a digest of the
stored JSON, a digest of the versions' TLP levels and the AMBER/RED versions with their level, so `log verify`
can check the stored objects and their markings against the log (`cyber.LOG_FACTS`).
"""

from __future__ import annotations

import hashlib
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.orm import Session

from kakehashi import agreement
from kakehashi.cyber.models import LogOutbox
from kakehashi.cyber.tlp import Tlp
from kakehashi.kernel import audit
from kakehashi.kernel.authz import Actor
from kakehashi.kernel.clock import utcnow

_OUTBOX = cast(Table, LogOutbox.__table__)
WRITE_KIND = "cyber.taxii.write"
READ_KIND = "cyber.taxii.read"
DELETE_KIND = "cyber.taxii.delete"


PRIVATE = ("user", "org", "side")  # who acted: audit trail only, a commitment on the log


def record(session: Session, actor: Actor, kind: str, *, collection_uid: str, details: dict[str, Any]) -> None:
    """Queue the evidence of one act on a collection (log entry and audit row follow from `drain`)."""
    payload = {"collection": collection_uid, "user": actor.user_id, "org": actor.org_id,
               "side": actor.side.value if actor.side else None, "salt": agreement.new_salt(), **details}
    session.connection().execute(insert(_OUTBOX), [{"kind": kind, "payload": payload, "created_at": utcnow()}])


def record_sensitive_reads(session: Session, actor: Actor, *, collection_uid: str, endpoint: str,
                           versions: list[tuple[str, str, int]]) -> bool:
    """Log the AMBER/AMBER+STRICT/RED versions among (id, version, tlp) served; True if anything was logged."""
    sensitive = sensitive_versions(versions)
    if not sensitive:
        return False
    record(session, actor, READ_KIND, collection_uid=collection_uid,
           details={"endpoint": endpoint, "objects": sensitive})
    return True


def sensitive_versions(versions: list[tuple[str, str, int]]) -> list[list[str]]:
    """The AMBER, AMBER+STRICT and RED ones among (id, version, level), as [id, version, level name]."""
    return [[stix_id, version, Tlp(level).slug] for stix_id, version, level in versions if level >= Tlp.AMBER]


def markings_digest(versions: list[tuple[str, str, int]]) -> str:
    """SHA-256 over the sorted lines "id version level" of stored versions (their TLP levels, for the log)."""
    lines = sorted(f"{stix_id} {version} {Tlp(level).slug}" for stix_id, version, level in versions)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def split(payload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], str]:
    """An outbox payload as (log payload with the commitment, who acted, salt)."""
    who = {k: payload.get(k) for k in PRIVATE}
    salt = str(payload.get("salt") or agreement.new_salt())  # rows queued before commitments have none
    public = {k: v for k, v in payload.items() if k not in PRIVATE and k != "salt"}
    return {**public, "commitment": agreement.commitment(salt, who)}, who, salt


def drain(session: Session, *, limit: int = 2000) -> int:
    """Append up to `limit` queued entries to the transparency log, oldest first; returns how many.

    Rows are claimed with DELETE ... RETURNING (rows another drainer holds are skipped on PostgreSQL), so
    concurrent drainers never append an entry twice.
    """
    claim = select(LogOutbox.id).order_by(LogOutbox.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        claim = claim.with_for_update(skip_locked=True)
    rows = session.execute(delete(LogOutbox).where(LogOutbox.id.in_(claim.scalar_subquery()))
                           .returning(LogOutbox.id, LogOutbox.kind, LogOutbox.payload)).all()
    queued = [(row.kind, *split(dict(row.payload))) for row in sorted(rows, key=lambda r: r.id)]
    entries = agreement.append_many(session, [(kind, public) for kind, public, _, _ in queued]) if queued else []
    for (kind, public, who, salt), entry in zip(queued, entries, strict=True):
        details = {k: v for k, v in public.items() if k not in ("collection", "commitment")}
        audit.record(session, Actor(user_id=who["user"], org_id=who["org"]), kind, target_type="cyber_collection",
                     target_id=public.get("collection", ""),
                     details={**details, "org": who["org"], "salt": salt, "log_index": entry.index}, side=who["side"])
    return len(rows)


def pending(session: Session) -> int:
    """How many entries wait for the log."""
    return session.scalar(select(func.count()).select_from(LogOutbox)) or 0
