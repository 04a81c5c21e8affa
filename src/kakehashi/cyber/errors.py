"""Errors of the cyber context; the TAXII layer turns each into a TAXII error object with its status."""

from __future__ import annotations

from typing import Any

from kakehashi.kernel.errors import DomainError


class CyberError(DomainError):
    """Base of the cyber context's refusals; `details` travel into the TAXII error object."""

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(message, field=field, code=code)
        self.details = details or {}


class BadRequest(CyberError):
    """The request cannot be understood: malformed JSON, a bad filter, a tampered cursor."""

    status = 400
    code = "bad_request"


class InvalidContent(CyberError):
    """The envelope is understood but holds invalid STIX or markings the server does not know."""

    status = 422
    code = "invalid_content"


class TooLarge(CyberError):
    """The envelope is bigger than the API root's max_content_length (or holds too many objects)."""

    status = 413
    code = "too_large"


class NotAcceptable(CyberError):
    """The client asked for a media type the server cannot produce."""

    status = 406
    code = "not_acceptable"


class UnsupportedMediaType(CyberError):
    """The request body is not a TAXII 2.1 envelope media type."""

    status = 415
    code = "unsupported_media_type"
