"""Errors of the identity context."""

from kakehashi.kernel.errors import Conflict, DomainError, TooManyRequests, Unauthenticated


class InvalidCredentials(Unauthenticated):
    """E-mail or password is wrong (never says which)."""

    code = "invalid_credentials"


class LoginThrottled(TooManyRequests):
    """Too many failed sign-ins for this account or client recently."""


class InvitationInvalid(DomainError):
    """The invitation is unknown, expired or already used."""

    code = "invitation_invalid"


class InvitationUsed(InvitationInvalid, Conflict):
    """Someone accepted the invitation a moment before (two acceptances at once): 409."""

    code = "invitation_used"


class EmailTaken(Conflict):
    """An account with this e-mail already exists."""

    code = "email_taken"
