"""Registry test fixtures: every test starts with no cached totals (each test's data is rolled back)."""

from __future__ import annotations

import pytest

from kakehashi.registry.queries import forget_totals


@pytest.fixture(autouse=True)
def _fresh_totals() -> None:
    forget_totals()
