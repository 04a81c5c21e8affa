"""Errors of the governance context (all DomainErrors: the shell turns them into problem+json or field messages)."""

from __future__ import annotations

from kakehashi.kernel.errors import Conflict, DomainError, NotFound


class GovernanceError(DomainError):
    """A rule of the commitment register, consultations, funding or training refused the request."""

    code = "governance_invalid"


class RollUpError(GovernanceError):
    """The activity tree cannot be rolled up (zero weights, a cycle, a parent elsewhere)."""

    code = "rollup_invalid"


class ZeroWeights(RollUpError):
    """The live siblings under one parent have weights that sum to zero; `where` names the parent."""

    code = "zero_weights"

    def __init__(self, message: str, *, where: str) -> None:
        super().__init__(message, field="weight")
        self.where = where


class MoneyError(GovernanceError):
    """An amount has the wrong currency or precision, or is not a number."""

    code = "money_invalid"


class StaleEdit(Conflict):
    """Someone else saved the record since the editor loaded it (optimistic locking)."""

    code = "stale_edit"


class GovernanceNotFound(NotFound):
    """No such activity, meeting, action item, course, certificate or cost."""


class Full(Conflict):
    """A training course has no seat left for a direct registration."""

    code = "course_full"
