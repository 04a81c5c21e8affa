"""JSON shapes of the recommendations API."""

from __future__ import annotations

from pydantic import BaseModel, Field

from kakehashi.matchmaking.recommend.records import Verdict


class ReasonOut(BaseModel):
    """A reason as data (`code`, `values`) and as a sentence in the caller's language (`text`)."""

    code: str = Field(examples=["seek_offer"])
    values: list[str] = Field(description="seek_offer/offer_seek/expertise_offer/seek_expertise: [my text, their "
                                          "text]; shared_sectors: codes; stage_fit: [stage]")
    text: str


class PartsOut(BaseModel):
    """How the score was made: standardised directions, their harmonic mean, sector bonus, exposure penalty."""

    forward: float
    backward: float
    reciprocal: float
    sectors: float
    exposure_penalty: float


class PartnerOut(BaseModel):
    """One recommended partner."""

    org_id: int
    name: str
    country: str
    kind: str
    score: float = Field(description="Higher is better; comparable within one list only.")
    reasons: list[ReasonOut]
    parts: PartsOut | None = None
    verdict: Verdict | None = Field(None, description="Feedback already given on this partner, if any.")


class RecommendationsOut(BaseModel):
    """Ranked partners for one organisation, best first."""

    org_id: int
    items: list[PartnerOut]


class PersonRecommendationsOut(BaseModel):
    """Ranked partners for one person (on behalf of their organisation), best first."""

    user_id: int
    org_id: int = Field(description="The person's organisation, whose country, kind, sectors and stage apply.")
    items: list[PartnerOut]


class FeedbackIn(BaseModel):
    """A verdict on a recommended partner."""

    verdict: Verdict
