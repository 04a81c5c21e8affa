"""Cross-language partner recommendations: embed profiles on save, rank reciprocal partners per query.

Public surface for the rest of matchmaking (and the lead's wiring): build `ProfileVectors` with an
`Embedder`, keep them in a `RecommendationIndex`, call `recommend`. `KeywordIndex` is the keyword-only
baseline the bench compares against.
"""

from kakehashi.matchmaking.recommend.embedding import Embedder, load_e5, normalise_text, text_key
from kakehashi.matchmaking.recommend.engine import MAX_LIMIT, RecommendationIndex
from kakehashi.matchmaking.recommend.errors import InvalidLimit, TaxonomyFull, UnknownProfile
from kakehashi.matchmaking.recommend.records import (
    ProfileText,
    ProfileVectors,
    Reason,
    ReasonCode,
    Recommendation,
    ScoreParts,
    Verdict,
)  # fmt: skip
from kakehashi.matchmaking.recommend.rules import PartnerRules
from kakehashi.matchmaking.recommend.scoring import Tuning

__all__ = [
    "MAX_LIMIT", "Embedder", "InvalidLimit", "PartnerRules", "ProfileText", "ProfileVectors", "Reason",
    "ReasonCode", "Recommendation", "RecommendationIndex", "ScoreParts", "TaxonomyFull", "Tuning",
    "UnknownProfile", "Verdict", "load_e5", "normalise_text", "text_key",
]  # fmt: skip
