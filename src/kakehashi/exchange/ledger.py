"""The exchange's one door to the agreement ledger: transparency-log appends and the signed
"consent to use information for another purpose" instruments (type `purpose_consent`, MoC P5).

Everything goes through the agreement package's public surface.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kakehashi import agreement
from kakehashi.kernel.authz import Actor

CONSENT_TYPE = "purpose_consent"


def log(session: Session, kind: str, payload: dict[str, Any]) -> int:
    """Append one exchange event to the transparency log; return its index."""
    entry = agreement.append_to_log(session, kind, payload)
    return int(entry.index)


@dataclass(frozen=True)
class ConsentInstrument:
    """What exchange needs to know about a consent instrument: is it concluded, valid, and what it says."""

    instrument_id: int
    status: str
    concluded_at: dt.datetime | None
    payload: dict[str, Any]
    problems: tuple[str, ...]

    @property
    def in_force(self) -> bool:
        """Concluded, and every signature verifies with the keys as they were then."""
        return self.status == "concluded" and self.concluded_at is not None and not self.problems


def moc_slug(session: Session, discloser: str, recipient: str) -> str | None:
    """The most recent agreement between these two participants (the MoC), or None."""
    found = None
    for candidate in agreement.list_agreements(session):
        codes = set(agreement.participant_codes(session, candidate.id))
        if {discloser, recipient} <= codes:
            found = candidate.slug
    return found


def draft_consent(session: Session, slug: str, members: dict[str, Any], *, actor: Actor, now: dt.datetime) -> int:
    """Draft the discloser's purpose_consent instrument; return its id (it still needs its signature)."""
    instrument = agreement.draft_instrument(session, slug, CONSENT_TYPE, members, actor=actor, now=now)
    return int(instrument.id)


def sign_with_demo_key(session: Session, instrument_id: int, *, actor: Actor, now: dt.datetime, enabled: bool) -> None:
    """DEMO ONLY: sign with the officer's server-held demo key (the agreement context refuses otherwise)."""
    agreement.sign_with_demo_key(session, instrument_id, actor=actor, now=now, enabled=enabled)


def consent_instrument(session: Session, instrument_id: int) -> ConsentInstrument:
    """Read a consent instrument and verify it as stored."""
    instrument = agreement.get_instrument(session, instrument_id)
    problems: tuple[str, ...] = ()
    if instrument.status == "concluded":
        report = agreement.verify_stored(session, instrument)
        problems = tuple(report.reasons()) if not report.complete else ()
    return ConsentInstrument(instrument.id, instrument.status, instrument.concluded_at,
                             json.loads(instrument.payload), problems)
