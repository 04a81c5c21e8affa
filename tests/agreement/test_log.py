"""The transparency log in the database: appends, proofs with checkpoints, witnesses, and tamper detection."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from kakehashi import agreement
from kakehashi.agreement import merkle, transparency, witnessing
from kakehashi.agreement.checkpoint import parse_checkpoint, parse_vkey, split_note, verify_checkpoint
from kakehashi.agreement.errors import LogError
from kakehashi.agreement.merkle_verify import verify_consistency, verify_inclusion
from kakehashi.agreement.models import Checkpoint, Instrument, LogEntry, LogNode, Signature, SignerKey
from tests.agreement.conftest import Ledger

NOW = dt.datetime(2026, 1, 5, 3, tzinfo=dt.UTC)


def fill(db: Session, count: int) -> list[LogEntry]:
    return [agreement.append_to_log(db, "test.event", {"n": n}) for n in range(count)]


def test_each_append_is_a_leaf_and_a_signed_checkpoint(db: Session) -> None:
    entries = fill(db, 5)
    assert [e.index for e in entries] == [0, 1, 2, 3, 4]
    checkpoint = transparency.latest_checkpoint(db)
    assert checkpoint is not None and checkpoint.size == 5
    body = verify_checkpoint(checkpoint.note, transparency.log_verifier_key(db))
    assert body.root_hash == merkle.root_from_leaves(e.leaf_hash for e in entries)[1]


def test_a_batch_append_signs_one_checkpoint(db: Session) -> None:
    agreement.append_many(db, [("test.event", {"n": n}) for n in range(7)])
    assert db.scalars(select(Checkpoint.size)).all() == [7]


def test_inclusion_proofs_verify_against_the_checkpoint_served_with_them(db: Session) -> None:
    entries = fill(db, 11)
    for size in (1, 6, 11):
        for index in range(size):
            proof = transparency.inclusion(db, index, size)
            body = verify_checkpoint(proof.checkpoint, transparency.log_verifier_key(db))
            assert body.size == size
            verify_inclusion(entries[index].leaf_hash, index, size, proof.hashes, body.root_hash)


def test_consistency_proofs_link_two_checkpoints(db: Session) -> None:
    fill(db, 13)
    key = transparency.log_verifier_key(db)
    for first in range(1, 14):
        proof = transparency.consistency(db, first, 13)
        assert proof.first_checkpoint is not None
        old = verify_checkpoint(proof.first_checkpoint, key)
        new = verify_checkpoint(proof.checkpoint, key)
        verify_consistency(first, 13, proof.hashes, old.root_hash, new.root_hash)


@pytest.mark.parametrize(("index", "size"), [(5, 5), (-1, 3), (0, 0), (0, 99)])
def test_it_refuses_proofs_outside_the_log(db: Session, index: int, size: int) -> None:
    fill(db, 5)
    with pytest.raises(LogError):
        transparency.inclusion(db, index, size)


def test_both_demo_witnesses_cosign_after_checking_consistency(db: Session) -> None:
    for code in ("METI", "MEITY"):
        witnessing.add_demo_witness(db, code, now=NOW)
    fill(db, 3)
    assert len(witnessing.cosign_with_demo_witnesses(db, now=NOW)) == 2
    fill(db, 2)
    witnessing.cosign_with_demo_witnesses(db, now=NOW + dt.timedelta(hours=1))
    latest = transparency.latest_checkpoint(db)
    assert latest is not None
    witnesses = [parse_vkey(row.vkey) for row in transparency.witness_rows(db)]
    assert verify_checkpoint(latest.note, transparency.log_verifier_key(db), witnesses).size == 5
    assert agreement.verify_log(db).ok


def test_a_clean_log_verifies(db: Session, signed: Ledger) -> None:
    fill(db, 20)
    report = agreement.verify_log(db)
    assert report.ok, report.problems
    assert report.size == 23  # two key registrations, the signature instrument, twenty events


def _one_byte(value: str) -> str:
    return value[:-2] + ("0" if value[-2] != "0" else "1") + value[-1]


TAMPERINGS = {
    "entry data": lambda db: db.execute(
        update(LogEntry).where(LogEntry.index == 7).values(data=_one_byte(db.get_one(LogEntry, 7).data))
    ),
    "entry data and leaf hash": lambda db: db.execute(
        update(LogEntry)
        .where(LogEntry.index == 7)
        .values(
            data=db.get_one(LogEntry, 7).data.replace('"n":4', '"n":5'),
            leaf_hash=merkle.leaf_hash(db.get_one(LogEntry, 7).data.replace('"n":4', '"n":5').encode()),
        )
    ),
    "leaf hash": lambda db: db.execute(update(LogEntry).where(LogEntry.index == 7).values(leaf_hash=bytes(32))),
    "kind column": lambda db: db.execute(update(LogEntry).where(LogEntry.index == 7).values(kind="test.other")),
    "node": lambda db: db.execute(
        update(LogNode)
        .where(LogNode.level == 2, LogNode.index == 1)
        .values(hash=bytes([db.get_one(LogNode, (2, 1)).hash[0] ^ 1]) + db.get_one(LogNode, (2, 1)).hash[1:])
    ),
    "deleted entry": lambda db: db.execute(delete(LogEntry).where(LogEntry.index == 7)),
    "deleted last entry and its nodes": lambda db: (
        db.execute(delete(LogEntry).where(LogEntry.index == 22)),
        db.execute(delete(LogNode).where(LogNode.level == 0, LogNode.index == 22)),
    ),
    "reordered entries": lambda db: _swap(db, 5, 6),
    "checkpoint note": lambda db: db.execute(
        update(Checkpoint)
        .where(Checkpoint.size == 10)
        .values(note=db.scalar(select(Checkpoint.note).where(Checkpoint.size == 10)).replace("\n10\n", "\n11\n"))
    ),
    "instrument payload": lambda db: db.execute(
        update(Instrument).values(payload=db.scalar(select(Instrument.payload)).replace("Memorandum", "Memorandun"))
    ),
    "signature": lambda db: db.execute(
        update(Signature)
        .where(Signature.participant_code == "MEITY")
        .values(signature=_one_byte(db.scalar(select(Signature.signature).where(Signature.participant_code == "MEITY"))))
    ),
    "un-revoked key": lambda db: db.execute(update(SignerKey).values(revoked_at=None, revocation_log_index=None)),
    "key material": lambda db: db.execute(
        update(SignerKey)
        .where(SignerKey.participant_code == "METI")
        .values(jwk={**db.scalar(select(SignerKey.jwk).where(SignerKey.participant_code == "METI")), "x": "A" * 43})
    ),
}


def _swap(db: Session, a: int, b: int) -> None:
    first, second = db.get_one(LogEntry, a), db.get_one(LogEntry, b)
    values = [(e.data, e.leaf_hash, e.kind) for e in (first, second)]
    db.execute(update(LogEntry).where(LogEntry.index == a).values(data=values[1][0], leaf_hash=values[1][1]))
    db.execute(update(LogEntry).where(LogEntry.index == b).values(data=values[0][0], leaf_hash=values[0][1]))


@pytest.mark.parametrize("tampering", list(TAMPERINGS))
def test_log_verify_detects_a_row_edited_behind_the_platforms_back(db: Session, signed: Ledger, tampering: str) -> None:
    fill(db, 19)
    key = db.scalar(select(SignerKey).where(SignerKey.participant_code == "MEITY"))
    assert key is not None
    from kakehashi.agreement import services

    services.revoke_key(db, key.kid, actor=signed.meity.user.actor(), reason="test", now=NOW)
    assert agreement.verify_log(db).ok
    TAMPERINGS[tampering](db)
    db.expire_all()
    report = agreement.verify_log(db)
    assert not report.ok
    assert report.problems


def test_every_single_byte_of_every_entry_is_covered(db: Session) -> None:
    fill(db, 4)
    original = {e.index: e.data for e in db.scalars(select(LogEntry))}
    for index, data in original.items():
        for position in range(0, len(data), 7):
            flipped = data[:position] + chr(ord(data[position]) ^ 1) + data[position + 1 :]
            db.execute(update(LogEntry).where(LogEntry.index == index).values(data=flipped))
            db.expire_all()
            assert not agreement.verify_log(db).ok, (index, position)
        db.execute(update(LogEntry).where(LogEntry.index == index).values(data=data))
    db.expire_all()
    assert agreement.verify_log(db).ok


def test_a_forged_checkpoint_signed_by_another_key_is_detected(db: Session) -> None:
    fill(db, 3)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kakehashi.agreement.checkpoint import Checkpoint as Body
    from kakehashi.agreement.checkpoint import NoteSigner

    forger = NoteSigner(transparency.LOG_ORIGIN, Ed25519PrivateKey.generate())
    body = parse_checkpoint(split_note(db.scalar(select(Checkpoint.note).where(Checkpoint.size == 3)))[0])
    db.execute(
        update(Checkpoint)
        .where(Checkpoint.size == 3)
        .values(note=Body(body.origin, 3, bytes(32)).sign(forger), root_hash=bytes(32))
    )
    db.expire_all()
    report = agreement.verify_log(db)
    assert any("checkpoint 3" in p for p in report.problems)


def test_entries_record_kind_payload_and_time_canonically(db: Session) -> None:
    entry = agreement.append_to_log(db, "exchange.decision", {"grant": 7, "allowed": True})
    assert json.loads(entry.data)["payload"] == {"allowed": True, "grant": 7}
    assert entry.leaf_hash == merkle.leaf_hash(entry.data.encode())
