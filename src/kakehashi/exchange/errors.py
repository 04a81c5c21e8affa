"""Typed errors of the exchange context: each carries the field it concerns and a stable code.

The web layer maps them to RFC 9457 problem+json (API) or field messages (pages); the code is what
pages translate, the message adds English detail.
"""

from __future__ import annotations

from kakehashi.kernel.errors import Conflict, DomainError, Forbidden, NotFound


class ExchangeError(DomainError):
    """Base of every exchange error (422 unless a subclass says otherwise)."""

    code = "exchange-error"


class TamperedContent(ExchangeError, Conflict):
    """Ciphertext, a chunk's order or the end of a stream failed authentication: never serve it."""

    code = "content-tampered"


class KeyUnwrapFailed(ExchangeError, Conflict):
    """A wrapped data key did not authenticate under its master key (wrong key, tampered, moved)."""

    code = "key-unwrap-failed"


class UnknownMasterKey(ExchangeError, Conflict):
    """A wrapped key names a master key id that is not configured."""

    code = "master-key-unknown"


class InvalidMasterKey(ExchangeError):
    """A master key from settings is not 32 bytes."""

    code = "master-key-invalid"


class UploadRejected(ExchangeError):
    """An upload failed screening (disguised executable, archive bomb, unsupported type...)."""

    code = "upload-rejected"


class UnsafeFileName(UploadRejected):
    """A file name (or an archive entry name) could escape a directory or hide its real type."""

    code = "file-name-unsafe"


class OdrlImportError(ExchangeError):
    """The document is not an ODRL policy at all (its understood parts are denied, not errors)."""

    code = "odrl-invalid"


class ConditionsRejected(ExchangeError):
    """The conditions of a share are incomplete or contradict each other."""

    code = "conditions-invalid"


class ItemNotFound(ExchangeError, NotFound):
    """No such item, or it was not shared with the actor (the two are not told apart)."""

    code = "item-not-found"


class ConsentNotFound(ExchangeError, NotFound):
    """No such consent request visible to the actor."""

    code = "consent-not-found"


class ConsentRejected(ExchangeError, Conflict):
    """The consent request cannot move that way from its current state (already decided, revoked...)."""

    code = "consent-rejected"


class NotTheDiscloser(ExchangeError, Forbidden):
    """Only the discloser (its people, or its side's officers for consents) may do this."""

    code = "not-the-discloser"
