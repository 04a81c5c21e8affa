"""Recommendations API: ranked partners for an organisation or a person, and feedback the ranking learns from."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from kakehashi.matchmaking.recommend import people, queries, services
from kakehashi.matchmaking.recommend.records import Verdict
from kakehashi.matchmaking.recommend.schemas import (
    FeedbackIn,
    PartnerOut,
    PartsOut,
    PersonRecommendationsOut,
    ReasonOut,
    RecommendationsOut,
)  # fmt: skip
from kakehashi.matchmaking.recommend.wording import reason_text
from kakehashi.web.deps import DB, CurrentActor
from kakehashi.web.i18n import current_locale

router = APIRouter(prefix="/api/v1", tags=["matchmaking"])


def partner_out(suggestion: services.Suggestion, verdict: Verdict | None) -> PartnerOut:
    """The API shape of a suggestion."""
    rec, org = suggestion.recommendation, suggestion.organisation
    parts = PartsOut(**{name: getattr(rec.parts, name) for name in PartsOut.model_fields}) if rec.parts else None
    return PartnerOut(
        org_id=rec.org_id, name=org.display_name(current_locale.get()), country=org.country, kind=org.kind,
        score=round(rec.score, 4), parts=parts, verdict=verdict,
        reasons=[ReasonOut(code=r.code.value, values=list(r.values), text=reason_text(r)) for r in rec.reasons],
    )


@router.get("/organisations/{org_id}/recommendations")
def recommendations(org_id: int, session: DB, actor: CurrentActor, limit: int = 10) -> RecommendationsOut:
    """Partners from the other country, best first, with reasons; showing them counts as exposure."""
    suggestions = services.recommend_partners(session, org_id, actor=actor, limit=limit)
    verdicts = queries.verdicts_of(session, org_id)
    session.commit()
    return RecommendationsOut(org_id=org_id, items=[partner_out(s, verdicts.get(s.recommendation.org_id))
                                                    for s in suggestions])


@router.put("/organisations/{org_id}/recommendations/{partner_id}/feedback", status_code=204)
def give_feedback(org_id: int, partner_id: int, body: FeedbackIn, session: DB, actor: CurrentActor) -> Response:
    """Record "request_meeting" or "not_interested" (replacing an earlier verdict)."""
    services.give_feedback(session, org_id, partner_id, body.verdict, actor=actor)
    session.commit()
    return Response(status_code=204)


@router.delete("/organisations/{org_id}/recommendations/{partner_id}/feedback", status_code=204)
def withdraw_feedback(org_id: int, partner_id: int, session: DB, actor: CurrentActor) -> Response:
    """Withdraw a verdict."""
    services.withdraw_feedback(session, org_id, partner_id, actor=actor)
    session.commit()
    return Response(status_code=204)


@router.get("/people/{user_id}/recommendations")
def person_recommendations(user_id: int, session: DB, actor: CurrentActor, limit: int = 10) -> PersonRecommendationsOut:
    """Partners from the other country for one person: their expertise on top of their organisation's profile.

    The person themself, their organisation's administrators, officers and admins may call it.
    """
    suggestions = people.recommend_for_person(session, user_id, actor=actor, limit=limit)
    verdicts = queries.person_verdicts_of(session, user_id)
    org_id = people.organisation_of(session, user_id)
    session.commit()
    return PersonRecommendationsOut(user_id=user_id, org_id=org_id,
                                    items=[partner_out(s, verdicts.get(s.recommendation.org_id)) for s in suggestions])


@router.put("/people/{user_id}/recommendations/{partner_id}/feedback", status_code=204)
def give_person_feedback(user_id: int, partner_id: int, body: FeedbackIn, session: DB,
                         actor: CurrentActor) -> Response:
    """Record the person's "request_meeting" or "not_interested" (only the person themself, or an admin)."""
    people.give_person_feedback(session, user_id, partner_id, body.verdict, actor=actor)
    session.commit()
    return Response(status_code=204)


@router.delete("/people/{user_id}/recommendations/{partner_id}/feedback", status_code=204)
def withdraw_person_feedback(user_id: int, partner_id: int, session: DB, actor: CurrentActor) -> Response:
    """Withdraw the person's verdict."""
    people.withdraw_person_feedback(session, user_id, partner_id, actor=actor)
    session.commit()
    return Response(status_code=204)
