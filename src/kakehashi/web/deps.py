"""Request dependencies: the database session, the actor, permission checks and CSRF."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kakehashi.db import mark_writing
from kakehashi.identity import services as identity
from kakehashi.kernel import notifications
from kakehashi.kernel.authz import ANONYMOUS, Actor, require
from kakehashi.kernel.errors import DomainError, Forbidden, Unauthenticated
from kakehashi.settings import Settings

SESSION_COOKIE = "kk_session"
CSRF_COOKIE = "kk_csrf"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def get_db(request: Request) -> Iterator[Session]:
    """One session per request; routes that write call `session.commit()` once, at the end.

    A request with an unsafe method is a writer: on SQLite its transactions take the write lock up front
    (BEGIN IMMEDIATE), so concurrent writers queue instead of failing with "database is locked"."""
    with request.app.state.sessionmaker() as session:
        if request.method in UNSAFE_METHODS:
            mark_writing(session)
        request.state.db = session  # the shell's safety net rolls it back at once on a database conflict
        yield session


DB = Annotated[Session, Depends(get_db)]


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def csrf_token_for(secret_key: str, cookie_value: str) -> str:
    """The token a form must echo: an HMAC of the browser's CSRF cookie under our secret key."""
    return hmac.new(secret_key.encode(), cookie_value.encode(), hashlib.sha256).hexdigest()


def current_actor(request: Request, session: DB) -> Actor:
    """Who is calling: a bearer token (API), else the session cookie (pages and their scripts)."""
    resolved = getattr(request.state, "actor", None)
    if isinstance(resolved, Actor):  # already resolved for this request (signed_in_unless_public)
        return resolved
    settings = get_settings(request)
    authorization = request.headers.get("authorization", "")
    user = None
    if authorization.lower().startswith("bearer "):
        user = identity.resolve_api_token(session, authorization[7:].strip())
        if user is None:
            raise DomainError("The API token is unknown, expired or revoked.", code="invalid_token") from None
        if session.dirty:  # the token's last use moved (at most once a minute): best effort
            try:
                session.commit()
            except OperationalError:
                session.rollback()
    else:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            user = identity.resolve_session(
                session, token, idle=dt.timedelta(minutes=settings.session_idle_minutes),
                absolute=dt.timedelta(hours=settings.session_absolute_hours),
            )
            if session.dirty:  # the sliding expiry moved: best effort
                try:
                    session.commit()
                except OperationalError:  # SQLite: another process slid it first (this snapshot is stale)
                    session.rollback()
            if user is not None and request.method in UNSAFE_METHODS and request.url.path.startswith("/api/"):
                _check_csrf_header(request, settings)
    actor = user.actor() if user is not None else ANONYMOUS
    request.state.actor = actor
    request.state.unread = notifications.unread_count(session, user.id) if user is not None else 0
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]


def _check_csrf_header(request: Request, settings: Settings) -> None:
    expected = csrf_token_for(settings.secret_key, request.cookies.get(CSRF_COOKIE, ""))
    if not hmac.compare_digest(expected, request.headers.get("x-csrf-token", "")):
        raise Forbidden("Missing or wrong CSRF token.", code="csrf")


async def csrf_protect(request: Request) -> None:
    """Every state-changing form must carry the CSRF token (form field or X-CSRF-Token header)."""
    if request.method not in UNSAFE_METHODS:
        return
    settings = get_settings(request)
    expected = csrf_token_for(settings.secret_key, request.cookies.get(CSRF_COOKIE, ""))
    sent = request.headers.get("x-csrf-token", "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        sent = str(form.get("csrf_token", ""))
    if not request.cookies.get(CSRF_COOKIE) or not hmac.compare_digest(expected, sent):
        raise Forbidden("This form has expired or did not come from Kakehashi. Reload the page and try again.",
                        code="csrf")


def requires(permission: str) -> object:
    """A route dependency: the actor must hold `permission` (scope checks happen in the service)."""

    def check(actor: CurrentActor) -> Actor:
        require(actor, permission)
        return actor

    return Depends(check)


def public() -> None:
    """Marks a route that anyone may use, signed in or not: `dependencies=[PUBLIC]` on the route.

    Every other route is closed to anonymous callers by `signed_in_unless_public`, before its own dependencies
    and body are read, so a signed-out caller learns nothing from a route's validation or state (secure by
    default: a new route is private until it says otherwise)."""


PUBLIC = Depends(public)
_public_routes: dict[int, tuple[object, bool]] = {}


def _is_public(route: object) -> bool:
    known = _public_routes.get(id(route))
    if known is None or known[0] is not route:
        dependant = getattr(route, "dependant", None)
        marked = dependant is not None and any(d.call is public for d in dependant.dependencies)
        known = _public_routes[id(route)] = (route, marked)
    return known[1]


@contextmanager
def open_request_session(request: Request) -> Iterator[Session]:
    """A session outside FastAPI's dependency solving (honouring a test's override of `get_db`, as TAXII does)."""
    override = request.app.dependency_overrides.get(get_db)
    if override is None:
        with request.app.state.sessionmaker() as session:
            yield session
        return
    provided = override()
    try:
        yield next(provided)
    finally:
        provided.close()


def _actor_in_own_session(request: Request) -> Actor:
    with open_request_session(request) as session:
        return current_actor(request, session)


async def signed_in_unless_public(request: Request) -> None:
    """An app-wide dependency: anonymous callers get 401 (API) or the sign-in page on every non-public route.

    Public routes (and TAXII, which authenticates each request itself) cost nothing here; a caller with no
    credentials is refused without touching the database; credentials are resolved once and kept for the route's
    own `CurrentActor`."""
    route = request.scope.get("route")
    if route is None or _is_public(route):
        return
    has_credentials = request.cookies.get(SESSION_COOKIE) or request.headers.get("authorization")
    if has_credentials and (await run_in_threadpool(_actor_in_own_session, request)).is_authenticated:
        return
    raise Unauthenticated("Please sign in.")
