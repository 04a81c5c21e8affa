"""Recommendations over HTTP: the JSON API and the page with its feedback buttons."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from kakehashi.kernel.authz import SYSTEM, Role
from kakehashi.matchmaking.recommend import api, web
from kakehashi.matchmaking.recommend.services import refresh_profile
from kakehashi.registry.models import Organisation
from tests.factories.identity import make_user
from tests.factories.registry import make_org

OFFER_JA = "自動車工場向けの産業用ロボットを製造しています。"
SEEK_EN = "We are looking for AI software that predicts machine failures."
OFFER_HI = "हम मशीनों की खराबी का पूर्वानुमान लगाने वाला एआई सॉफ्टवेयर बनाते हैं।"
SEEK_HI = "हमें कार कारखानों के लिए औद्योगिक रोबोट चाहिए।"


@pytest.fixture(autouse=True)
def routes(app: FastAPI) -> None:
    """Mount the recommender's routers when the shell does not (yet) include them."""
    paths = {getattr(route, "path", "") for route in app.routes}
    if "/api/v1/organisations/{org_id}/recommendations" not in paths:
        app.include_router(api.router)
        app.include_router(web.router)


@pytest.fixture
def orgs(db: Session) -> tuple[Organisation, Organisation, Organisation]:
    jp = make_org(db, country="JP", name_en="Sakura Robotics", offers=OFFER_JA, seeks=SEEK_EN)
    partner = make_org(db, country="IN", name_en="Pune Predictive AI", offers=OFFER_HI, seeks=SEEK_HI)
    other = make_org(db, country="IN", name_en="Cotton Exports", offers="We export cotton.", seeks="We need dyes.")
    for org in (jp, partner, other):
        refresh_profile(db, org.id, actor=SYSTEM)
    return jp, partner, other


def test_the_api_ranks_the_cross_language_partner_first(db: Session, login: Any, orgs: Any) -> None:
    jp, partner, other = orgs
    client = login(make_user(db, role=Role.ORG_MEMBER, org_id=jp.id))
    response = client.get(f"/api/v1/organisations/{jp.id}/recommendations?limit=5")
    assert response.status_code == 200
    body = response.json()
    assert [item["org_id"] for item in body["items"]] == [partner.id, other.id]
    first = body["items"][0]
    assert first["name"] == "Pune Predictive AI" and first["country"] == "IN" and first["verdict"] is None
    seek_offer = next(r for r in first["reasons"] if r["code"] == "seek_offer")
    assert seek_offer["values"] == [SEEK_EN, OFFER_HI]
    assert SEEK_EN in seek_offer["text"] and OFFER_HI in seek_offer["text"]


def test_the_api_refuses_a_bad_limit_with_problem_json(db: Session, login: Any, orgs: Any) -> None:
    jp = orgs[0]
    client = login(make_user(db, role=Role.ORG_MEMBER, org_id=jp.id))
    response = client.get(f"/api/v1/organisations/{jp.id}/recommendations?limit=0")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "limit" in response.text


def test_the_api_keeps_other_organisations_recommendations_private(db: Session, login: Any, orgs: Any) -> None:
    jp, partner, _ = orgs
    client = login(make_user(db, role=Role.ORG_MEMBER, org_id=partner.id))
    assert client.get(f"/api/v1/organisations/{jp.id}/recommendations").status_code == 403
    assert client.get("/api/v1/organisations/99999999/recommendations").status_code in (403, 404)


def test_api_feedback_hides_a_partner_and_can_be_withdrawn(db: Session, login: Any, orgs: Any) -> None:
    jp, partner, other = orgs
    client = login(make_user(db, role=Role.ORG_ADMIN, org_id=jp.id))
    url = f"/api/v1/organisations/{jp.id}/recommendations"
    assert client.api("PUT", f"{url}/{partner.id}/feedback", json={"verdict": "not_interested"}).status_code == 204
    assert [item["org_id"] for item in client.get(url).json()["items"]] == [other.id]
    assert client.api("PUT", f"{url}/{partner.id}/feedback", json={"verdict": "maybe"}).status_code == 422
    assert client.api("DELETE", f"{url}/{partner.id}/feedback").status_code == 204
    assert partner.id in [item["org_id"] for item in client.get(url).json()["items"]]


def test_the_page_lists_partners_with_reasons_and_buttons(db: Session, login: Any, orgs: Any) -> None:
    jp, partner, _ = orgs
    client = login(make_user(db, role=Role.ORG_MEMBER, org_id=jp.id))
    response = client.get("/matchmaking/recommendations")
    assert response.status_code == 303 and response.headers["location"] == f"/organisations/{jp.id}/recommendations"
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert "Pune Predictive AI" in page.text and OFFER_HI in page.text
    assert "Request a meeting" in page.text and "Not interested" in page.text


def test_the_page_buttons_record_feedback_with_and_without_htmx(db: Session, login: Any, orgs: Any) -> None:
    jp, partner, other = orgs
    client = login(make_user(db, role=Role.ORG_MEMBER, org_id=jp.id))
    url = f"/organisations/{jp.id}/recommendations/{partner.id}/feedback"
    partial = client.post_form(url, {"verdict": "request_meeting"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "Meeting requested" in partial.text and "<html" not in partial.text
    redirected = client.post_form(f"/organisations/{jp.id}/recommendations/{other.id}/feedback",
                                  {"verdict": "not_interested"})
    assert redirected.status_code == 303
    page = client.get(f"/organisations/{jp.id}/recommendations").text
    assert "Meeting requested" in page and "Cotton Exports" not in page


def test_an_officer_sees_the_page_without_buttons(db: Session, login: Any, cast: Any, orgs: Any) -> None:
    jp = orgs[0]
    page = login(cast.meti_officer).get(f"/organisations/{jp.id}/recommendations")
    assert page.status_code == 200 and "Pune Predictive AI" in page.text and "Request a meeting" not in page.text


def test_signed_out_visitors_are_refused(client: Any, orgs: Any) -> None:
    response = client.get(f"/api/v1/organisations/{orgs[0].id}/recommendations")
    assert response.status_code == 401
