"""Recommendations pages (an organisation's, a person's): ranked partners with reasons and
"request a meeting" / "not interested" buttons."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kakehashi import identity, registry
from kakehashi.kernel.errors import DomainError, Forbidden
from kakehashi.kernel.i18n import N_
from kakehashi.matchmaking.recommend import people, queries, services
from kakehashi.matchmaking.recommend.records import Verdict
from kakehashi.matchmaking.recommend.wording import reason_text
from kakehashi.web.deps import DB, CurrentActor, csrf_protect
from kakehashi.web.i18n import gettext as _
from kakehashi.web.templating import render

router = APIRouter(dependencies=[Depends(csrf_protect)])
PAGE_SIZE = 20


@router.get("/matchmaking/recommendations")
def my_recommendations(actor: CurrentActor) -> Response:
    """Shortcut from the menu: the signed-in member's own organisation."""
    if actor.org_id is None:
        raise Forbidden(N_("Recommendations are for members of an organisation."), code="forbidden")
    return RedirectResponse(f"/organisations/{actor.org_id}/recommendations", status_code=303)


@router.get("/organisations/{org_id}/recommendations", response_class=HTMLResponse)
def recommendations_page(request: Request, org_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """The ranked partners of one organisation."""
    suggestions = services.recommend_partners(session, org_id, actor=actor, limit=PAGE_SIZE)
    verdicts = queries.verdicts_of(session, org_id)
    session.commit()
    cards = [_card(s, verdicts.get(s.recommendation.org_id)) for s in suggestions]
    can_act = actor.org_id == org_id or actor.is_admin
    return render(request, "matchmaking/recommend/recommendations.html",
                  {"org_id": org_id, "cards": cards, "can_act": can_act,
                   "feedback_base": f"/organisations/{org_id}/recommendations", "mine": actor.org_id == org_id})


@router.post("/organisations/{org_id}/recommendations/{partner_id}/feedback")
def feedback(
    request: Request, org_id: int, partner_id: int, session: DB, actor: CurrentActor, verdict: str = Form("")
) -> Response:
    """Record a verdict (or withdraw it with verdict=withdraw); htmx gets the updated card back."""
    return _record_verdict(
        request, session, f"/organisations/{org_id}/recommendations", verdict,
        give=lambda given: services.give_feedback(session, org_id, partner_id, given, actor=actor),
        withdraw=lambda: services.withdraw_feedback(session, org_id, partner_id, actor=actor), partner_id=partner_id)


def _record_verdict(request: Request, session: Session, base: str, verdict: str, *, give: Callable[[Verdict], object],
                    withdraw: Callable[[], object], partner_id: int) -> Response:
    """Give or withdraw a verdict in one transaction; htmx gets the card's buttons back, a form a redirect."""
    try:
        if verdict == "withdraw":
            withdraw()
            given: Verdict | None = None
        else:
            given = _verdict(verdict)
            give(given)
    except DomainError:
        session.rollback()
        raise
    session.commit()
    if request.headers.get("HX-Request") == "true":
        return render(request, "matchmaking/recommend/_verdict.html",
                      {"feedback_base": base, "partner_id": partner_id, "verdict": given, "can_act": True})
    return RedirectResponse(base, status_code=303)


@router.get("/people/me/recommendations")
def my_person_recommendations(actor: CurrentActor) -> Response:
    """Shortcut from the menu and the profile page: partners for the signed-in person's own expertise."""
    if actor.user_id is None or actor.org_id is None:
        raise Forbidden(N_("Recommendations are for members of an organisation."), code="forbidden")
    return RedirectResponse(f"/people/{actor.user_id}/recommendations", status_code=303)


@router.get("/people/{user_id}/recommendations", response_class=HTMLResponse)
def person_recommendations_page(request: Request, user_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """The ranked partners of one person: their expertise on top of their organisation's profile."""
    suggestions = people.recommend_for_person(session, user_id, actor=actor, limit=PAGE_SIZE)
    verdicts = queries.person_verdicts_of(session, user_id)
    user = identity.get_user(session, user_id)
    session.commit()
    cards = [_card(s, verdicts.get(s.recommendation.org_id)) for s in suggestions]
    return render(request, "matchmaking/recommend/person.html", {
        "person": user, "cards": cards, "can_act": people.may_act_for(actor, user_id),
        "feedback_base": f"/people/{user_id}/recommendations", "mine": actor.user_id == user_id,
        "expertise": [line for line in (user.expertise or "").splitlines() if line.strip()]})


@router.post("/people/{user_id}/recommendations/{partner_id}/feedback")
def person_feedback(
    request: Request, user_id: int, partner_id: int, session: DB, actor: CurrentActor, verdict: str = Form("")
) -> Response:
    """Record the person's verdict (or withdraw it); htmx gets the updated card back."""
    return _record_verdict(
        request, session, f"/people/{user_id}/recommendations", verdict,
        give=lambda given: people.give_person_feedback(session, user_id, partner_id, given, actor=actor),
        withdraw=lambda: people.withdraw_person_feedback(session, user_id, partner_id, actor=actor),
        partner_id=partner_id)


def _verdict(value: str) -> Verdict:
    try:
        return Verdict(value)
    except ValueError:
        raise DomainError(N_("Choose “request a meeting” or “not interested”."), field="verdict") from None


def _card(suggestion: services.Suggestion, verdict: Verdict | None) -> dict[str, object]:
    rec, org = suggestion.recommendation, suggestion.organisation
    return {
        "org": org,
        "score": rec.score,
        "verdict": verdict,
        "reasons": [reason_text(r) for r in rec.reasons],
        "kind_name": _(registry.KIND_NAMES.get(org.kind, org.kind)),
        "country_name": _("Japan") if org.country == "JP" else _("India") if org.country == "IN" else org.country,
    }
