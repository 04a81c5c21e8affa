"""Domain errors: services raise these; the web layer maps them to problem+json or field messages."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the request; `field` names the offending input when there is one."""

    status = 422
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class ValidationFailed(DomainError):
    """Several field-level problems at once (forms, CSV rows)."""

    def __init__(self, errors: dict[str, str], message: str = "Some fields are not valid.") -> None:
        super().__init__(message, field=next(iter(errors), None), code="validation")
        self.errors = errors


class NotFound(DomainError):
    """The record does not exist, or the actor may not know that it exists."""

    status = 404
    code = "not_found"


class Forbidden(DomainError):
    """The actor is known but lacks the permission."""

    status = 403
    code = "forbidden"


class Unauthenticated(DomainError):
    """No valid credentials were presented."""

    status = 401
    code = "unauthenticated"


class Conflict(DomainError):
    """The request conflicts with the current state (duplicate, stale version, wrong phase)."""

    status = 409
    code = "conflict"


class TooManyRequests(DomainError):
    """A throttle refused the request."""

    status = 429
    code = "throttled"
