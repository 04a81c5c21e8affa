"""Governance fixtures: the MoC loaded on the agreement ledger (with demo keys for the cast's two officers)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from kakehashi.agreement import demo as agreement_demo
from kakehashi.governance import ledger
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.demo import DemoOptions
from tests.fixtures.actors import Cast

NOW = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)

@pytest.fixture
def moc(db: Session, cast: Cast) -> list[ledger.CommitmentRef]:
    """The MoC's commitments; the cast's METI and MeitY officers hold the participants' demo signing keys."""
    agreement_demo.demo_key(db, "METI", cast.meti_officer.id, now=utcnow())
    agreement_demo.demo_key(db, "MEITY", cast.meity_officer.id, now=utcnow())
    agreement_demo.load(db, DemoOptions())
    return ledger.commitments(db)


def first_of(moc: list[ledger.CommitmentRef], area: str) -> ledger.CommitmentRef:
    """The first commitment of an area."""
    return next(c for c in moc if c.area == area)
