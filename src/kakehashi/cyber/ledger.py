"""Evidence of every TAXII write and every read of AMBER or RED content: an audit row and an entry on the
agreement context's transparency log, both in the acting transaction.

Log payloads name the collection, the actor (user and organisation) and the versions concerned; writes
carry a digest of the stored JSON so anyone holding the objects can check them against the log.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kakehashi import agreement
from kakehashi.cyber.tlp import Tlp
from kakehashi.kernel import audit
from kakehashi.kernel.authz import Actor

WRITE_KIND = "cyber.taxii.write"
READ_KIND = "cyber.taxii.read"
DELETE_KIND = "cyber.taxii.delete"


def record(session: Session, actor: Actor, kind: str, *, collection_uid: str, details: dict[str, Any]) -> None:
    """Write the audit row and append the log entry for one act on a collection."""
    payload = {"collection": collection_uid, "user": actor.user_id, "org": actor.org_id, **details}
    entry = agreement.append_to_log(session, kind, payload)
    audit.record(session, actor, kind, target_type="cyber_collection", target_id=collection_uid,
                 details={**details, "log_index": entry.index})


def record_sensitive_reads(session: Session, actor: Actor, *, collection_uid: str, endpoint: str,
                           versions: list[tuple[str, str, int]]) -> bool:
    """Log the AMBER/AMBER+STRICT/RED versions among (id, version, tlp) served; True if anything was logged."""
    sensitive = [[stix_id, version, Tlp(level).slug] for stix_id, version, level in versions if level >= Tlp.AMBER]
    if not sensitive:
        return False
    record(session, actor, READ_KIND, collection_uid=collection_uid,
           details={"endpoint": endpoint, "objects": sensitive})
    return True
