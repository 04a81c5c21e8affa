"""Errors the recommender raises; they subclass the kernel's DomainError so the web layer maps them."""

from __future__ import annotations

from kakehashi.kernel.errors import DomainError, NotFound


class UnknownProfile(NotFound):
    """The organisation has no profile vectors in the index (never saved, or removed)."""

    code = "unknown_profile"


class InvalidLimit(DomainError):
    """The number of recommendations asked for is outside 1..100."""

    code = "invalid_limit"


class TaxonomyFull(DomainError):
    """More than 64 top-level sectors or investment stages: the bit-sets cannot hold them."""

    code = "taxonomy_full"


class SelfFeedback(DomainError):
    """An organisation gave feedback on itself."""

    code = "self_feedback"
