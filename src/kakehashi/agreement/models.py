"""Tables of the agreement ledger: agreements as data, instruments, keys, and the transparency log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kakehashi.db import Base, JSONType, UTCDateTime


class Agreement(Base):
    """An agreement (MoC) between participants, with its lifecycle rules as data."""

    __tablename__ = "agreement_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    title_ja: Mapped[str | None] = mapped_column(String(300))
    preamble: Mapped[str] = mapped_column(Text, default="")
    made_on: Mapped[dt.date | None] = mapped_column(Date)
    term_years: Mapped[int] = mapped_column(Integer, default=5)
    notice_days: Mapped[int] = mapped_column(Integer, default=60)
    notice_counting: Mapped[str] = mapped_column(String(30), default="exclude_receipt_day")
    renewal_window_days: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class AgreementLink(Base):
    """One agreement builds on (or replaces, or implements) another, from a given paragraph."""

    __tablename__ = "agreement_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement_agreement.id", ondelete="CASCADE"), index=True)
    related_id: Mapped[int] = mapped_column(ForeignKey("agreement_agreement.id", ondelete="CASCADE"))
    relation: Mapped[str] = mapped_column(String(40))
    paragraph_ref: Mapped[str | None] = mapped_column(String(40))


class Participant(Base):
    """A party to an agreement (METI, MeitY) and the time zone its dates are read in."""

    __tablename__ = "agreement_participant"
    __table_args__ = (UniqueConstraint("agreement_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement_agreement.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    name_ja: Mapped[str | None] = mapped_column(String(200))
    side: Mapped[str] = mapped_column(String(2))
    zone: Mapped[str] = mapped_column(String(40))


class Signatory(Base):
    """A person who signs for a participant (the signing minister, a nodal officer)."""

    __tablename__ = "agreement_signatory"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement_agreement.id", ondelete="CASCADE"), index=True)
    participant_code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    user_id: Mapped[int | None] = mapped_column(Integer)


class Paragraph(Base):
    """One paragraph (or sub-paragraph) of an agreement's signed text."""

    __tablename__ = "agreement_paragraph"
    __table_args__ = (UniqueConstraint("agreement_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement_agreement.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)


class Commitment(Base):
    """A commitment of the agreement (a bullet of P2), with a short title of our own."""

    __tablename__ = "agreement_commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement_agreement.id", ondelete="CASCADE"), index=True)
    paragraph_ref: Mapped[str] = mapped_column(String(40))
    area: Mapped[str | None] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    title_ja: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)


class Instrument(Base):
    """A typed, canonical JSON payload to be signed by every party its type requires."""

    __tablename__ = "agreement_instrument"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement_agreement.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    payload: Mapped[str] = mapped_column(Text)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="signing")
    drafted_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    concluded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    log_index: Mapped[int | None] = mapped_column(BigInteger)


class Signature(Base):
    """One party's JWS signature entry over an instrument's payload, as received."""

    __tablename__ = "agreement_signature"
    __table_args__ = (UniqueConstraint("instrument_id", "participant_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("agreement_instrument.id", ondelete="CASCADE"), index=True)
    participant_code: Mapped[str] = mapped_column(String(20))
    kid: Mapped[str] = mapped_column(String(64))
    protected: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class SignerKey(Base):
    """A signatory's Ed25519 public key; the private key stays with the signer."""

    __tablename__ = "agreement_signer_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    participant_code: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    label: Mapped[str] = mapped_column(String(200))
    jwk: Mapped[dict[str, Any]] = mapped_column(JSONType)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    log_index: Mapped[int | None] = mapped_column(BigInteger)
    revocation_log_index: Mapped[int | None] = mapped_column(BigInteger)


class DemoKey(Base):
    """DEMO ONLY: a private signing key kept server-side so the demo can sign; never in production."""

    __tablename__ = "agreement_demo_key"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    private_pem: Mapped[str] = mapped_column(Text)


class NoteKey(Base):
    """A signed-note key: the log's checkpoint key, or a participant's witness (cosigning) key.

    Keys are never deleted: a rotated witness key keeps its validity period (`not_before`, `not_after`;
    open-ended when None) so the cosignatures it made verify for ever.
    """

    __tablename__ = "agreement_note_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(10))
    participant_code: Mapped[str | None] = mapped_column(String(20))
    vkey: Mapped[str] = mapped_column(String(300), unique=True)
    private_pem: Mapped[str | None] = mapped_column(Text)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    not_before: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    not_after: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    def valid_at(self, instant: dt.datetime) -> bool:
        """Whether the key was in force at `instant` (from not_before, up to but excluding not_after)."""
        return (self.not_before is None or self.not_before <= instant) and (
            self.not_after is None or instant < self.not_after)


class LogEntry(Base):
    """One leaf of the transparency log: canonical JSON bytes and their RFC 9162 leaf hash."""

    __tablename__ = "agreement_log_entry"

    index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(60), index=True)
    data: Mapped[str] = mapped_column(Text)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    appended_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class LogNode(Base):
    """The hash of a complete perfect subtree of the log at (level >= 1, index); leaves live in the entries."""

    __tablename__ = "agreement_log_node"

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class Checkpoint(Base):
    """A C2SP checkpoint of the log, signed by the log key (cosignatures in `Cosignature`)."""

    __tablename__ = "agreement_checkpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger, unique=True)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Cosignature(Base):
    """A participant's witness cosignature (cosignature/v1 line) of one checkpoint."""

    __tablename__ = "agreement_cosignature"
    __table_args__ = (UniqueConstraint("checkpoint_id", "participant_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checkpoint_id: Mapped[int] = mapped_column(ForeignKey("agreement_checkpoint.id", ondelete="CASCADE"), index=True)
    participant_code: Mapped[str] = mapped_column(String(20))
    key_name: Mapped[str] = mapped_column(String(200))
    timestamp: Mapped[int] = mapped_column(BigInteger)
    line: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Reminder(Base):
    """A reminder sent (once) a given number of days before one of an agreement's deadlines."""

    __tablename__ = "agreement_reminder"
    __table_args__ = (UniqueConstraint("agreement_id", "kind", "due_on", "days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement_agreement.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    due_on: Mapped[dt.date] = mapped_column(Date)
    days_before: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
