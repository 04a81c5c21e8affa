"""Cross-language partner recommendations: embed profiles on save, rank reciprocal partners per query.

Use cases (with a session, services style): `refresh_profile` after an organisation profile is saved,
`sync_profiles` as a job, `recommend_partners`, `give_feedback` / `withdraw_feedback`, `set_stage`.
For people (people.py): `refresh_person` (run by identity's profile-save hook, registered here),
`sync_people` as a job, `recommend_for_person`, `give_person_feedback` / `withdraw_person_feedback`.
The pure engine: build `ProfileVectors` with an `Embedder`, keep them in a `RecommendationIndex`, call
`recommend`. `KeywordIndex` (baseline.py) is the keyword-only yardstick the bench compares against.
"""

from kakehashi import identity, matchmaking
from kakehashi.matchmaking.recommend.embedding import Embedder, load_e5, normalise_text, text_key
from kakehashi.matchmaking.recommend.engine import MAX_LIMIT, RecommendationIndex
from kakehashi.matchmaking.recommend.errors import InvalidLimit, SelfFeedback, TaxonomyFull, UnknownProfile
from kakehashi.matchmaking.recommend.people import (
    give_person_feedback,
    person_profile_saved,
    recommend_for_person,
    refresh_person,
    sync_people,
    withdraw_person_feedback,
)  # fmt: skip
from kakehashi.matchmaking.recommend.records import (
    PersonVectors,
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
from kakehashi.matchmaking.recommend.services import (
    Suggestion,
    forget_withdrawn_lines,
    give_feedback,
    recommend_partners,
    refresh_profile,
    set_stage,
    sync_profiles,
    withdraw_feedback,
)  # fmt: skip

__all__ = [
    "MAX_LIMIT", "Embedder", "InvalidLimit", "PartnerRules", "PersonVectors", "ProfileText", "ProfileVectors",
    "Reason", "ReasonCode", "Recommendation", "RecommendationIndex", "ScoreParts", "SelfFeedback", "Suggestion",
    "TaxonomyFull", "Tuning", "UnknownProfile", "Verdict", "forget_withdrawn_lines", "give_feedback",
    "give_person_feedback", "load_e5", "normalise_text", "recommend_for_person", "recommend_partners",
    "refresh_person", "refresh_profile", "set_stage", "sync_people", "sync_profiles", "text_key",
    "withdraw_feedback", "withdraw_person_feedback",
]  # fmt: skip

# A person's expertise is embedded when they save their profile, never per request.
identity.on_profile_saved(person_profile_saved)
# An opportunity edited (perhaps made anonymous), withdrawn or expired leaves the recommender at once.
matchmaking.on_texts_withdrawn(forget_withdrawn_lines)
