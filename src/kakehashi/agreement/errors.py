"""Errors of the agreement context (all DomainErrors: the shell turns them into problem+json)."""

from __future__ import annotations

from kakehashi.kernel.errors import Conflict, DomainError, NotFound


class AgreementError(DomainError):
    """A rule of the agreement ledger refused the request."""

    code = "agreement_invalid"


class LogError(AgreementError):
    """A transparency-log request is out of range or malformed."""

    code = "log_invalid"


class InstrumentRejected(AgreementError):
    """An instrument or a signature does not verify or does not fit; nothing was stored."""

    code = "instrument_rejected"


class LifecycleRejected(AgreementError):
    """The instrument does not fit the agreement's lifecycle (rule code in `code`)."""


class KeyRejected(AgreementError):
    """A signing key is malformed, unknown, revoked or not the actor's."""

    code = "key_rejected"


class AlreadyConcluded(Conflict):
    """The instrument is already concluded or closed; it takes no more signatures."""

    code = "already_concluded"


class AlreadySigned(InstrumentRejected, Conflict):
    """This participant's signature is already on the instrument (a repeated or racing submission): 409."""

    code = "already_signed"


class AgreementNotFound(NotFound):
    """No such agreement, instrument, key or log entry."""
