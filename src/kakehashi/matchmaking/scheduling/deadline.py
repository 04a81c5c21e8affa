"""A wall-clock budget shared by the solver phases."""

from __future__ import annotations

import time


class Deadline:
    """A monotonic-clock deadline; `expired` is checked between moves, never inside one."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def expired(self) -> bool:
        """Whether the time is up."""
        return time.monotonic() >= self.at

    def left(self) -> float:
        """Seconds remaining (never negative)."""
        return max(0.0, self.at - time.monotonic())
