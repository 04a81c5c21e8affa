"""The transparency log in the database: appends, signed checkpoints, proofs with their checkpoint.

Any context appends through `agreement.append_to_log(session, kind, payload)`. Each append writes
the entry, the perfect-subtree nodes it completes, and a checkpoint of the new size signed by the
log key, all in the caller's transaction. Appends are serialised by a lock (PostgreSQL advisory
lock; on SQLite a write statement that takes the database's write lock first).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, insert, select, text, update
from sqlalchemy.orm import Session

from kakehashi.agreement import merkle
from kakehashi.agreement.canonical import canonicalize
from kakehashi.agreement.checkpoint import Checkpoint as CheckpointBody
from kakehashi.agreement.checkpoint import NoteKey as NoteVerifierKey
from kakehashi.agreement.checkpoint import NoteSigner, parse_vkey
from kakehashi.agreement.errors import LogError
from kakehashi.agreement.jws import generate_key, load_private_key, private_key_to_pem
from kakehashi.agreement.models import Checkpoint, LogEntry, LogNode, NoteKey
from kakehashi.kernel.clock import utcnow

LOG_ORIGIN = "kakehashi.example/agreement-log"
LOG_ENTRY_TABLE: Table = LogEntry.__table__  # type: ignore[assignment]  # a Table, declared FromClause
NEW_CHECKPOINTS = "kakehashi.agreement.new_checkpoints"  # session.info key: notes signed in this transaction
_LOCK_ID = 0x4B414B45  # "KAKE": the advisory lock of the log on PostgreSQL


class DbNodeStore:
    """`merkle.NodeStore` over the log tables; one query per read batch, one per write batch.

    Level 0 (the leaves) is the `leaf_hash` column of agreement_log_entry; agreement_log_node holds the
    levels above, so an append writes one entry row plus one node row per entry, amortised.
    """

    def __init__(self, session: Session, size: int | None = None) -> None:
        self.session = session
        self._size = size  # pass a size already known (e.g. a checkpoint's) to skip one query

    def size(self) -> int:
        """Number of leaves (entries) stored."""
        if self._size is None:
            last = self.session.scalar(select(func.max(LogEntry.index)))
            self._size = 0 if last is None else last + 1
        return self._size

    def get_nodes(self, keys: Sequence[merkle.NodeKey]) -> dict[merkle.NodeKey, bytes]:
        """Fetch node hashes; raise KeyError naming the first missing one."""
        found: dict[merkle.NodeKey, bytes] = {}
        by_level: dict[int, list[int]] = {}
        for level, index in keys:
            by_level.setdefault(level, []).append(index)
        # (level = l AND index IN (...)) OR ...: both databases answer it from the primary key. Plain SQL text,
        # because building this expression with SQLAlchemy's operators cost more than the query itself.
        leaves = by_level.pop(0, [])
        selects = []
        if leaves:
            listed = ",".join(str(int(i)) for i in leaves)
            selects.append(f'SELECT 0, "index", leaf_hash FROM agreement_log_entry WHERE "index" IN ({listed})')
        if by_level:
            condition = " OR ".join(
                f'(level = {int(level)} AND "index" IN ({",".join(str(int(i)) for i in indexes)}))'
                for level, indexes in by_level.items()
            )
            selects.append(f'SELECT level, "index", hash FROM agreement_log_node WHERE {condition}')
        for level, index, digest in self.session.connection().exec_driver_sql(" UNION ALL ".join(selects)):
            found[(int(level), int(index))] = bytes(digest)
        for key in keys:
            if key not in found:
                raise KeyError(key)
        return found

    def put_nodes(self, nodes: Sequence[tuple[merkle.NodeKey, bytes]]) -> None:
        """Insert new interior nodes in one executemany (leaves are already in their entry rows)."""
        rows = [{"level": level, "index": index, "hash": digest} for (level, index), digest in nodes if level > 0]
        if rows:
            self.session.execute(insert(LogNode), rows)
        self._size = self.size() + sum(1 for (level, _), _ in nodes if level == 0)


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
    else:  # any write takes SQLite's database lock (and waits for it) before we read the size
        session.execute(update(LogNode).where(LogNode.level == -1).values(hash=LogNode.hash))


_SIGNERS: dict[str, NoteSigner] = {}


def _note_signer(row: NoteKey) -> NoteSigner:
    """The signer of a note key (parsed once per process: loading a PEM costs more than signing)."""
    if row.vkey not in _SIGNERS:
        key = parse_vkey(row.vkey)
        if row.private_pem is None:
            raise LogError("This note key has no private key on the platform.", code="no_private_key")
        _SIGNERS[row.vkey] = NoteSigner(key.name, load_private_key(row.private_pem.encode()), key.sig_type)
    return _SIGNERS[row.vkey]


def log_key(session: Session, *, create: bool = True) -> NoteKey | None:
    """The log's checkpoint-signing key (made on first use; keep it in an HSM in production)."""
    row = session.scalar(select(NoteKey).where(NoteKey.role == "log").order_by(NoteKey.id.desc()).limit(1))
    if row is None and create:
        private = generate_key()
        signer = NoteSigner(LOG_ORIGIN, private)
        now = utcnow()
        row = NoteKey(role="log", vkey=signer.key.vkey(), private_pem=private_key_to_pem(private).decode(), created_at=now,
                      not_before=now)
        session.add(row)
        session.flush()
    return row


