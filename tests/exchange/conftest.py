"""Builders shared by the exchange tests: conditions, requests and grants with readable defaults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kakehashi.exchange.policy import AccessMode, AccessRequest, Conditions, ConsentGrant, RecipientKind, Recipients, Tlp

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
