"""Witnesses: each participant cosigns checkpoints, so the operator cannot show the two sides
different histories. A witness only cosigns a checkpoint consistent with the last one it cosigned.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.agreement import jws, merkle_verify, transparency
from kakehashi.agreement.checkpoint import (
    COSIGNATURE_V1,
    NoteError,
    NoteSigner,
    parse_vkey,
    split_note,
    verify_checkpoint,
)
from kakehashi.agreement.errors import AgreementNotFound, KeyRejected, LogError
from kakehashi.agreement.models import Checkpoint, Cosignature, NoteKey
from kakehashi.kernel import audit
from kakehashi.kernel.authz import SYSTEM, Actor, require
from kakehashi.kernel.i18n import N_

WITNESS_NAMES = {"METI": "meti.go.jp/kakehashi-witness", "MEITY": "meity.gov.in/kakehashi-witness"}
SIDES = {"METI": "JP", "MEITY": "IN"}


def witness_key(session: Session, participant: str) -> NoteKey | None:
    """The participant's current witness key (the one with no end of validity)."""
    query = select(NoteKey).where(
        NoteKey.role == "witness", NoteKey.participant_code == participant, NoteKey.not_after.is_(None)
    )
    return session.scalar(query.order_by(NoteKey.id.desc()).limit(1))


def key_at(history: dict[str, list[NoteKey]], participant: str, instant: dt.datetime) -> NoteKey | None:
    """The participant's witness key in force at `instant`, from `witness_history`."""
    for row in reversed(history.get(participant, [])):
        if row.valid_at(instant):
            return row
    return None


def cosigning_keys(session: Session, checkpoint: Checkpoint) -> list[NoteKey]:
    """The witness keys that made a checkpoint's cosignatures (each the key in force when it cosigned)."""
    history = witness_history(session)
    found = []
    for cosignature in session.scalars(select(Cosignature).where(Cosignature.checkpoint_id == checkpoint.id)):
        row = key_at(history, cosignature.participant_code, cosignature.created_at)
        if row is not None:
            found.append(row)
    return found


def witness_history(session: Session) -> dict[str, list[NoteKey]]:
    """Every witness key that ever signed, by participant, oldest first (rotated keys are kept)."""
    found: dict[str, list[NoteKey]] = {}
    for row in session.scalars(select(NoteKey).where(NoteKey.role == "witness").order_by(NoteKey.id)):
        found.setdefault(row.participant_code or "", []).append(row)
    return found


def add_witness(session: Session, participant: str, vkey: str, *, now: dt.datetime, private_pem: str | None = None) -> NoteKey:
    """Register a participant's cosignature/v1 verifier key (`private_pem` only for demo witnesses).

    A new key replaces the participant's current one from `now` on (rotation): the old key is kept with
    its validity period ending now, so the cosignatures it made still verify.
    """
    try:
        key = parse_vkey(vkey)
    except NoteError as exc:
        raise KeyRejected(N_("The witness key is not a valid verifier key."), field="vkey") from exc
    if key.sig_type != COSIGNATURE_V1:
        raise KeyRejected(N_("A witness key must be a cosignature/v1 (type 0x04) key."), field="vkey")
    if session.scalar(select(NoteKey.id).where(NoteKey.vkey == vkey)) is not None:
        raise KeyRejected(N_("This witness key is already registered."), field="vkey")
    previous = witness_key(session, participant)
    if previous is not None:
        previous.not_after = now
    row = NoteKey(
        role="witness",
        participant_code=participant,
        vkey=vkey,
        private_pem=private_pem,
        demo=private_pem is not None,
        created_at=now,
        not_before=now,
    )
    session.add(row)
    session.flush()
    return row


def add_demo_witness(session: Session, participant: str, *, now: dt.datetime) -> NoteKey:
    """DEMO ONLY: a witness whose private key the platform holds, so the demo shows cosignatures."""
    private = jws.generate_key()
    signer = NoteSigner(WITNESS_NAMES[participant], private, COSIGNATURE_V1)
    return add_witness(session, participant, signer.key.vkey(), now=now, private_pem=jws.private_key_to_pem(private).decode())


def record_cosignature(session: Session, size: int, line: str, *, actor: Actor, now: dt.datetime) -> Cosignature:
    """Store a participant's cosignature line for the checkpoint of `size` after verifying it."""
    participant = actor.ministry.value if actor.ministry else ""
    require(actor, "agreement.log.witness", side=SIDES.get(participant))
    return _store(session, participant, size, line.strip() + "\n", now=now)


def _store(session: Session, participant: str, size: int, line: str, *, now: dt.datetime) -> Cosignature:
    row = witness_key(session, participant)
    if row is None:
        raise KeyRejected(N_("This participant has no witness key registered."), code="no_witness")
    checkpoint = session.scalar(select(Checkpoint).where(Checkpoint.size == size))
    if checkpoint is None:
        raise AgreementNotFound(N_("No checkpoint of this size."), field="size")
    key = parse_vkey(row.vkey)
    try:
        verify_checkpoint(checkpoint.note + line, transparency.log_verifier_key(session), [key])
        _, signatures = split_note(checkpoint.note + line)
    except NoteError as exc:
        raise LogError(str(exc), field="signature", code="bad_cosignature") from exc
    if session.scalar(
        select(Cosignature).where(Cosignature.checkpoint_id == checkpoint.id, Cosignature.participant_code == participant)
    ):
        raise LogError(N_("This participant has already cosigned this checkpoint."), code="duplicate")
    cosignature = Cosignature(
        checkpoint_id=checkpoint.id,
        participant_code=participant,
        key_name=key.name,
        timestamp=signatures[-1].timestamp(),
        line=line,
        created_at=now,
    )
    checkpoint.note += line
    session.add(cosignature)
    session.flush()
    return cosignature


def last_cosigned(session: Session, participant: str) -> Checkpoint | None:
    """The largest checkpoint this participant has cosigned."""
    query = (
        select(Checkpoint)
        .join(Cosignature, Cosignature.checkpoint_id == Checkpoint.id)
        .where(Cosignature.participant_code == participant)
        .order_by(Checkpoint.size.desc())
        .limit(1)
    )
    return session.scalar(query)


def cosign_with_demo_witnesses(session: Session, *, now: dt.datetime) -> list[Cosignature]:
    """DEMO ONLY (a job): each demo witness checks consistency with what it cosigned last, then cosigns."""
    latest = transparency.latest_checkpoint(session)
    made: list[Cosignature] = []
    current = select(NoteKey).where(NoteKey.role == "witness", NoteKey.demo.is_(True), NoteKey.not_after.is_(None))
    for row in session.scalars(current.order_by(NoteKey.id)):
        if latest is None or row.private_pem is None or row.participant_code is None:
            continue
        previous = last_cosigned(session, row.participant_code)
        if previous is not None and previous.size >= latest.size:
            continue
        if previous is not None:
            proof = transparency.consistency(session, previous.size, latest.size)
            merkle_verify.verify_consistency(
                previous.size, latest.size, proof.hashes, bytes(previous.root_hash), bytes(latest.root_hash)
            )
        signer = NoteSigner(parse_vkey(row.vkey).name, jws.load_private_key(row.private_pem.encode()), COSIGNATURE_V1)
        line = signer.signature_line(split_note(latest.note)[0], int(now.timestamp()))
        made.append(_store(session, row.participant_code, latest.size, line, now=now))
        audit.record(
            session,
            SYSTEM,
            "agreement.log.cosign",
            target_type="agreement_checkpoint",
            target_id=latest.size,
            details={"participant": row.participant_code},
        )
    return made
