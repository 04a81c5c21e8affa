"""An instrument's "original": one self-contained file each party keeps, verifiable offline.

The file holds the signed instrument (General JSON JWS), the public keys of its signers, the log
entries that recorded the instrument and each key's registration, one checkpoint and the inclusion
proof of each of those entries in it. `verify_original` needs nothing else: no network, no database.
Pin the log's and the witnesses' verifier keys (`log_key`, `witness_keys`) to check the checkpoint
against keys obtained out of band; otherwise the file's own are used and the report says so.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from kakehashi.agreement import instruments, merkle
from kakehashi.agreement.canonical import NotCanonicalError, canonicalize, parse_canonical
from kakehashi.agreement.checkpoint import NoteError, parse_vkey, verify_checkpoint
from kakehashi.agreement.merkle_verify import ProofError, verify_inclusion

FORMAT = "kakehashi-original/1"


@dataclass
class OriginalReport:
    """Each check of an original, passed or failed, in order."""

    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return not self.failed and bool(self.passed)


def _b64(value: Any) -> bytes:
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64") from exc


def _check_logged(
    item: dict[str, Any], what: str, checkpoint_root: bytes, size: int, report: OriginalReport
) -> dict[str, Any] | None:
    """Check one logged entry's inclusion; return its payload."""
    try:
        data = str(item["entry"]).encode()
        proof = [_b64(h) for h in item["inclusion_proof"]]
        verify_inclusion(merkle.leaf_hash(data), int(item["index"]), size, proof, checkpoint_root)
        payload = parse_canonical(data)["payload"]
    except (KeyError, TypeError, ValueError, ProofError, NotCanonicalError) as exc:
        report.failed.append(f"{what}: log entry {item.get('index')} is not in the checkpoint ({exc})")
        return None
    report.passed.append(f"{what}: log entry {item['index']} is included in the checkpoint")
    return payload if isinstance(payload, dict) else None


def _checkpoint(
    doc: dict[str, Any], log_key: str | None, witness_keys: list[str] | None, report: OriginalReport
) -> tuple[bytes, int] | None:
    """Verify the checkpoint: the log's signature, then cosignatures (all pinned ones are required)."""
    log = doc.get("log", {})
    note = str(log.get("checkpoint", ""))
    try:
        key = parse_vkey(log_key or str(log.get("log_key", "")))
        pinned = [parse_vkey(v) for v in witness_keys or []]
        body = verify_checkpoint(note, key, pinned)
    except NoteError as exc:
        report.failed.append(f"checkpoint: {exc}")
        return None
    if log_key is None:
        report.notes.append("the log key was taken from the file itself; pass the log's published key to pin it")
    report.passed.append(f"checkpoint of size {body.size} is signed by the log {key.name}")
    report.passed.extend(f"checkpoint is cosigned by witness {w.name}" for w in pinned)
    if witness_keys is None:
        for vkey in log.get("witness_keys", []):
            try:
                witness = parse_vkey(str(vkey))
                verify_checkpoint(note, key, [witness])
                report.passed.append(f"checkpoint is cosigned by witness {witness.name} (key from the file)")
            except NoteError as exc:
                report.notes.append(f"witness cosignature not confirmed: {exc}")
    return body.root_hash, body.size


def verify_original(doc: dict[str, Any], *, log_key: str | None = None, witness_keys: list[str] | None = None) -> OriginalReport:
    """Check an original completely offline; every finding is a sentence in the report."""
    report = OriginalReport()
    if doc.get("format") != FORMAT:
        report.failed.append(f"the file is not a {FORMAT} document")
        return report
    anchor = _checkpoint(doc, log_key, witness_keys, report)
    if anchor is None:
        return report
    root, size = anchor
    keys: dict[str, instruments.SignerKey] = {}
    for item in doc.get("keys", []):
        payload = _check_logged(item, f"key {item.get('kid')}", root, size, report)
        if payload is None or payload.get("kid") != item.get("kid"):
            continue
        revoked = item.get("revoked_at")
        keys[str(payload["kid"])] = instruments.SignerKey(
            str(payload["kid"]),
            str(payload["participant"]),
            str(payload["label"]),
            payload["jwk"],
            dt.datetime.fromisoformat(revoked) if revoked else None,
            bool(payload.get("demo")),
        )
    logged = _check_logged(doc.get("instrument", {}), "instrument", root, size, report)
    jws_document = doc.get("instrument", {}).get("jws", {})
    if logged is not None and canonicalize(logged.get("jws")) != canonicalize(jws_document):
        report.failed.append("instrument: the signed document differs from the one the log recorded")
    concluded = doc.get("instrument", {}).get("concluded_at")
    result = instruments.verify_instrument(
        jws_document, keys, list(doc.get("participants", [])), at=dt.datetime.fromisoformat(concluded) if concluded else None
    )
    for verdict in result.signatures:
        line = f"signature {verdict.position + 1} by {verdict.participant or '?'} (kid {verdict.kid})"
        (report.passed if verdict.valid else report.failed).append(f"{line}: {verdict.reason}")
    report.failed.extend(result.problems + [f"no valid signature by {p}" for p in sorted(result.missing)])
    if result.complete:
        report.passed.append(f"signed by every required party: {', '.join(sorted(result.required))}")
    if any(key.demo for key in keys.values()):
        report.notes.append("DEMO keys signed this instrument: the platform held them; it is not evidence")
    return report


def load_original(text: str) -> dict[str, Any]:
    """Parse an original's JSON; raise ValueError with a reason."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the file is not JSON: {exc.msg}") from exc
    if not isinstance(value, dict):
        raise ValueError("the file is not a JSON object")
    return value
