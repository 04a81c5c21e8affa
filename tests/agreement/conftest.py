"""Agreement fixtures: the MoC as data, officers with registered keys, and a helper to sign."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from kakehashi.agreement import demo, jws, services
from kakehashi.agreement.models import Agreement, Instrument
from kakehashi.identity.models import User
from tests.fixtures.actors import Cast

SIGNED_METI = dt.datetime(2025, 8, 25, 1, 0, tzinfo=dt.UTC)  # 10:00 JST
SIGNED_MEITY = dt.datetime(2025, 8, 25, 1, 0, tzinfo=dt.UTC)  # 06:30 IST
LATER_SIGNING = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)


@dataclass
class Signer:
    """An officer and the private key they hold (registered on the platform)."""

    user: User
    key: Ed25519PrivateKey

    def sign(self, instrument: Instrument) -> dict[str, str]:
        return jws.sign(instrument.payload.encode(), self.key)


@dataclass
class Ledger:
    """The MoC (unsigned) and one signer per participant."""

    agreement: Agreement
    meti: Signer
    meity: Signer


def register(db: Session, user: User, *, now: dt.datetime) -> Signer:
    key = jws.generate_key()
    services.register_key(db, actor=user.actor(), jwk=jws.public_jwk(key), label=user.name, now=now)
    return Signer(user, key)


@pytest.fixture
def ledger(db: Session, cast: Cast) -> Ledger:
    now = dt.datetime(2025, 8, 1, tzinfo=dt.UTC)
    agreement = demo.create_agreement(db, demo.agreement_data("ijdp-2.0.json"), now=now)
    ledger = Ledger(agreement, register(db, cast.meti_officer, now=now), register(db, cast.meity_officer, now=now))
    db.commit()  # a savepoint: a page that rolls back its own work keeps the fixture's
    return ledger


def conclude(
    db: Session,
    ledger: Ledger,
    kind: str,
    members: dict[str, Any],
    *,
    now: dt.datetime,
    signers: tuple[str, ...] = ("meti", "meity"),
) -> Instrument:
    """Draft as the first signer, then have each signer sign at `now`."""
    first: Signer = getattr(ledger, signers[0])
    instrument = services.draft_instrument(db, ledger.agreement.slug, kind, members, actor=first.user.actor(), now=now)
    for name in signers:
        signer: Signer = getattr(ledger, name)
        services.submit_signature(db, instrument.id, signer.sign(instrument), actor=signer.user.actor(), now=now)
    return instrument


@pytest.fixture
def signed(db: Session, ledger: Ledger) -> Ledger:
    """The MoC signed by both on 25 August 2025."""
    conclude(db, ledger, "signature", {}, now=SIGNED_METI)
    db.commit()
    return ledger


@pytest.fixture
def sign_in(db: Session, login: Any) -> Any:
    """`login` whose browser session survives a page rolling back its own failed write."""

    def as_user(user: User) -> Any:
        client = login(user)
        db.commit()
        return client

    return as_user
