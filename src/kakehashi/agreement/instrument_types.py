"""Instrument types as data: who must sign each type, and what its payload must hold.

A later issue adds a type with one `register(InstrumentType(...))` call: a name, a title,
which participants sign (all of them, or the one named by a payload field), and a
pydantic model for the payload.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from kakehashi.agreement.canonical import canonicalize

HEX_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class UnknownInstrumentType(ValueError):
    """The payload names a type no one registered."""


class InvalidPayload(ValueError):
    """The payload does not fit its type; `problems` lists each field and message."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))
        self.problems = problems


class Payload(BaseModel):
    """Members every instrument payload has; subclasses add their own and forbid others."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str
    agreement: str = Field(min_length=1, max_length=100)
    ref: str | None = Field(default=None, max_length=64)  # unique per instrument: no two share bytes


def _sha256(value: str) -> str:
    if not HEX_SHA256.match(value):
        raise ValueError("must be a lowercase hex SHA-256 digest")
    return value


class SignaturePayload(Payload):
    """Signature of the agreement: both participants sign the same text digest."""

    type: Literal["signature"]
    title: str = Field(min_length=1)
    text_sha256: str
    _check = field_validator("text_sha256")(_sha256)


class RenewalPayload(Payload):
    """Renewal by mutual written consent (P7 ii): a further term from the current expiry."""

    type: Literal["renewal"]
    term_years: int = Field(ge=1, le=50)


class ParagraphChange(BaseModel):
    """New text of one paragraph; empty text removes the paragraph."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    paragraph: str = Field(min_length=1, max_length=40)
    text: str


class ModificationPayload(Payload):
    """Modification by mutual written consent (P7 iv) from an agreed effective date."""

    type: Literal["modification"]
    summary: str = Field(min_length=1)
    effective_date: date
    changes: tuple[ParagraphChange, ...] = Field(min_length=1)


class DiscontinuationNoticePayload(Payload):
    """Written notice of one participant's intention to discontinue (P7 iii)."""

    type: Literal["discontinuation_notice"]
    sender: str = Field(min_length=1)
    recipient: str = Field(min_length=1)
    notice_date: date
    discontinuation_date: date | None = None

    @model_validator(mode="after")
    def _two_sides(self) -> DiscontinuationNoticePayload:
        if self.sender == self.recipient:
            raise ValueError("the notice goes to the other participant")
        return self


class CostShare(BaseModel):
    """One side's agreed share of a cost, in its currency (amount as a decimal string)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    participant: str = Field(min_length=1)
    currency: Literal["JPY", "INR"]
    amount: str

    @field_validator("amount")
    @classmethod
    def _decimal(cls, value: str) -> str:
        try:
            amount = Decimal(value)
        except InvalidOperation as exc:
            raise ValueError("must be a decimal number as a string") from exc
        if not amount.is_finite() or amount < 0:
            raise ValueError("must be a non-negative decimal")
        return value


class CostSharingConcurrencePayload(Payload):
    """Written concurrence to share costs other than each side paying its own (P4)."""

    type: Literal["cost_sharing_concurrence"]
    activity: str = Field(min_length=1)
    description: str = Field(min_length=1)
    shares: tuple[CostShare, ...] = Field(min_length=1)


class PurposeConsentPayload(Payload):
    """The disclosing participant's prior written consent to another use (P5)."""

    type: Literal["purpose_consent"]
    discloser: str = Field(min_length=1)
    recipient: str = Field(min_length=1)
    information: str = Field(min_length=1)
    original_purpose: str = Field(min_length=1)
    new_purpose: str = Field(min_length=1)

    @model_validator(mode="after")
    def _two_sides(self) -> PurposeConsentPayload:
        if self.discloser == self.recipient:
            raise ValueError("the recipient is the other participant")
        return self


class MinutesApprovalPayload(Payload):
    """Both sides approve the minutes of a Joint Working Group meeting (P3 ii)."""

    type: Literal["minutes_approval"]
    meeting: str = Field(min_length=1)
    minutes_sha256: str
    _check = field_validator("minutes_sha256")(_sha256)


class KeyRotationPayload(Payload):
    """A participant adds, rotates or revokes one of its signing keys."""

    type: Literal["key_rotation"]
    owner: str = Field(min_length=1)
    signatory: str = Field(min_length=1)
    action: Literal["add", "rotate", "revoke"]
    new_key: dict[str, str] | None = None
    old_kid: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class InstrumentType:
    """One registered type: `signed_by` is "all" or the payload field naming the signer."""

    name: str
    title: str
    signed_by: str
    payload_model: type[Payload]

    def required_signers(self, payload: Payload, participants: Sequence[str]) -> frozenset[str]:
        """Return the participant codes that must sign this payload."""
        if self.signed_by == "all":
            return frozenset(participants)
        return frozenset({str(getattr(payload, self.signed_by))})


REGISTRY: dict[str, InstrumentType] = {}


def register(instrument_type: InstrumentType) -> InstrumentType:
    """Add a type to the registry (idempotent for the same definition)."""
    existing = REGISTRY.get(instrument_type.name)
    if existing is not None and existing != instrument_type:
        raise ValueError(f"instrument type {instrument_type.name!r} is already registered")
    REGISTRY[instrument_type.name] = instrument_type
    return instrument_type


for _type in (
    InstrumentType("signature", "Signature of the agreement", "all", SignaturePayload),
    InstrumentType("renewal", "Renewal", "all", RenewalPayload),
    InstrumentType("modification", "Modification", "all", ModificationPayload),
    InstrumentType(
        "discontinuation_notice",
        "Notice of discontinuation",
        "sender",
        DiscontinuationNoticePayload,
    ),
    InstrumentType(
        "cost_sharing_concurrence",
        "Cost-sharing concurrence",
        "all",
        CostSharingConcurrencePayload,
    ),
    InstrumentType("purpose_consent", "Consent to another purpose", "discloser", PurposeConsentPayload),
    InstrumentType("minutes_approval", "Approval of minutes", "all", MinutesApprovalPayload),
    InstrumentType("key_rotation", "Key rotation or revocation", "owner", KeyRotationPayload),
):
    register(_type)


def parse_payload(value: dict[str, Any], participants: Sequence[str]) -> tuple[InstrumentType, Payload]:
    """Return the type and validated payload; raise UnknownInstrumentType or InvalidPayload.

    Every member that names a participant must name one of the agreement's participants.
    """
    instrument_type = REGISTRY.get(str(value.get("type")))
    if instrument_type is None:
        raise UnknownInstrumentType(f"unknown instrument type {value.get('type')!r}")
    try:
        # Strict JSON mode: "5" is not an integer and 1700000000 is not a date.
        payload = instrument_type.payload_model.model_validate_json(canonicalize(value), strict=True)
    except ValidationError as exc:
        problems = [(".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()]
        raise InvalidPayload(problems) from exc
    problems = [
        (field, f"{getattr(payload, field)!r} is not a participant of the agreement")
        for field in ("sender", "recipient", "discloser", "owner")
        if hasattr(payload, field) and getattr(payload, field) not in participants
    ]
    if problems:
        raise InvalidPayload(problems)
    return instrument_type, payload
