"""Options shared by every context's demo loader."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoOptions:
    """How much demo data to make, from which seed; `progress` reports (done, total, label)."""

    orgs: int = 300
    people: int = 600
    seed: int = 2025
    progress: Callable[[int, int, str], None] = field(default=lambda done, total, label: None)


DEMO_PASSWORD = "kakehashi-demo-2025"  # noqa: S105 — shared by every demo login; printed by `make demo`