def log_verifier_key(session: Session) -> NoteVerifierKey:
    """The public side of the log key, for verifiers."""
    row = log_key(session)
    assert row is not None
    return parse_vkey(row.vkey)


def stamp(instant: dt.datetime) -> str:
    """How an entry writes the instant it was appended (UTC, RFC 3339 with Z)."""
    return instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def entry_bytes(kind: str, payload: dict[str, Any], appended_at: dt.datetime) -> bytes:
    """The canonical bytes a leaf hashes: kind, payload and the instant of appending."""
    return canonicalize({"appended_at": stamp(appended_at), "kind": kind, "payload": payload})


def append_many(session: Session, items: Sequence[tuple[str, dict[str, Any]]]) -> list[LogEntry]:
    """Append entries (kind, payload) in order and sign one checkpoint of the new size."""
    if not items:
        return []
    _lock(session)
    store = DbNodeStore(session)
    first, now = store.size(), utcnow()
    rows: list[dict[str, Any]] = []
    for offset, (kind, payload) in enumerate(items):
        data = entry_bytes(kind, payload, now)
        rows.append(
            {
                "index": first + offset,
                "kind": kind,
                "data": data.decode(),
                "leaf_hash": merkle.leaf_hash(data),
                "appended_at": now,
            }
        )
    session.execute(insert(LOG_ENTRY_TABLE), rows)  # one executemany, no per-object unit of work
    merkle.append_leaves(store, [row["leaf_hash"] for row in rows])
    sign_checkpoint(session, store.size(), store)
    return [LogEntry(**row) for row in rows]  # records of what was appended (load rows to change them)


def append_to_log(session: Session, kind: str, payload: dict[str, Any]) -> LogEntry:
    """Append one entry to the transparency log (in the caller's transaction) and return it."""
    if not kind or len(kind) > 60:
        raise LogError("A log entry kind is 1 to 60 characters.", field="kind")
    return append_many(session, [(kind, payload)])[0]


def sign_checkpoint(session: Session, size: int, store: merkle.NodeStore | None = None) -> Checkpoint:
    """Store (or return the stored) checkpoint of `size`, signed by the log key."""
    existing = session.scalar(select(Checkpoint).where(Checkpoint.size == size))
    if existing is not None:
        return existing
    note, root = checkpoint_note(session, size, store)
    row = Checkpoint(size=size, root_hash=root, note=note, created_at=utcnow())
    session.add(row)
    session.flush()
    # Published outside the database once the transaction commits (see publication.py), if the entry point asked.
    session.info.setdefault(NEW_CHECKPOINTS, []).append(note)
    return row


def checkpoint_note(session: Session, size: int, store: merkle.NodeStore | None = None) -> tuple[str, bytes]:
    """Sign a checkpoint note of `size` now (for sizes no stored checkpoint covers)."""
    root = merkle.root_at(store or DbNodeStore(session, size), size)
    return _sign_root(session, size, root), root


