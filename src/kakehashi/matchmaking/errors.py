"""Errors of the matchmaking context (all DomainErrors: the shell maps them to problem+json or field messages)."""

from __future__ import annotations

from kakehashi.kernel.errors import Conflict, DomainError, NotFound


class MatchmakingNotFound(NotFound):
    """An event, registration, request, meeting, opportunity or profile that does not exist (or is hidden)."""


class WrongPhase(Conflict):
    """The event's phase does not allow this now (e.g. a request after requests closed)."""

    code = "wrong_phase"


class RequestRefused(DomainError):
    """A meeting request that breaks a rule: self, same organisation, group rules, duplicates, limits."""

    code = "request_refused"


class ScheduleStale(Conflict):
    """Someone else changed the schedule meanwhile; nothing was written."""

    code = "schedule_stale"


class ScheduleRejected(DomainError):
    """An imported schedule that does not fit the event (names the first problem)."""

    code = "schedule_rejected"


class UploadRejected(DomainError):
    """An upload that is too large, empty, or not of an accepted type (judged by its bytes)."""

    code = "upload_rejected"


class ReviewRefused(Conflict):
    """An opportunity that is not in a state the review or renewal asks for."""

    code = "review_refused"
