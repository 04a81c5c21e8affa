"""Plain records the recommender reads and returns: profile vectors in, recommendations with reasons out."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from kakehashi.matchmaking.recommend.embedding import Matrix, Vector, unit_rows
from kakehashi.matchmaking.recommend.language import neutral_rows


@dataclass(frozen=True, slots=True)
class ProfileText:
    """One thing an organisation offers or seeks, with its raw model embedding (384 float32, unit length)."""

    text: str
    vector: Vector


@dataclass(frozen=True, slots=True)
class ProfileVectors:
    """What the index knows about one organisation (or person): hard-rule fields, sectors and texts.

    `stage` is a startup's current stage; `investment_stages` the stages an investor funds. Sector codes
    are dotted (`ict.software`): the part before the first dot is the top-level sector.
    """

    org_id: int
    country: str
    kind: str
    offers: tuple[ProfileText, ...] = ()
    seeks: tuple[ProfileText, ...] = ()
    sectors: frozenset[str] = frozenset()
    stage: str | None = None
    investment_stages: frozenset[str] = frozenset()

    def offer_centroid(self) -> Vector | None:
        """Unit mean of the language-neutral offer vectors, or None when the profile offers nothing."""
        return _centroid(self.offers)

    def seek_centroid(self) -> Vector | None:
        """Unit mean of the language-neutral seek vectors, or None when the profile seeks nothing."""
        return _centroid(self.seeks)


@dataclass(frozen=True, slots=True)
class PersonVectors:
    """What a person adds to their organisation's profile: their own expertise lines, with vectors.

    A person is never a candidate: they query with their organisation's country, kind, sectors and
    stage, and with their expertise blended into both directions ("I look for partners working on
    this" and "partners who seek this may want me").
    """

    user_id: int
    org_id: int
    expertise: tuple[ProfileText, ...] = ()

    def expertise_centroid(self) -> Vector | None:
        """Unit mean of the language-neutral expertise vectors, or None when there is no expertise."""
        return _centroid(self.expertise)

    def expertise_rows(self) -> Matrix | None:
        """One unit language-neutral vector per expertise line, or None when there is no expertise."""
        if not self.expertise:
            return None
        return unit_rows(neutral_rows([item.text for item in self.expertise],
                                      np.stack([item.vector for item in self.expertise])))


def _centroid(texts: tuple[ProfileText, ...]) -> Vector | None:
    if not texts:
        return None
    rows = neutral_rows([item.text for item in texts], np.stack([item.vector for item in texts]))
    return unit_rows(rows.mean(axis=0, dtype=np.float32)[None, :])[0]


class ReasonCode(StrEnum):
    """Why a partner was recommended; the web layer turns each code into a translated sentence."""

    SEEK_OFFER = "seek_offer"  # values: (my seek text, their offer text) — "you seek X; they offer Y"
    OFFER_SEEK = "offer_seek"  # values: (my offer text, their seek text) — "they seek Y; you offer X"
    SHARED_SECTORS = "shared_sectors"  # values: the shared sector codes
    STAGE_FIT = "stage_fit"  # values: (the startup's stage,)
    EXPERTISE_OFFER = "expertise_offer"  # values: (my expertise, their offer) — "your expertise in X; they offer Y"
    SEEK_EXPERTISE = "seek_expertise"  # values: (my expertise, their seek) — "they seek Y; you know X"


@dataclass(frozen=True, slots=True)
class Reason:
    """A reason as data: a code and the texts or codes it cites."""

    code: ReasonCode
    values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ScoreParts:
    """The components of a score, kept for tests, debugging and the organiser's eyes."""

    forward: float  # standardised: my seek vs their offer
    backward: float  # standardised: their seek vs my offer
    reciprocal: float  # harmonic mean of the two after softplus
    sectors: float
    exposure_penalty: float


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A ranked partner: higher score is better; scores compare within one list, not across lists."""

    org_id: int
    score: float
    reasons: list[Reason] = field(default_factory=list)
    parts: ScoreParts | None = None


class Verdict(StrEnum):
    """Feedback a requester gives on a recommended partner."""

    REQUEST_MEETING = "request_meeting"
    NOT_INTERESTED = "not_interested"
