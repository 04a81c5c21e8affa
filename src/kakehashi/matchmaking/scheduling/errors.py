"""Errors raised by the meeting scheduler."""

from __future__ import annotations

from kakehashi.kernel.errors import DomainError


class SchedulingInputError(DomainError):
    """An instance the scheduler cannot accept, naming the offending item.

    `field` is a JSON path such as ``requests[17].b``; `code` is a stable machine-readable reason
    such as ``unknown_participant``; `message` says what is wrong in plain words.
    """

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(f"{field}: {message}", field=field, code=code)
        self.field: str = field
        self.code: str = code
        self.message = message
