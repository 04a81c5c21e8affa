"""Use cases of the agreement ledger: draft and sign instruments, register and revoke keys.

Each function takes the session, plain values and keyword-only `actor`/`now`; none commits. A
rejected instrument or signature raises before anything is appended to the log, and the entry
point rolls the transaction back, so nothing is stored either.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.agreement import instruments as checks
from kakehashi.agreement import jws, lifecycle, queries
from kakehashi.agreement.canonical import canonicalize, sha256_hex
from kakehashi.agreement.errors import (
    AlreadyConcluded,
    AlreadySigned,
    InstrumentRejected,
    KeyRejected,
    LifecycleRejected,
)
from kakehashi.agreement.instrument_types import REGISTRY, InvalidPayload, UnknownInstrumentType, parse_payload
from kakehashi.agreement.models import Agreement, DemoKey, Instrument, Participant, Signature, SignerKey
from kakehashi.agreement.transparency import append_to_log
from kakehashi.kernel import audit
from kakehashi.kernel.authz import SYSTEM, Actor, require
from kakehashi.kernel.errors import ValidationFailed
from kakehashi.kernel.i18n import N_


def text_sha256(session: Session, agreement_id: int) -> str:
    """Digest of the signed text: canonical JSON of its (ref, text) pairs."""
    return sha256_hex(canonicalize([list(pair) for pair in queries.base_text(session, agreement_id)]))


def actor_participant(session: Session, agreement_id: int, actor: Actor) -> Participant | None:
    """The participant the actor acts for in this agreement (by ministry), if any."""
    code = actor.ministry.value if actor.ministry else None
    return next((p for p in queries.participants(session, agreement_id) if p.code == code), None)


def _complete_payload(
    session: Session, agreement: Agreement, kind: str, members: dict[str, Any], actor: Actor, now: dt.datetime
) -> dict[str, Any]:
    """Fill what the platform knows: type, agreement, a unique ref, and the defaults of each type."""
    payload = {**members, "type": kind, "agreement": agreement.slug, "ref": uuid.uuid4().hex}
    own = actor_participant(session, agreement.id, actor)
    if kind == "signature":
        payload.setdefault("title", agreement.title)
        payload.setdefault("text_sha256", text_sha256(session, agreement.id))
    if kind == "discontinuation_notice" and own is not None:
        payload.setdefault("sender", own.code)
        others = [p.code for p in queries.participants(session, agreement.id) if p.code != payload["sender"]]
        payload.setdefault("recipient", others[0] if others else "")
        payload.setdefault("notice_date", lifecycle.Party(own.code, own.zone).date_of(now).isoformat())
    if kind == "key_rotation" and own is not None:
        payload.setdefault("owner", own.code)
    return payload


def _check_draft(session: Session, agreement: Agreement, payload: dict[str, Any], actor: Actor) -> None:
    codes = queries.participant_codes(session, agreement.id)
    try:
        instrument_type, model = parse_payload(payload, codes)
    except UnknownInstrumentType as exc:
        raise InstrumentRejected(N_("Unknown instrument type."), field="type") from exc
    except InvalidPayload as exc:
        raise ValidationFailed({field or "payload": message for field, message in exc.problems}) from exc
    own = actor_participant(session, agreement.id, actor)
    if instrument_type.signed_by != "all" and actor is not SYSTEM:
        signer = str(getattr(model, instrument_type.signed_by))
        if own is None or own.code != signer:
            raise InstrumentRejected(
                N_("Only the participant who must sign this instrument can draft it."),
                field=instrument_type.signed_by,
                code="wrong_signer",
            )
    if instrument_type.name == "signature":
        if model.text_sha256 != text_sha256(session, agreement.id):  # type: ignore[attr-defined]
            raise InstrumentRejected(N_("The text digest is not the digest of this agreement's text."), field="text_sha256")
        if any(i.type == "signature" and i.status != "withdrawn" for i in queries.instruments_of(session, agreement.id)):
            raise InstrumentRejected(N_("This agreement already has a signature instrument."), code="duplicate")


def _lifecycle_check(session: Session, agreement: Agreement, candidate: Instrument | None, now: dt.datetime) -> None:
    """Rebuild the timeline as if `candidate` were concluded now; raise LifecycleRejected if it does not fit."""
    acts = queries.acts(session, agreement.id, exclude=candidate.id if candidate else None)
    simulated = _simulated_act(session, agreement, candidate, now) if candidate else None
    try:
        lifecycle.build_timeline(
            queries.parties(session, agreement.id), queries.rules_of(agreement), [*acts, simulated] if simulated else acts
        )
    except lifecycle.LifecycleError as exc:
        raise LifecycleRejected(str(exc), code=exc.code) from exc


def _simulated_act(session: Session, agreement: Agreement, instrument: Instrument, now: dt.datetime) -> lifecycle.Act | None:
    """The act `instrument` would be if every party that has not signed yet signed at `now`."""
    signed = {s.participant_code: s.received_at for s in queries.signatures_of(session, instrument.id)}
    for code in queries.participant_codes(session, agreement.id):
        signed.setdefault(code, now)
    stamps = tuple(lifecycle.Signed(code, at) for code, at in sorted(signed.items()))
    payload = queries.payload_of(instrument)
    if instrument.type == "signature":
        return lifecycle.AgreementSignature(stamps)
    if instrument.type == "renewal":
        return lifecycle.Renewal(stamps, int(payload["term_years"]))
    if instrument.type == "modification":
        changes = tuple((c["paragraph"], c["text"]) for c in payload["changes"])
        return lifecycle.Modification(stamps, dt.date.fromisoformat(payload["effective_date"]), changes)
    if instrument.type == "discontinuation_notice":
        until = payload.get("discontinuation_date")
        return lifecycle.Notice(
            payload["sender"],
            payload["recipient"],
            now,
            dt.date.fromisoformat(payload["notice_date"]),
            dt.date.fromisoformat(until) if until else None,
        )
    return None


def draft_instrument(
    session: Session, agreement_slug: str, kind: str, members: dict[str, Any], *, actor: Actor, now: dt.datetime
) -> Instrument:
    """Create an instrument awaiting signatures; its payload is validated and canonicalised here."""
    require(actor, "agreement.instrument.draft")
    agreement = queries.get_agreement(session, agreement_slug)
    payload = _complete_payload(session, agreement, kind, members, actor, now)
    _check_draft(session, agreement, payload, actor)
    data = canonicalize(payload)
    title = REGISTRY[kind].title
    instrument = Instrument(
        agreement_id=agreement.id,
        type=kind,
        title=title,
        payload=data.decode(),
        payload_sha256=sha256_hex(data),
        status="signing",
        drafted_by=actor.user_id,
        created_at=now,
    )
    session.add(instrument)
    session.flush()
    _lifecycle_check(session, agreement, instrument, now)
    audit.record(
        session,
        actor,
        "agreement.instrument.draft",
        target_type="agreement_instrument",
        target_id=instrument.id,
        details={"type": kind},
    )
    return instrument


def signing_input(instrument: Instrument, kid: str) -> str:
    """The ASCII string a signer signs: BASE64URL(protected) '.' BASE64URL(payload)."""
    protected = jws.b64url(canonicalize({"alg": jws.ALGORITHM, "kid": kid}))
    return f"{protected}.{jws.b64url(instrument.payload.encode())}"


def _key_for_signature(session: Session, entry: dict[str, Any], actor: Actor) -> SignerKey:
    kid = jws.signature_kid(entry)
    key = session.scalar(select(SignerKey).where(SignerKey.kid == kid)) if kid else None
    if key is None:
        raise KeyRejected(N_("No registered key has this kid."), field="kid")
    if actor is not SYSTEM and key.user_id != actor.user_id:
        raise KeyRejected(N_("This key belongs to another signatory."), field="kid", code="not_your_key")
    if key.revoked_at is not None:
        raise KeyRejected(N_("This key has been revoked."), field="kid", code="revoked")
    return key


def submit_signature(session: Session, instrument_id: int, entry: dict[str, Any], *, actor: Actor, now: dt.datetime) -> Signature:
    """Add one party's signature; when every required party has signed, conclude and log the instrument.

    The instrument's row is locked first (FOR UPDATE on PostgreSQL; a SQLite writer holds the database's
    write lock), so co-signers queue: each sees the signatures committed before it, and the last one, whoever
    it is, concludes the instrument exactly once."""
    instrument = queries.get_instrument(session, instrument_id, lock=True)
    if instrument.status != "signing":
        raise AlreadyConcluded(N_("This instrument takes no more signatures."))
    if not isinstance(entry, dict) or set(entry) != {"protected", "signature"}:
        raise InstrumentRejected(N_("A signature is an object with exactly 'protected' and 'signature'."), field="signature")
    key = _key_for_signature(session, entry, actor)
    agreement = session.get_one(Agreement, instrument.agreement_id)
    participant = next(p for p in queries.participants(session, agreement.id) if p.code == key.participant_code)
    require(actor, "agreement.instrument.sign", side=participant.side)
    if session.scalar(select(Signature.id).where(Signature.instrument_id == instrument.id,
                                                 Signature.participant_code == key.participant_code)) is not None:
        raise AlreadySigned(N_("This side has already signed this instrument."), field="signature")
    document = queries.instrument_jws(session, instrument)
    document["signatures"].append(dict(entry))
    report = checks.verify_instrument(
        document, queries.keyring(session), queries.participant_codes(session, agreement.id), at=now
    )
    verdict = report.signatures[-1]
    if report.problems or not verdict.valid:
        raise InstrumentRejected("; ".join(report.problems) or verdict.reason, field="signature")
    signature = Signature(
        instrument_id=instrument.id,
        participant_code=key.participant_code,
        kid=key.kid,
        protected=entry["protected"],
        signature=entry["signature"],
        user_id=actor.user_id,
        received_at=now,
    )
    session.add(signature)
    session.flush()
    audit.record(
        session,
        actor,
        "agreement.instrument.sign",
        target_type="agreement_instrument",
        target_id=instrument.id,
        details={"kid": key.kid, "participant": key.participant_code},
    )
    if report.complete:
        _conclude(session, agreement, instrument, now=now, actor=actor)
    return signature


def _conclude(session: Session, agreement: Agreement, instrument: Instrument, *, now: dt.datetime, actor: Actor) -> None:
    instrument.status, instrument.concluded_at = "concluded", now
    session.flush()
    _lifecycle_check(session, agreement, None, now)
    payload = queries.instrument_log_payload(session, instrument, agreement.slug)
    entry = append_to_log(session, "agreement.instrument", payload)
    instrument.log_index = entry.index
    if instrument.type == "key_rotation":
        _apply_key_rotation(session, instrument, now=now)
    audit.record(
        session,
        actor,
        "agreement.instrument.conclude",
        target_type="agreement_instrument",
        target_id=instrument.id,
        details={"log_index": entry.index},
    )


def sign_with_demo_key(session: Session, instrument_id: int, *, actor: Actor, now: dt.datetime, enabled: bool) -> Signature:
    """DEMO ONLY: sign with the actor's server-held demo key (refused unless demo keys are enabled)."""
    if not enabled:
        raise KeyRejected(N_("Demo keys are disabled on this platform."), code="demo_disabled")
    instrument = queries.get_instrument(session, instrument_id)
    row = session.execute(
        select(SignerKey, DemoKey)
        .join(DemoKey, DemoKey.kid == SignerKey.kid)
        .where(SignerKey.user_id == actor.user_id, SignerKey.revoked_at.is_(None))
    ).first()
    if row is None:
        raise KeyRejected(N_("You have no demo key."), code="no_demo_key")
    private = jws.load_private_key(row[1].private_pem.encode())
    return submit_signature(session, instrument.id, jws.sign(instrument.payload.encode(), private), actor=actor, now=now)


