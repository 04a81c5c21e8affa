"""Errors of the identity context."""

from kakehashi.kernel.errors import Conflict, DomainError, TooManyRequests, Unauthenticated
from kakehashi.kernel.i18n import N_


class InvalidCredentials(Unauthenticated):
    """E-mail or password is wrong (never says which)."""

    code = "invalid_credentials"


class LoginThrottled(TooManyRequests):
    """Too many failed sign-ins for this account from this client, or from this client, recently.

    `template` is the translatable message and `params` fills it (`seconds`: when to retry); `message` is
    the English text already filled in, for places that do not translate.
    """

    template = N_("Too many failed sign-ins. Try again in %(seconds)s seconds.")

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        self.params = {"seconds": retry_after}
        super().__init__(self.template % self.params)


class InvitationInvalid(DomainError):
    """The invitation is unknown, expired or already used."""

    code = "invitation_invalid"


class InvitationUsed(InvitationInvalid, Conflict):
    """Someone accepted the invitation a moment before (two acceptances at once): 409."""

    code = "invitation_used"


class EmailTaken(Conflict):
    """An account with this e-mail already exists."""

    code = "email_taken"
