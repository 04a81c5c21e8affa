"""Errors raised by the meeting scheduler.

`kakehashi.kernel.errors.DomainError` does not exist yet, so this error stands on `ValueError`
with the same `field` and `code` attributes; the lead rebases it on `DomainError` later.
"""

from __future__ import annotations


class SchedulingInputError(ValueError):
    """An instance the scheduler cannot accept, naming the offending item.

    `field` is a JSON path such as ``requests[17].b``; `code` is a stable machine-readable reason
    such as ``unknown_participant``.
    """

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.code = code
        self.message = message