def _sign_root(session: Session, size: int, root: bytes) -> str:
    vkey = session.scalar(select(NoteKey.vkey).where(NoteKey.role == "log").order_by(NoteKey.id.desc()).limit(1))
    signer = _SIGNERS.get(vkey or "")
    if signer is None:  # first use in this process (or no key yet): load the row, creating the key if needed
        key = log_key(session)
        assert key is not None
        signer = _note_signer(key)
    return CheckpointBody(signer.name, size, root).sign(signer)


def latest_checkpoint(session: Session) -> Checkpoint | None:
    """The checkpoint of the largest size."""
    return session.scalar(select(Checkpoint).order_by(Checkpoint.size.desc()).limit(1))


def checkpoint_for(session: Session, size: int) -> str:
    """The signed note of `size`: the stored one (with cosignatures) or a fresh signature."""
    stored = session.scalar(select(Checkpoint).where(Checkpoint.size == size))
    return stored.note if stored is not None else checkpoint_note(session, size)[0]


@dataclass(frozen=True)
class Proof:
    """A proof and the checkpoint(s) it is relative to."""

    hashes: list[bytes]
    checkpoint: str
    first_checkpoint: str | None = None

    def b64(self) -> list[str]:
        """Proof hashes in base64, as RFC 9162 clients expect."""
        return [base64.b64encode(h).decode() for h in self.hashes]


def _tree(session: Session, size: int | None, *, within: int | None = None) -> tuple[int, str]:
    """Validate a tree size and return it with its signed note, in one query when a checkpoint of that size is stored.

    `within`: a size already known to exist, so a smaller one needs no further check.
    """
    query = select(Checkpoint.size, Checkpoint.note)
    row = session.execute(
        query.order_by(Checkpoint.size.desc()).limit(1) if size is None else query.where(Checkpoint.size == size)
    ).first()
    if row is not None:
        return int(row[0]), str(row[1])
    current = within if within is not None else session.scalar(select(func.max(Checkpoint.size))) or 0
    if size is None or not 0 < size <= current:
        raise LogError(f"The tree size must be between 1 and {current}.", field="size", code="bad_size")
    return size, checkpoint_note(session, size)[0]


def inclusion(session: Session, index: int, size: int | None = None) -> Proof:
    """Inclusion proof of entry `index` in the tree of `size` (default: latest), with its checkpoint."""
    size, note = _tree(session, size)
    if not 0 <= index < size:
        raise LogError(f"Entry {index} is not in a tree of size {size}.", field="index", code="bad_index")
    return Proof(merkle.inclusion_proof(DbNodeStore(session, size), index, size), note)


def consistency(session: Session, first: int, second: int | None = None) -> Proof:
    """Consistency proof from tree size `first` to `second` (default: latest), with both checkpoints."""
    second, note = _tree(session, second)
    if not 0 < first <= second:
        raise LogError(f"The first size must be between 1 and {second}.", field="first", code="bad_size")
    plan = merkle.consistency_plan(first, second)
    stored = session.scalar(select(Checkpoint.note).where(Checkpoint.size == first))
    if stored is not None:
        return Proof(merkle.resolve(DbNodeStore(session, second), plan), note, stored)
    # No stored checkpoint of `first`: fetch its root's nodes with the proof's, in the same query, and sign it.
    *hashes, first_root = merkle.resolve(DbNodeStore(session, second), [*plan, merkle.subtree_keys(0, first)])
    return Proof(hashes, note, _sign_root(session, first, first_root))


def get_entry(session: Session, index: int) -> LogEntry | None:
    """The log entry at `index`, or None."""
    return session.get(LogEntry, index)


def witness_rows(session: Session, *, current: bool = True) -> list[NoteKey]:
    """The registered witness keys, oldest first: the current one per participant, or (`current=False`) every
    key that ever signed, with its validity period."""
    query = select(NoteKey).where(NoteKey.role == "witness")
    if current:
        query = query.where(NoteKey.not_after.is_(None))
    return list(session.scalars(query.order_by(NoteKey.id)))
