"""`kakehashi log verify`: recompute the whole log from the database and report every discrepancy.

Checks: entries are contiguous from 0, each entry's bytes are canonical, agree with its columns and
hash to its leaf hash; every stored subtree node equals its recomputation, level by level (so a
deleted, edited or reordered row shows up); every checkpoint is signed by the log key, its root is
the recomputed root of its size and its cosignatures verify; every concluded instrument and every
registered key matches the log entry that recorded it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import orjson
from sqlalchemy import Text, select, type_coerce
from sqlalchemy.orm import Session

from kakehashi.agreement import merkle
from kakehashi.agreement.canonical import NotCanonicalError, canonicalize, parse_canonical
from kakehashi.agreement.checkpoint import Checkpoint as CheckpointBody
from kakehashi.agreement.checkpoint import NoteError, NoteKey, parse_vkey, verify_checkpoint
from kakehashi.agreement.models import Checkpoint, Cosignature, Instrument, LogEntry, LogNode, SignerKey
from kakehashi.agreement.models import NoteKey as NoteKeyRow
from kakehashi.agreement.queries import instrument_log_payload, key_log_payload
from kakehashi.agreement.transparency import stamp

MAX_REPORTED = 50


@dataclass
class LogReport:
    """What `verify_log` found: entries checked, recomputed root, and every problem."""

    size: int = 0
    root: bytes = merkle.EMPTY_ROOT
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing was found wrong."""
        return not self.problems

    def add(self, problem: str) -> None:
        """Record a problem (the first MAX_REPORTED verbatim)."""
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(problem)
        elif len(self.problems) == MAX_REPORTED:
            self.problems.append("… further problems not listed")


def _entry_problem(index: int, kind: str, raw: bytes, leaf: bytes, leaf_stored: bytes, appended: str) -> str | None:
    if leaf != leaf_stored:
        return f"entry {index}: its bytes do not hash to its stored leaf hash"
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return f"entry {index}: its bytes are not JSON"
    if not isinstance(parsed, dict) or parsed.get("kind") != kind or parsed.get("appended_at") != appended:
        return f"entry {index}: its kind or time column disagrees with its bytes"
    return None


def _instant(raw: object) -> dt.datetime:
    """A timestamp column read raw: a datetime (PostgreSQL) or the stored text (SQLite, UTC without offset)."""
    value = raw if isinstance(raw, dt.datetime) else dt.datetime.fromisoformat(str(raw))
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def _recompute(session: Session, report: LogReport) -> merkle.MemoryNodeStore:
    leaves: list[bytes] = []
    # Raw reads (no ORM, no per-row datetime parsing): a batch shares one timestamp, so convert each once.
    stamps: dict[object, str] = {}
    columns = select(LogEntry.index, LogEntry.kind, LogEntry.data, LogEntry.leaf_hash, type_coerce(LogEntry.appended_at, Text))
    rows = session.connection().execute(columns.order_by(LogEntry.index).execution_options(yield_per=20_000))
    for index, kind, data, stored, appended_raw in rows:
        if index != len(leaves):
            report.add(f"entries {len(leaves)}..{index - 1} are missing")
            leaves.extend(merkle.EMPTY_ROOT for _ in range(index - len(leaves)))
        if appended_raw not in stamps:
            stamps[appended_raw] = stamp(_instant(appended_raw))
        raw = data.encode()
        leaf = merkle.leaf_hash(raw)
        problem = _entry_problem(index, kind, raw, leaf, bytes(stored), stamps[appended_raw])
        if problem:
            report.add(problem)
        leaves.append(leaf)
    store = merkle.MemoryNodeStore()
    merkle.append_leaves(store, leaves)
    report.size = len(leaves)
    report.root = merkle.root_at(store, len(leaves))
    return store


def _compare_level(session: Session, level: int, computed: Sequence[bytes], report: LogReport) -> None:
    query = select(LogNode.index, LogNode.hash).where(LogNode.level == level).order_by(LogNode.index)
    expected = 0
    for index, digest in session.connection().execute(query.execution_options(yield_per=20_000)):
        if index >= len(computed):
            report.add(f"node ({level}, {index}) exists but no entries make it")
            continue
        if index != expected:
            report.add(f"nodes ({level}, {expected}..{index - 1}) are missing")
        if bytes(digest) != computed[index]:
            report.add(f"node ({level}, {index}) differs from its recomputation")
        expected = index + 1
    if expected < len(computed):
        report.add(f"nodes ({level}, {expected}..{len(computed) - 1}) are missing")


