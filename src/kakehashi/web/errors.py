"""Errors to people and programs: RFC 9457 problem+json for the API, friendly pages for browsers.

No stack trace ever reaches a user; unexpected errors are logged with an id the user can quote.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from kakehashi.kernel.errors import DomainError, Unauthenticated, ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.web.dbguard import NUMBER_MESSAGE
from kakehashi.web.i18n import gettext as _
from kakehashi.web.templating import render

log = logging.getLogger("kakehashi.web")
PROBLEM = "application/problem+json"
NUMERIC_OUT_OF_RANGE = "22003"


def wants_json(request: Request) -> bool:
    """API paths, and clients that ask for JSON rather than HTML."""
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def problem(request: Request, status: int, title: str, detail: str, *, code: str,
            errors: list[dict[str, str]] | None = None) -> JSONResponse:
    """An RFC 9457 problem document; `errors` names each offending field."""
    body: dict[str, Any] = {
        "type": f"/problems/{code}", "title": title, "status": status, "detail": detail,
        "instance": request.url.path,
    }
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _field_errors(exc: DomainError) -> list[dict[str, str]]:
    if isinstance(exc, ValidationFailed):
        return [{"field": field, "message": message} for field, message in exc.errors.items()]
    return [{"field": exc.field, "message": exc.message}] if exc.field else []


async def on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if wants_json(request):
        return problem(request, exc.status, exc.code.replace("_", " ").capitalize(), exc.message,
                       code=exc.code, errors=_field_errors(exc))
    if isinstance(exc, Unauthenticated) and request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    return render(request, "error.html", {"status": exc.status, "message": _(exc.message)}, exc.status)


async def on_request_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": ".".join(str(part) for part in error["loc"] if part not in ("body", "query", "path")),
         "message": str(error["msg"])}
        for error in exc.errors()
    ]
    if wants_json(request):
        return problem(request, 422, "Invalid request", "Some fields are not valid.", code="validation",
                       errors=errors)
    message = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return render(request, "error.html", {"status": 422, "message": message}, 422)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    titles = {404: "Not found", 405: "Method not allowed", 413: "Too large"}
    title = titles.get(exc.status_code, "Error")
    if wants_json(request):
        return problem(request, exc.status_code, title, str(exc.detail), code=title.lower().replace(" ", "_"))
    return render(request, "error.html", {"status": exc.status_code, "message": _(title)}, exc.status_code)


# PostgreSQL: serialization_failure, deadlock_detected, lock_not_available (lock_timeout);
# SQLite: SQLITE_BUSY and SQLITE_LOCKED (with their extended codes, e.g. BUSY_SNAPSHOT).
CONCURRENCY_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
SQLITE_BUSY, SQLITE_LOCKED = 5, 6
CONCURRENT_CHANGE = N_("Someone else changed this at the same moment, so nothing was saved. Reload the page and try again.")


def is_concurrency_error(exc: BaseException) -> bool:
    """An error of the database that a concurrent request caused: a constraint that another transaction's
    row now violates, a serialisation failure or deadlock, a lock that could not be had in time."""
    if isinstance(exc, IntegrityError):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    original = exc.orig
    if getattr(original, "sqlstate", None) in CONCURRENCY_SQLSTATES:
        return True
    code = getattr(original, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)


async def on_database_error(request: Request, exc: Exception) -> Response:
    """The safety net under every route: a race the route did not foresee is a 409, not a 500. The request's
    session is closed (its transaction rolled back) by the `get_db` dependency, so nothing is half-written."""
    if not is_concurrency_error(exc):
        return await on_unexpected(request, exc)  # e.g. a number too large for its column, or a real fault
    log.warning("concurrent change on %s %s: %s", request.method, request.url.path, exc.__class__.__name__)
    session = getattr(request.state, "db", None)
    if session is not None:
        session.rollback()  # release the locks now; nothing of this request is kept
    detail = _(CONCURRENT_CHANGE)
    if wants_json(request):
        return problem(request, 409, "Conflict", detail, code="concurrent_change")
    return render(request, "error.html", {"status": 409, "message": detail}, 409)


async def on_unexpected(request: Request, exc: Exception) -> Response:
    if isinstance(exc, DataError) and getattr(exc.orig, "sqlstate", None) == NUMERIC_OUT_OF_RANGE:
        # a number in a form or JSON body too large for its column (web.bounds covers path and query)
        return await on_domain_error(request, ValidationFailed({"value": NUMBER_MESSAGE}))
    incident = secrets.token_hex(4)
    log.exception("unexpected error %s on %s %s", incident, request.method, request.url.path)
    detail = f"Something went wrong on our side (incident {incident})."
    if wants_json(request):
        return problem(request, 500, "Internal error", detail, code="internal")
    return render(request, "error.html", {"status": 500, "message": detail}, 500)


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""
    app.add_exception_handler(DomainError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_request_validation)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(DBAPIError, on_database_error)
    app.add_exception_handler(Exception, on_unexpected)
