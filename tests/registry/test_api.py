"""Registry API: listing and search with pagination, detail, create, update, verify; problems name fields."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from kakehashi.registry import queries
from tests.factories.registry import make_org
from tests.fixtures.actors import Cast
from tests.fixtures.web import WebClient

BODY: dict[str, Any] = {
    "kind": "startup", "name_en": "Pune Photonics Pvt Ltd", "country": "IN", "city": "Pune",
    "sectors": ["semi.design"], "identifiers": {"in_pan": "AAACR5055K", "in_gstin": "27AAACR5055K1Z7"},
    "contacts": {"email": "hello@photonics.example"},
}


def test_the_listing_pages_through_search_results(client: WebClient, db: Session, cast: Cast, bearer: Any) -> None:
    for n in range(5):
        make_org(db, name_en=f"Listing Org {n}", country="IN")
    response = client.get("/api/v1/organisations", params={"q": "listing", "size": 2, "page": 2},
                          headers=bearer(cast.in_org_member))
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["pages"], body["page"]) == (5, 3, 2)
    assert [item["name_en"] for item in body["items"]] == ["Listing Org 2", "Listing Org 3"]
    assert body["items"][0]["links"]["html"].startswith("/organisations/")


def test_past_the_cap_the_api_says_the_total_is_a_lower_bound(
    client: WebClient, db: Session, cast: Cast, bearer: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    for n in range(4):
        make_org(db, name_en=f"Boundhits Org {n}")
    exact = client.get("/api/v1/organisations", params={"q": "boundhits"}, headers=bearer(cast.in_org_member)).json()
    assert (exact["total"], exact["total_is_lower_bound"]) == (4, False)
    monkeypatch.setattr(queries, "RESULT_CAP", 3)
    response = client.get("/api/v1/organisations", params={"q": "boundhits", "size": 2, "page": 2},
                          headers=bearer(cast.in_org_member))
    body = response.json()
    assert (body["total"], body["total_is_lower_bound"], body["pages"], len(body["items"])) == (3, True, 2, 1)


def test_the_api_wants_a_token(client: WebClient) -> None:
    response = client.get("/api/v1/organisations")
    assert response.status_code == 401 and response.headers["content-type"] == "application/problem+json"


def test_it_creates_and_returns_an_organisation(client: WebClient, db: Session, cast: Cast, bearer: Any) -> None:
    response = client.post("/api/v1/organisations", json=BODY, headers=bearer(cast.in_org_member))
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/api/v1/organisations/{body['id']}"
    assert body["identifiers"] == {"in_gstin": "27AAACR5055K1Z7", "in_pan": "AAACR5055K"}
    assert body["verified"] is False and body["version"] == 1 and body["areas"] == ["semiconductors"]
    detail = client.get(f"/api/v1/organisations/{body['id']}", headers=bearer(cast.in_org_member))
    assert detail.json()["contacts"] == {"email": "hello@photonics.example"}


def test_an_invalid_gstin_is_a_problem_naming_the_field(client: WebClient, db: Session, cast: Cast,
                                                        bearer: Any) -> None:
    body = {**BODY, "identifiers": {"in_gstin": "27AAACR5055K1Z8"}}
    response = client.post("/api/v1/organisations", json=body, headers=bearer(cast.in_org_member))
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert errors[0]["field"] == "identifiers.in_gstin" and "check character" in errors[0]["message"]


def test_unknown_enums_and_fields_are_refused_by_name(client: WebClient, db: Session, cast: Cast,
                                                      bearer: Any) -> None:
    response = client.post("/api/v1/organisations", json={**BODY, "kind": "cooperative", "colour": "red"},
                           headers=bearer(cast.in_org_member))
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"kind", "colour"} <= fields


def test_a_duplicate_identifier_is_a_409_that_links_the_holder(client: WebClient, db: Session, cast: Cast,
                                                               bearer: Any) -> None:
    holder = make_org(db, country="IN", identifiers={"in_pan": "AAACR5055K"})
    response = client.post("/api/v1/organisations", json=BODY, headers=bearer(cast.in_org_member))
    assert response.status_code == 409
    assert f"/organisations/{holder.id}" in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == "identifiers.in_pan"


def test_an_update_needs_the_current_version(client: WebClient, db: Session, cast: Cast, bearer: Any) -> None:
    headers = bearer(cast.meity_officer)
    created = client.post("/api/v1/organisations", json=BODY, headers=headers).json()
    url = f"/api/v1/organisations/{created['id']}"
    first = client.put(url, json={**BODY, "city": "Mumbai", "version": 1}, headers=headers)
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.put(url, json={**BODY, "city": "Nagpur", "version": 1}, headers=headers)
    assert stale.status_code == 409 and stale.json()["errors"][0]["field"] == "version"


def test_only_the_own_sides_officer_verifies_through_the_api(client: WebClient, db: Session, cast: Cast,
                                                             bearer: Any) -> None:
    url = f"/api/v1/organisations/{cast.in_org.id}/verify"
    assert client.post(url, headers=bearer(cast.meti_officer)).status_code == 403
    verified = client.post(url, headers=bearer(cast.meity_officer))
    assert verified.status_code == 200 and verified.json()["verified_by"] == cast.meity_officer.id
    withdrawn = client.delete(url, params={"reason": "duplicate record"}, headers=bearer(cast.meity_officer))
    assert withdrawn.json()["verified"] is False


def test_a_missing_organisation_is_a_404_problem(client: WebClient, db: Session, cast: Cast, bearer: Any) -> None:
    response = client.get("/api/v1/organisations/999999", headers=bearer(cast.in_org_member))
    assert response.status_code == 404 and response.json()["status"] == 404


def test_the_registry_is_described_in_the_openapi_document(client: WebClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/v1/organisations", "/api/v1/organisations/{org_id}", "/api/v1/organisations/{org_id}/verify"} <= \
        set(paths)
