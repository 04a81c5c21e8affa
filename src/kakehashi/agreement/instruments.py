"""Verify a signed instrument: canonical payload, its type, and one good signature per party.

Pure: the keys arrive as data, so the same function runs in services (keys from the
database) and offline in `kakehashi instruments verify` (keys from the original file).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kakehashi.agreement import jws
from kakehashi.agreement.canonical import NotCanonicalError, parse_canonical
from kakehashi.agreement.instrument_types import (
    InstrumentType,
    InvalidPayload,
    Payload,
    UnknownInstrumentType,
    parse_payload,
)


@dataclass(frozen=True)
class SignerKey:
    """A registered public key of one signatory acting for one participant."""

    kid: str
    participant: str
    signatory: str
    jwk: Mapping[str, str]
    revoked_at: datetime | None = None
    demo: bool = False

    def revoked_by(self, at: datetime | None) -> bool:
        """Return True if the key was revoked before instant `at` (or at all, if `at` is None).

        Strictly before: a key retired by the very instrument it signs was valid when it signed.
        """
        return self.revoked_at is not None and (at is None or self.revoked_at < at)


@dataclass(frozen=True)
class SignatureVerdict:
    """The verdict on one signature, with the participant its key belongs to."""

    position: int
    kid: str | None
    participant: str | None
    signatory: str | None
    valid: bool
    reason: str


@dataclass
class InstrumentReport:
    """Everything a verifier found about one instrument."""

    payload: dict[str, Any] | None = None
    instrument_type: InstrumentType | None = None
    model: Payload | None = None
    required: frozenset[str] = frozenset()
    signatures: list[SignatureVerdict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def signed_by(self) -> frozenset[str]:
        """Participants with a valid signature."""
        return frozenset(s.participant for s in self.signatures if s.valid and s.participant)

    @property
    def missing(self) -> frozenset[str]:
        """Required participants without a valid signature yet."""
        return self.required - self.signed_by

    @property
    def valid(self) -> bool:
        """True when the payload is sound and every signature present is valid."""
        return not self.problems and all(s.valid for s in self.signatures)

    @property
    def complete(self) -> bool:
        """True when valid and signed by every required participant."""
        return self.valid and bool(self.required) and not self.missing

    def reasons(self) -> list[str]:
        """Every problem and every failed signature, as sentences."""
        failed = [f"signature {s.position + 1} (kid {s.kid}): {s.reason}" for s in self.signatures if not s.valid]
        missing = [f"no valid signature by {p}" for p in sorted(self.missing)]
        return self.problems + failed + missing


def _judge(
    check: jws.SignatureCheck,
    keys: Mapping[str, SignerKey],
    required: frozenset[str],
    already: set[str],
    at: datetime | None,
) -> SignatureVerdict:
    key = keys.get(check.kid) if check.kid else None
    participant = key.participant if key else None
    signatory = key.signatory if key else None
    reason = check.reason
    if check.valid and key is not None:
        if key.revoked_by(at):
            reason = f"key was revoked at {key.revoked_at.isoformat()}"  # type: ignore[union-attr]
        elif required and key.participant not in required:
            reason = f"{key.participant} is not a required signer of this instrument"
        elif key.participant in already:
            reason = f"{key.participant} has already signed"
    valid = check.valid and reason == check.reason
    if valid and participant:
        already.add(participant)
    return SignatureVerdict(check.position, check.kid, participant, signatory, valid, reason)


def _read_payload(payload_bytes: bytes, participants: Sequence[str], report: InstrumentReport) -> None:
    try:
        report.payload = parse_canonical(payload_bytes)
    except NotCanonicalError as exc:
        report.problems.append(str(exc))
        return
    try:
        report.instrument_type, report.model = parse_payload(report.payload, participants)
    except (UnknownInstrumentType, InvalidPayload) as exc:
        report.problems.append(f"payload does not fit its type: {exc}")
        return
    report.required = report.instrument_type.required_signers(report.model, participants)


def verify_instrument(
    document: Mapping[str, Any],
    keys: Mapping[str, SignerKey],
    participants: Sequence[str],
    *,
    at: datetime | None = None,
) -> InstrumentReport:
    """Check a General JSON JWS instrument against registered keys as of instant `at`.

    Never raises for bad input: every finding is in the report.
    """
    report = InstrumentReport()

    def find_key(kid: str) -> Ed25519PublicKey | None:
        key = keys.get(kid)
        return jws.public_key_from_jwk(key.jwk) if key else None

    try:
        payload_bytes, checks = jws.check_signatures(document, find_key)
    except ValueError as exc:
        report.problems.append(str(exc))
        return report
    _read_payload(payload_bytes, participants, report)
    already: set[str] = set()
    report.signatures = [_judge(c, keys, report.required, already, at) for c in checks]
    return report