def _verify_note(note: str, logs: Sequence[NoteKey], witnesses: Sequence[NoteKey]) -> CheckpointBody:
    failure = NoteError("no log key is registered")
    for key in logs:
        try:
            return verify_checkpoint(note, key, witnesses)
        except NoteError as exc:
            failure = exc
    raise failure


def _check_checkpoints(session: Session, store: merkle.MemoryNodeStore, report: LogReport) -> None:
    rows = session.scalars(select(NoteKeyRow)).all()
    logs = [parse_vkey(r.vkey) for r in rows if r.role == "log"]
    witnesses = {r.participant_code: parse_vkey(r.vkey) for r in rows if r.role == "witness"}
    cosigned: dict[int, list[str]] = {}
    for checkpoint_id, participant in session.execute(select(Cosignature.checkpoint_id, Cosignature.participant_code)):
        cosigned.setdefault(checkpoint_id, []).append(participant)
    for checkpoint in session.scalars(select(Checkpoint).order_by(Checkpoint.size)):
        report.checkpoints += 1
        required = [witnesses[c] for c in cosigned.get(checkpoint.id, []) if c in witnesses]
        try:
            body = _verify_note(checkpoint.note, logs, required)
        except NoteError as exc:
            report.add(f"checkpoint {checkpoint.size}: {exc}")
            continue
        if body.size != checkpoint.size or body.root_hash != bytes(checkpoint.root_hash):
            report.add(f"checkpoint {checkpoint.size}: its columns disagree with its signed note")
        elif body.size > report.size:
            report.add(f"checkpoint {checkpoint.size}: the log holds only {report.size} entries")
        elif merkle.root_at(store, body.size) != body.root_hash:
            report.add(f"checkpoint {checkpoint.size}: the entries do not produce its signed root")


def _payloads(session: Session, kind: str) -> dict[int, dict[str, object]]:
    found: dict[int, dict[str, object]] = {}
    for entry in session.scalars(select(LogEntry).where(LogEntry.kind == kind)):
        try:
            payload = parse_canonical(entry.data.encode()).get("payload")
        except NotCanonicalError:
            continue  # already reported by the entry checks
        if isinstance(payload, dict):
            found[entry.index] = payload
    return found


def _check_instruments(session: Session, report: LogReport) -> None:
    logged = _payloads(session, "agreement.instrument")
    rows = {i.log_index: i for i in session.scalars(select(Instrument).where(Instrument.log_index.is_not(None)))}
    for index, payload in logged.items():
        instrument = rows.pop(index, None)
        if instrument is None or payload.get("instrument_id") != instrument.id:
            report.add(f"log entry {index}: the instrument it records is missing or renumbered")
        elif canonicalize(payload) != canonicalize(instrument_log_payload(session, instrument, str(payload.get("agreement")))):
            report.add(f"instrument {instrument.id}: its payload, signatures or signing times differ from log entry {index}")
    for missing, instrument in rows.items():
        report.add(f"instrument {instrument.id}: log entry {missing} does not record it")


def _check_keys(session: Session, report: LogReport) -> None:
    registered = _payloads(session, "agreement.key.registered")
    revoked = {str(p.get("kid")): i for i, p in _payloads(session, "agreement.key.revoked").items()}
    keys = {k.kid: k for k in session.scalars(select(SignerKey))}
    for index, payload in registered.items():
        key = keys.get(str(payload.get("kid")))
        if key is None or key.log_index != index or canonicalize(payload) != canonicalize(key_log_payload(key)):
            report.add(f"key {payload.get('kid')}: its row differs from log entry {index}")
    for kid, key in keys.items():
        if key.log_index is None or key.log_index not in registered:
            report.add(f"key {kid}: no log entry records its registration")
        if (key.revoked_at is not None) != (kid in revoked) or key.revocation_log_index != revoked.get(kid):
            report.add(f"key {kid}: its revocation differs from the log")


def verify_log(session: Session) -> LogReport:
    """Recompute the whole log and cross-check every logged record; never raises for bad data."""
    report = LogReport()
    store = _recompute(session, report)
    # Level 0 is the entries' own leaf_hash (checked above); one level above the top catches stray nodes.
    for level in range(1, report.size.bit_length() + 1):
        _compare_level(session, level, store.level(level), report)
    _check_checkpoints(session, store, report)
    _check_instruments(session, report)
    _check_keys(session, report)
    return report