def add_key(
    session: Session,
    *,
    participant: str,
    user_id: int | None,
    label: str,
    jwk: dict[str, Any],
    now: dt.datetime,
    demo: bool = False,
) -> SignerKey:
    """Register a public key for a participant's signatory and record it in the log."""
    try:
        public = jws.public_key_from_jwk(jwk)
    except ValueError as exc:
        raise KeyRejected(N_("The key is not an Ed25519 public JWK."), field="jwk") from exc
    kid = jws.key_id(public)
    if session.scalar(select(SignerKey).where(SignerKey.kid == kid)) is not None:
        raise KeyRejected(N_("This key is already registered."), field="jwk", code="duplicate")
    key = SignerKey(
        kid=kid,
        participant_code=participant,
        user_id=user_id,
        label=label[:200] or kid,
        jwk=jws.public_jwk(public),
        demo=demo,
        created_at=now,
    )
    session.add(key)
    session.flush()
    key.log_index = append_to_log(session, "agreement.key.registered", queries.key_log_payload(key)).index
    return key


def register_key(session: Session, *, actor: Actor, jwk: dict[str, Any], label: str, now: dt.datetime) -> SignerKey:
    """A nodal officer registers the public half of a key they hold (browser or key file)."""
    require(actor, "agreement.instrument.sign", side=actor.side.value if actor.side else None)
    if actor.ministry is None:
        raise KeyRejected(N_("Only officers of a participant register signing keys."), code="not_a_signatory")
    key = add_key(session, participant=actor.ministry.value, user_id=actor.user_id, label=label, jwk=jwk, now=now)
    audit.record(session, actor, "agreement.key.register", target_type="agreement_signer_key", target_id=key.kid)
    return key


