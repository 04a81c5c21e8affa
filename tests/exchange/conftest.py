"""Builders shared by the exchange tests: conditions, requests and grants with readable defaults."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from kakehashi.exchange import crypto, services
from kakehashi.exchange.models import Item
from kakehashi.exchange.policy import AccessMode, AccessRequest, Conditions, ConsentGrant, RecipientKind, Recipients, Tlp
from kakehashi.exchange.screening import ScreeningLimits
from kakehashi.exchange.terms import Terms
from kakehashi.kernel.clock import utcnow

START = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
END = START + timedelta(days=180)
MIDDLE = START + timedelta(days=30)


@pytest.fixture
def conditions() -> Callable[..., Conditions]:
    """Build conditions: METI shares with MeitY (org) for AI research, AMBER, download allowed."""
    base = Conditions(
        discloser="meti", purposes=frozenset({"ai", "research"}),
        recipients=Recipients(organisations=frozenset({"meity"})),
        valid_from=START, valid_until=END, tlp=Tlp.AMBER, access=AccessMode.DOWNLOAD,
    )

    def build(**changes: Any) -> Conditions:
        return replace(base, **changes)

    return build


@pytest.fixture
def request_() -> Callable[..., AccessRequest]:
    """Build a request: a MeitY officer views for AI in the middle of the validity period."""
    base = AccessRequest(user_id="priya", org_id="meity", side="IN", ministry="MeitY", action="view",
                         purpose="ai", at=MIDDLE)

    def build(**changes: Any) -> AccessRequest:
        return replace(base, **changes)

    return build


@pytest.fixture
def grant() -> Callable[..., ConsentGrant]:
    """Build a consent grant to the MeitY officer for talent development, given at the start."""
    base = ConsentGrant(grant_id="c-1", recipient_kind=RecipientKind.USER, recipient_id="priya",
                        purpose="talent", granted_at=START)

    def build(**changes: Any) -> ConsentGrant:
        return replace(base, **changes)

    return build


@pytest.fixture
def moments() -> dict[str, datetime]:
    """The validity period the builders use: start, middle and end (exclusive)."""
    return {"start": START, "middle": MIDDLE, "end": END}


# --- database-backed fixtures (services, pages, API) ----------------------------------------------

MASTER = bytes(32)  # the test settings' KAKEHASHI_MASTER_KEY ("00" * 32)
REPORT = b"region,wafers\nKumamoto,1200\nDholera,300\n"


@pytest.fixture
def keyring() -> crypto.Keyring:
    return crypto.keyring_from_settings(MASTER)


@pytest.fixture
def moc(db: Session, cast: Any) -> str:
    """The MoC on the ledger with demo signing keys for the METI and MeitY officers; returns its slug."""
    from kakehashi.agreement import demo

    now = utcnow()
    demo.demo_key(db, "METI", cast.meti_officer.id, now=now)
    demo.demo_key(db, "MEITY", cast.meity_officer.id, now=now)
    agreement = demo.create_agreement(db, demo.agreement_data("ijdp-2.0.json"), now=now)
    return str(agreement.slug)


@pytest.fixture
def share(db: Session, keyring: crypto.Keyring) -> Callable[..., Item]:
    """`share(user, ...)`: an item shared now, valid from yesterday for 90 days."""

    def make(user: Any, *, content: bytes = REPORT, name: str = "wafers.csv", recipients: Recipients | None = None,
             purposes: frozenset[str] = frozenset({"semiconductor"}), tlp: Tlp = Tlp.GREEN,
             access: AccessMode = AccessMode.DOWNLOAD, onward: bool = False, retain_until: datetime | None = None,
             valid_days: int = 90) -> Item:
        now = utcnow()
        terms = Terms(purposes, recipients or Recipients(ministries=frozenset({"MEITY"})), now - timedelta(days=1),
                      now + timedelta(days=valid_days), tlp, onward, access, retain_until)
        return services.share_item(db, services.Upload(name, "", io.BytesIO(content)), terms, title="Wafer output",
                                   description="", kind="dataset", actor=user.actor(), keyring=keyring,
                                   limits=ScreeningLimits(), now=now)

    return make
