"""The OpenAPI document declares every problem response and media type the API really answers with."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqlalchemy.orm import Session

from tests.fixtures.actors import Cast
from tests.fixtures.web import WebClient
from tests.security.routes import routes

PROBLEM = "application/problem+json"
PROBLEM_STATUSES = ("401", "403", "404", "409", "422")


def _operation(document: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"][path][method.lower()]
    return operation


def test_every_api_operation_declares_the_problem_responses(client: WebClient, app: FastAPI) -> None:
    document = client.get("/api/openapi.json").json()
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "instance", "errors"} <= set(problem["properties"])
    checked = 0
    for info in routes(app):
        if not info.path.startswith("/api/v1/") or not info.route.include_in_schema:
            continue
        for method in info.methods - {"HEAD"}:
            responses = _operation(document, info.path, method)["responses"]
            for status in PROBLEM_STATUSES:
                content = responses.get(status, {}).get("content", {})
                assert list(content) == [PROBLEM], (method, info.path, status)
                assert content[PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}
            checked += 1
    assert checked > 40


def test_integer_parameters_declare_the_bounds_the_shell_enforces(client: WebClient) -> None:
    document = client.get("/api/openapi.json").json()
    parameter = _operation(document, "/api/v1/organisations/{org_id}", "get")["parameters"][0]
    assert parameter["schema"]["maximum"] == 2**31 - 1 and parameter["schema"]["minimum"] == -(2**31)


def test_exports_declare_csv_and_other_media_types(client: WebClient) -> None:
    document = client.get("/api/openapi.json").json()
    assert "text/csv" in _operation(document, "/organisations/export.csv", "get")["responses"]["200"]["content"]
    assert "text/csv" in _operation(document, "/governance/export.{fmt}", "get")["responses"]["200"]["content"]
    policy = _operation(document, "/api/v1/exchange/items/{item_id}/policy", "get")["responses"]["200"]["content"]
    assert "application/ld+json" in policy


def test_real_errors_answer_a_media_type_the_document_declares(
        client: WebClient, db: Session, cast: Cast, bearer: Any) -> None:
    document = client.get("/api/openapi.json").json()
    headers = bearer(cast.in_org_member)
    cases = [
        ("get", "/api/v1/organisations/{org_id}", "/api/v1/organisations/99999999", {}, 404),
        ("get", "/api/v1/organisations/{org_id}", f"/api/v1/organisations/{2**40}", {}, 422),
        ("get", "/api/v1/organisations", "/api/v1/organisations?page=abc", {}, 422),
        ("post", "/api/v1/organisations", "/api/v1/organisations", {"json": {"kind": "nope"}}, 422),
        ("get", "/api/v1/organisations", "/api/v1/organisations", {"headers": {}}, 401),
    ]
    for method, template, url, extra, status in cases:
        response = client.request(method, url, **{"headers": headers, **extra})
        assert response.status_code == status, (url, response.text)
        declared = _operation(document, template, method)["responses"][str(status)]["content"]
        assert response.headers["content-type"].split(";")[0] in declared, url


def test_csv_exports_answer_the_declared_media_type(client: WebClient, db: Session, cast: Cast, login: Any) -> None:
    document = client.get("/api/openapi.json").json()
    declared = _operation(document, "/organisations/export.csv", "get")["responses"]["200"]["content"]
    response = login(cast.admin).get("/organisations/export.csv")
    assert response.status_code == 200 and response.headers["content-type"].split(";")[0] in declared
