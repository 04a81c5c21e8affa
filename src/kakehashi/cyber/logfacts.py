"""Cyber's facts on the transparency log, as `log verify` checks them against today's rows.

A TAXII write states what it stored (count, digest of the stored JSON, digest of the versions' TLP levels,
the AMBER/RED versions with their level); a read of AMBER or RED content states the level of each version
served; a delete states which versions are gone. Every entry carries a commitment to who acted, which the
audit row's salt opens. The rows' view: `cyber_stix_object` (by collection and date added), `cyber_status`
and the audit trail. Versions deleted later by a logged delete can no longer be digested: their write's
digests are not compared (the delete entry states what went).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from kakehashi import agreement
from kakehashi.cyber import ledger
from kakehashi.cyber.models import Collection, Status, StixObject
from kakehashi.cyber.tlp import Tlp
from kakehashi.kernel.audit import AuditEvent

Fact = agreement.Fact
WHO = "commitment to who acted"
NO_SALT = "not openable: no audit row holds its salt"


def _version(uid: object, stix_id: object, version: object) -> str:
    return f"STIX object {stix_id} version {version} (collection {uid})"


def _write(status: object) -> str:
    return f"TAXII write {status}"


def stated(entry: agreement.LoggedEntry) -> Iterator[agreement.Fact]:
    """The facts one cyber entry states."""
    p, i, kind = entry.payload, entry.index, entry.kind
    uid = p.get("collection")
    if "commitment" in p:
        yield Fact(f"log entry {i} ({kind})", WHO, p["commitment"], i)
    if kind == ledger.WRITE_KIND:
        yield Fact(_write(p.get("status")), "number of versions stored", p.get("stored"), i)
        if "added_us" in p:
            yield Fact(_write(p.get("status")), "digest of the stored objects", p.get("digest"), i)
            yield Fact(_write(p.get("status")), "digest of their TLP markings", p.get("markings"), i)
        for stix_id, version, level in p.get("sensitive", []):
            yield Fact(_version(uid, stix_id, version), "TLP marking", level, i)
    elif kind == ledger.READ_KIND:
        for stix_id, version, level in p.get("objects", []):
            yield Fact(_version(uid, stix_id, version), "TLP marking", level, i)
    elif kind == ledger.DELETE_KIND:
        for version in p.get("versions", []):
            yield Fact(_version(uid, p.get("id"), version), "TLP marking", agreement.ABSENT, i)


def _salts(session: Session) -> dict[int, AuditEvent]:
    found: dict[int, AuditEvent] = {}
    for event in session.scalars(select(AuditEvent).where(AuditEvent.action.startswith("cyber.taxii."))):
        index = event.details.get("log_index") if isinstance(event.details, dict) else None
        if isinstance(index, int) and "salt" in event.details:
            found[index] = event
    return found


def _opened(event: AuditEvent | None, who: dict[str, Any]) -> str:
    return NO_SALT if event is None else agreement.commitment(str(event.details["salt"]), who)


def _digests(rows: Sequence[Any]) -> tuple[str, str]:
    lines = sorted(f"{r.stix_id} {r.version} {hashlib.sha256(r.raw.encode()).hexdigest()}" for r in rows)
    return (hashlib.sha256("\n".join(lines).encode()).hexdigest(),
            ledger.markings_digest([(r.stix_id, r.version, r.tlp) for r in rows]))


def current(session: Session, entries: Sequence[agreement.LoggedEntry]) -> Iterator[agreement.Fact]:
    """The same facts as today's rows show them."""
    uids = {str(e.payload.get("collection")) for e in entries}
    collections = dict(session.execute(select(Collection.uid, Collection.id).where(Collection.uid.in_(uids))).all())
    salts = _salts(session)
    deleted_writes = {(e.payload.get("collection"), added) for e in entries if e.kind == ledger.DELETE_KIND
                      for added in e.payload.get("added_us", [])}
    legacy_deletes = {e.payload.get("collection") for e in entries
                      if e.kind == ledger.DELETE_KIND and "added_us" not in e.payload}
    versions: set[tuple[str, str, str]] = set()
    for entry in entries:
        p, uid = entry.payload, str(entry.payload.get("collection"))
        listed = p.get("sensitive", []) if entry.kind == ledger.WRITE_KIND else p.get("objects", [])
        versions.update((uid, str(s), str(v)) for s, v, _ in listed)
        if entry.kind == ledger.DELETE_KIND:
            versions.update((uid, str(p.get("id")), str(v)) for v in p.get("versions", []))
        if "commitment" in p:
            yield from _who(session, entry, salts.get(entry.index))
        if entry.kind == ledger.WRITE_KIND:
            yield from _write_facts(session, entry, collections.get(uid),
                                    (uid, p.get("added_us")) in deleted_writes or uid in legacy_deletes)
    yield from _levels(session, collections, versions)


def _who(session: Session, entry: agreement.LoggedEntry, event: AuditEvent | None) -> Iterator[agreement.Fact]:
    record = f"log entry {entry.index} ({entry.kind})"
    who: dict[str, Any] = {"user": None, "org": None, "side": None}
    if event is not None:
        who = {"user": event.actor_user_id, "org": event.details.get("org"), "side": event.side}
    if entry.kind == ledger.WRITE_KIND:  # the status row also records who wrote
        status = session.get(Status, str(entry.payload.get("status")))
        if status is not None:
            who = {**who, "user": status.user_id, "org": status.org_id}
    yield Fact(record, WHO, _opened(event, who), entry.index)


def _write_facts(session: Session, entry: agreement.LoggedEntry, collection_id: int | None,
                 partly_deleted: bool) -> Iterator[agreement.Fact]:
    p = entry.payload
    record = _write(p.get("status"))
    status = session.get(Status, str(p.get("status")))
    if status is None or collection_id is None:
        return  # reported as "no such record" by the comparison
    if "added_us" not in p or partly_deleted:  # written before dates added were logged, or versions since deleted
        for attribute in ("number of versions stored", "digest of the stored objects", "digest of their TLP markings"):
            yield Fact(record, attribute, agreement.UNCHECKED)
        return
    rows = session.execute(select(StixObject.stix_id, StixObject.version, StixObject.tlp, StixObject.raw).where(
        StixObject.collection_id == collection_id, StixObject.added_us == p["added_us"])).all()
    digest, markings = _digests(rows)
    yield Fact(record, "number of versions stored", len(rows))
    yield Fact(record, "digest of the stored objects", digest)
    yield Fact(record, "digest of their TLP markings", markings)


def _levels(session: Session, collections: dict[str, int], versions: set[tuple[str, str, str]]
            ) -> Iterator[agreement.Fact]:
    uid_of = {cid: uid for uid, cid in collections.items()}
    wanted = sorted((collections[uid], stix_id, version) for uid, stix_id, version in versions if uid in collections)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        query = select(StixObject.collection_id, StixObject.stix_id, StixObject.version, StixObject.tlp).where(
            tuple_(StixObject.collection_id, StixObject.stix_id, StixObject.version).in_(chunk))
        for collection_id, stix_id, version, level in session.execute(query):
            yield Fact(_version(uid_of[collection_id], stix_id, version), "TLP marking", Tlp(level).slug)


LOG_FACTS = agreement.FactSource("cyber", ("cyber.taxii.",), stated, current)
