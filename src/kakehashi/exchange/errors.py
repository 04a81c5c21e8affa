"""Typed errors of the exchange context: each carries the field it concerns and a stable code.

The web layer maps them to RFC 9457 problem+json (API) or field messages (pages); nothing here is
translated, the code is what the templates translate.
"""

from __future__ import annotations


class ExchangeError(Exception):
    """Base of every exchange error; `code` is stable, `field` names the input at fault (or None)."""

    code = "exchange-error"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code


class TamperedContent(ExchangeError):
    """Ciphertext, a chunk's order or the end of a stream failed authentication: never serve it."""

    code = "content-tampered"


class KeyUnwrapFailed(ExchangeError):
    """A wrapped data key did not authenticate under its master key (wrong key, tampered, moved)."""

    code = "key-unwrap-failed"


class UnknownMasterKey(ExchangeError):
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