def _revoke(session: Session, key: SignerKey, *, reason: str, now: dt.datetime) -> None:
    if key.revoked_at is not None:
        raise KeyRejected(N_("This key has been revoked."), field="kid", code="revoked")
    key.revoked_at = now
    stamp = now.astimezone(dt.UTC).isoformat()
    entry = append_to_log(session, "agreement.key.revoked", {"kid": key.kid, "reason": reason, "revoked_at": stamp})
    key.revocation_log_index = entry.index


def revoke_key(session: Session, kid: str, *, actor: Actor, reason: str, now: dt.datetime) -> SignerKey:
    """Revoke a key: its owner, or an officer of the same participant, may do it."""
    key = session.scalar(select(SignerKey).where(SignerKey.kid == kid))
    if key is None:
        raise KeyRejected(N_("No registered key has this kid."), field="kid")
    side = "JP" if key.participant_code == "METI" else "IN"
    require(actor, "agreement.instrument.sign", side=side)
    _revoke(session, key, reason=reason, now=now)
    audit.record(session, actor, "agreement.key.revoke", target_type="agreement_signer_key", target_id=kid)
    return key


def _apply_key_rotation(session: Session, instrument: Instrument, *, now: dt.datetime) -> None:
    payload = queries.payload_of(instrument)
    if payload["action"] in ("add", "rotate") and payload.get("new_key"):
        add_key(
            session,
            participant=payload["owner"],
            user_id=instrument.drafted_by,
            label=payload["signatory"],
            jwk=payload["new_key"],
            now=now,
        )
    if payload["action"] in ("rotate", "revoke") and payload.get("old_kid"):
        old = session.scalar(select(SignerKey).where(SignerKey.kid == payload["old_kid"]))
        if old is None or old.participant_code != payload["owner"]:
            raise KeyRejected(N_("The key to retire is not one of the owner's keys."), field="old_kid")
        _revoke(session, old, reason=payload.get("reason") or "rotation", now=now)


def verify_stored(session: Session, instrument: Instrument) -> checks.InstrumentReport:
    """Verify an instrument as stored, with the keys as they were when it was concluded."""
    return checks.verify_instrument(
        queries.instrument_jws(session, instrument),
        queries.keyring(session),
        queries.participant_codes(session, instrument.agreement_id),
        at=instrument.concluded_at,
    )
