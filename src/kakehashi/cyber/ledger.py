"""Evidence of every TAXII write and every read of AMBER or RED content.

Each act writes, in its own transaction, an outbox row: the evidence is durable before a write is
acknowledged or sensitive content leaves. `drain` then appends queued rows to the agreement context's
transparency log in batches and writes their audit rows (with the log index) — shortly after the request
by the server's log drainer, and by the `cyber.log_outbox` job as a safety net. One signed checkpoint
covers many acts instead of one each (appending costs the log a lock, Merkle nodes and a signature), and
a TAXII request makes one evidence write instead of two.

Log payloads name the collection, the actor (user and organisation) and the versions concerned; writes
carry a digest of the stored JSON so anyone holding the objects can check them against the log.
"""

from __future__ import annotations

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


def record(session: Session, actor: Actor, kind: str, *, collection_uid: str, details: dict[str, Any]) -> None:
    """Queue the evidence of one act on a collection (log entry and audit row follow from `drain`)."""
    payload = {"collection": collection_uid, "user": actor.user_id, "org": actor.org_id,
               "side": actor.side.value if actor.side else None, **details}
    session.connection().execute(insert(_OUTBOX), [{"kind": kind, "payload": payload, "created_at": utcnow()}])


def record_sensitive_reads(session: Session, actor: Actor, *, collection_uid: str, endpoint: str,
                           versions: list[tuple[str, str, int]]) -> bool:
    """Log the AMBER/AMBER+STRICT/RED versions among (id, version, tlp) served; True if anything was logged."""
    sensitive = [[stix_id, version, Tlp(level).slug] for stix_id, version, level in versions if level >= Tlp.AMBER]
    if not sensitive:
        return False
    record(session, actor, READ_KIND, collection_uid=collection_uid,
           details={"endpoint": endpoint, "objects": sensitive})
    return True


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
    queued = sorted(rows, key=lambda r: r.id)
    entries = agreement.append_many(session, [(row.kind, row.payload) for row in queued]) if queued else []
    for row, entry in zip(queued, entries, strict=True):
        payload = dict(row.payload)
        who = Actor(user_id=payload.pop("user", None), org_id=payload.pop("org", None))
        uid, side = payload.pop("collection", ""), payload.pop("side", None)
        audit.record(session, who, row.kind, target_type="cyber_collection", target_id=uid,
                     details={**payload, "log_index": entry.index}, side=side)
    return len(rows)


def pending(session: Session) -> int:
    """How many entries wait for the log."""
    return session.scalar(select(func.count()).select_from(LogOutbox)) or 0
