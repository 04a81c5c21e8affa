"""The governance context's one door to the agreement ledger: commitments, and instruments both sides sign.

Minutes are approved, and cost sharing counts, only through instruments of the ledger signed by both
participants; governance keeps the instrument's id and asks the ledger for its state, never its rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kakehashi import agreement
from kakehashi.kernel.authz import Actor
from kakehashi.kernel.errors import NotFound

AGREEMENT_SLUG = "ijdp-2.0"
BOTH_PARTICIPANTS = frozenset({"METI", "MEITY"})


@dataclass(frozen=True)
class CommitmentRef:
    """A commitment of the agreement as governance shows it."""

    id: int
    ref: str
    area: str | None
    title: str
    title_ja: str | None
    text: str

    def display_title(self, locale: str) -> str:
        """The short title in Japanese for Japanese readers when there is one."""
        return self.title_ja if locale == "ja" and self.title_ja else self.title


@dataclass(frozen=True)
class InstrumentState:
    """Where a co-signed instrument stands: its status, who has signed, and what it says."""

    id: int
    type: str
    status: str
    signed_by: frozenset[str]
    payload: dict[str, Any]
    log_index: int | None = None

    @property
    def signed_by_both(self) -> bool:
        """Concluded with valid signatures of both participants (METI and MeitY)."""
        return self.status == "concluded" and self.signed_by >= BOTH_PARTICIPANTS


def commitments(session: Session) -> list[CommitmentRef]:
    """The commitments of the agreement governance tracks, in text order (empty before it is loaded)."""
    # `agreement.commitments` is the one surface function governance still waits for (see docs/governance.md);
    # until it is exported the register stays empty rather than failing.
    read = getattr(agreement, "commitments", None)
    if read is None:
        return []
    try:
        found = agreement.get_agreement(session, AGREEMENT_SLUG)
    except NotFound:
        return []
    return [CommitmentRef(c.id, c.paragraph_ref, c.area, c.title, c.title_ja, c.text) for c in read(session, found.id)]


def commitment(session: Session, commitment_id: int) -> CommitmentRef | None:
    """One commitment of the tracked agreement by id, or None."""
    return next((c for c in commitments(session) if c.id == commitment_id), None)


def draft(session: Session, kind: str, members: dict[str, Any], *, actor: Actor, now: dt.datetime) -> int:
    """Draft an instrument of `kind` on the tracked agreement; returns its id (signatures come later)."""
    instrument = agreement.draft_instrument(session, AGREEMENT_SLUG, kind, members, actor=actor, now=now)
    return int(instrument.id)


def state(session: Session, instrument_id: int) -> InstrumentState:
    """The current state of an instrument of the ledger."""
    instrument = agreement.get_instrument(session, instrument_id)
    report = agreement.verify_stored(session, instrument)  # signers whose signatures verify, not merely stored rows
    return InstrumentState(instrument.id, instrument.type, instrument.status, report.signed_by,
                           dict(report.payload or {}), instrument.log_index)


def sign_with_demo_key(session: Session, instrument_id: int, *, actor: Actor, now: dt.datetime, enabled: bool) -> None:
    """DEMO ONLY: sign an instrument with the actor's server-held demo key (the ledger refuses when disabled)."""
    agreement.sign_with_demo_key(session, instrument_id, actor=actor, now=now, enabled=enabled)
