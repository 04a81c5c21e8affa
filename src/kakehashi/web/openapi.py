"""The OpenAPI document declares the problem responses and media types the routes really answer with.

Every API operation may answer RFC 9457 problem+json for 401/403/404/409/422/429 (the shell's error handlers,
`web.errors`); FastAPI only knows its own 422 shape, so the document is completed here in one step rather
than route by route. Routes answering other media types (CSV exports, JSON-LD) declare them with the
`responses=` constants below.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from kakehashi.web.bounds import INT_MAX, INT_MIN

PROBLEM = "application/problem+json"
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details; `errors` names each offending field.",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference", "examples": ["/problems/not_found"]},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string", "format": "uri-reference"},
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["field", "message"],
            "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
        }},
    },
}
PROBLEMS = {
    "401": "Not signed in, or the API token is unknown or revoked.",
    "403": "The caller may not do this (or the CSRF token is missing).",
    "404": "No such thing, or the caller may not know it exists.",
    "409": "The request conflicts with the current state.",
    "422": "Some input is not valid (each field named in `errors`).",
    "429": "Too many requests.",
}
CSV: dict[int | str, dict[str, Any]] = {
    200: {"description": "CSV (UTF-8).", "content": {"text/csv": {"schema": {"type": "string"}}}},
}
SPREADSHEETS: dict[int | str, dict[str, Any]] = {
    200: {"description": "CSV or XLSX, as the path's extension asks.", "content": {
        "text/csv": {"schema": {"type": "string"}},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}},
    }},
}
DOCUMENT_OR_DECISION: dict[int | str, dict[str, Any]] = {
    200: {"description": "The document itself (its own media type), or the decision as JSON.",
          "content": {"application/json": {"schema": {"type": "object"}},
                      "*/*": {"schema": {"type": "string", "format": "binary"}}}},
}
JSON_LD: dict[int | str, dict[str, Any]] = {
    200: {"description": "JSON-LD.", "content": {"application/ld+json": {"schema": {"type": "object"}}}},
}


def _problem_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def complete(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the Problem schema and, to every /api/ operation, the problem responses (replacing FastAPI's 422)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM_SCHEMA
    for path, item in schema.get("paths", {}).items():
        for operation in item.values():
            for parameter in operation.get("parameters", []):  # what web.bounds enforces
                _bound(parameter.get("schema", {}))
        if not path.startswith("/api/"):
            continue
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            for status, description in PROBLEMS.items():
                responses[status] = _problem_response(description)
    for unused in ("HTTPValidationError", "ValidationError"):
        if not _referenced(schema, f"#/components/schemas/{unused}"):
            components.pop(unused, None)
    return schema


def _bound(schema: dict[str, Any]) -> None:
    for option in [schema, *schema.get("anyOf", []), schema.get("items", {})]:
        if option.get("type") == "integer":
            option.setdefault("minimum", INT_MIN)
            option.setdefault("maximum", INT_MAX)


def _referenced(node: Any, ref: str) -> bool:
    if isinstance(node, dict):
        return node.get("$ref") == ref or any(_referenced(v, ref) for v in node.values())
    if isinstance(node, list):
        return any(_referenced(v, ref) for v in node)
    return False


def install(app: FastAPI) -> None:
    """Complete the app's generated document once, when it is first asked for."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if getattr(app.state, "openapi_completed", False) and app.openapi_schema:
            return app.openapi_schema
        schema = complete(generate())
        app.state.openapi_completed = True
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
