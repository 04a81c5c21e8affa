"""`kakehashi log verify`: recompute the whole log from the database and report every discrepancy.

Checks: entries are contiguous from 0, each entry's bytes are canonical, agree with its columns and
hash to its leaf hash; every stored subtree node equals its recomputation, level by level (so a
deleted, edited or reordered row shows up); every checkpoint is signed by the log key, its root is
the recomputed root of its size and each cosignature verifies with the witness key in force when it was
made (rotated keys are kept); every checkpoint published outside the database (the checkpoint file, or
one a witness kept) is no larger than the log and its root is what the entries produce (so a truncated
log shows); every concluded instrument and every registered key matches the log entry that recorded it;
and every fact another context logged matches the rows that claim it (see facts.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import orjson
from sqlalchemy import Text, select, type_coerce
from sqlalchemy.orm import Session

from kakehashi.agreement import facts, merkle, witnessing
from kakehashi.agreement.canonical import NotCanonicalError, canonicalize, parse_canonical
from kakehashi.agreement.checkpoint import Checkpoint as CheckpointBody
from kakehashi.agreement.checkpoint import NoteError, NoteKey, parse_checkpoint, parse_vkey, split_note, verify_checkpoint
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
    published: int = 0
    sources: list[str] = field(default_factory=list)
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


def _check_checkpoints(session: Session, store: merkle.MemoryNodeStore, report: LogReport) -> set[str]:
    """Check the stored checkpoints; return the bodies that verified (published copies of them need no re-check)."""
    rows = session.scalars(select(NoteKeyRow)).all()
    logs = [parse_vkey(r.vkey) for r in rows if r.role == "log"]
    history = witnessing.witness_history(session)
    cosigned: dict[int, list[tuple[str, dt.datetime]]] = {}
    for checkpoint_id, participant, made in session.execute(
        select(Cosignature.checkpoint_id, Cosignature.participant_code, Cosignature.created_at)
    ):
        cosigned.setdefault(checkpoint_id, []).append((participant, made))
    verified: set[str] = set()
    for checkpoint in session.scalars(select(Checkpoint).order_by(Checkpoint.size)):
        report.checkpoints += 1
        required = []
        for participant, made in cosigned.get(checkpoint.id, []):
            key = witnessing.key_at(history, participant, made)
            if key is None:
                report.add(f"checkpoint {checkpoint.size}: no witness key of {participant} was in force when it "
                           f"cosigned ({stamp(made)})")
            else:
                required.append(parse_vkey(key.vkey))
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
        else:
            verified.add(split_note(checkpoint.note)[0])
    return verified


def _check_published(session: Session, notes: Sequence[str], verified: set[str], store: merkle.MemoryNodeStore,
                     report: LogReport) -> None:
    """Checkpoints kept outside the database: each must be signed by the log and agree with today's entries."""
    logs = [parse_vkey(r.vkey) for r in session.scalars(select(NoteKeyRow).where(NoteKeyRow.role == "log"))]
    seen: set[str] = set()
    for note in notes:
        report.published += 1
        try:
            text = split_note(note)[0]
        except NoteError as exc:
            report.add(f"published checkpoint: {exc}")
            continue
        if text in seen:
            continue
        seen.add(text)
        try:
            body = _verify_note(note, logs, []) if text not in verified else parse_checkpoint(text)
        except NoteError as exc:
            report.add(f"published checkpoint: {exc} (is the log key replaced, or is the file another database's?)")
            continue
        if body.size > report.size:
            report.add(f"published checkpoint of size {body.size}: the log holds only {report.size} entries: "
                       f"entries {report.size}..{body.size - 1} were removed (the log was truncated)")
        elif merkle.root_at(store, body.size) != body.root_hash:
            report.add(f"published checkpoint of size {body.size}: the entries do not produce its root "
                       "(the log was rewritten)")


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
            continue
        if instrument.status != "concluded":
            report.add(f"log entry {index}: instrument {instrument.id} ({instrument.type}): its status is "
                       f"{instrument.status!r} in the database, but the log records it concluded and no entry "
                       "records a change")
        if canonicalize(payload) != canonicalize(instrument_log_payload(session, instrument, str(payload.get("agreement")))):
            report.add(f"instrument {instrument.id}: its payload, signatures or signing times differ from log entry {index}")
    for missing, instrument in rows.items():
        report.add(f"instrument {instrument.id}: log entry {missing} does not record it")
    unlogged = select(Instrument.id, Instrument.type).where(Instrument.status == "concluded", Instrument.log_index.is_(None))
    for instrument_id, kind in session.execute(unlogged):
        report.add(f"instrument {instrument_id} ({kind}): its status is 'concluded' in the database, but no log "
                   "entry records its conclusion")


def _check_facts(session: Session, sources: Sequence[facts.FactSource], report: LogReport) -> None:
    """Compare what each registered context's entries state with what its rows show today."""
    if not sources:
        return
    by_source: dict[str, list[facts.LoggedEntry]] = {s.name: [] for s in sources}
    query = select(LogEntry.index, LogEntry.kind, LogEntry.data).order_by(LogEntry.index)
    for index, kind, data in session.connection().execute(query.execution_options(yield_per=20_000)):
        source = next((s for s in sources if s.covers(kind)), None)
        if source is None:
            continue
        try:
            payload = orjson.loads(data).get("payload")
        except (orjson.JSONDecodeError, AttributeError):
            continue  # already reported by the entry checks
        if isinstance(payload, dict):
            by_source[source.name].append(facts.LoggedEntry(int(index), str(kind), payload))
    for source in sources:
        entries = by_source[source.name]
        stated = [fact for entry in entries for fact in source.stated(entry)]
        for problem in facts.compare(stated, source.current(session, entries)):
            report.add(f"{source.name}: {problem}")
        report.sources.append(source.name)


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


def verify_log(session: Session, *, published: Sequence[str] = (),
               sources: Sequence[facts.FactSource] | None = None) -> LogReport:
    """Recompute the whole log and cross-check every logged record; never raises for bad data.

    `published`: signed checkpoint notes kept outside the database (the checkpoint file, witnesses' copies).
    `sources`: the contexts' fact sources (default: those registered at start-up).
    """
    report = LogReport()
    store = _recompute(session, report)
    # Level 0 is the entries' own leaf_hash (checked above); one level above the top catches stray nodes.
    for level in range(1, report.size.bit_length() + 1):
        _compare_level(session, level, store.level(level), report)
    verified = _check_checkpoints(session, store, report)
    _check_published(session, published, verified, store, report)
    _check_instruments(session, report)
    _check_keys(session, report)
    _check_facts(session, facts.fact_sources() if sources is None else sources, report)
    return report
