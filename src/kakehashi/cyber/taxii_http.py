"""HTTP plumbing of the TAXII 2.1 server: media types, authentication, error objects, bounded bodies.

TAXII answers with its own media type and error objects, so its routes use `TaxiiRoute`, which turns every
refusal (including those raised while resolving dependencies) into a TAXII error object instead of the
shell's problem+json.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import logging
import secrets
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

import orjson
from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import Response

from kakehashi import identity
from kakehashi.cyber.errors import BadRequest, CyberError, NotAcceptable, TooLarge, UnsupportedMediaType
from kakehashi.kernel import text
from kakehashi.kernel.authz import Actor
from kakehashi.kernel.errors import DomainError, Unauthenticated
from kakehashi.kernel.i18n import N_
from kakehashi.web.deps import DB, current_actor, get_settings, open_request_session

TAXII_MEDIA = "application/taxii+json;version=2.1"
STIX_MEDIA = "application/stix+json;version=2.1"
MAX_CONTENT_LENGTH = 10 * 1024 * 1024
log = logging.getLogger("kakehashi.cyber.taxii")
_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           406: "Not Acceptable", 409: "Conflict", 413: "Payload Too Large", 415: "Unsupported Media Type",
           422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error"}


def taxii_response(body: bytes | dict[str, Any], status_code: int = 200, headers: dict[str, str] | None = None
                   ) -> Response:
    """A response in the TAXII 2.1 media type (bodies given as bytes are sent as they are)."""
    content = body if isinstance(body, bytes) else orjson.dumps(body)
    return Response(content, status_code=status_code, headers=headers, media_type=TAXII_MEDIA)


def error_response(status_code: int, description: str, *, code: str = "", details: dict[str, Any] | None = None
                   ) -> Response:
    """A TAXII 2.1 error object."""
    body: dict[str, Any] = {"title": _TITLES.get(status_code, "Error"), "description": description,
                            "http_status": str(status_code)}
    if code:
        body["error_code"] = code
    if details:
        body["details"] = details
    headers = {"WWW-Authenticate": 'Basic realm="Kakehashi TAXII", charset="UTF-8"'} if status_code == 401 else None
    return taxii_response(body, status_code, headers)


class TaxiiRoute(APIRoute):
    """A route whose every failure becomes a TAXII error object."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """FastAPI's handler (dependencies included), wrapped to answer errors as TAXII error objects."""
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except DomainError as exc:
                details = exc.details if isinstance(exc, CyberError) else None
                return error_response(exc.status, exc.message, code=exc.code, details=details)
            except RequestValidationError:
                return error_response(400, "The request parameters are not valid.", code="bad_request")
            except HTTPException as exc:
                return error_response(exc.status_code, str(exc.detail))
            except Exception:
                incident = secrets.token_hex(4)
                log.exception("TAXII error %s on %s %s", incident, request.method, request.url.path)
                return error_response(500, f"Something went wrong on our side (incident {incident}).")

        return handler


def _media_ok(value: str, *, wildcards: bool) -> bool:
    item = value.replace(" ", "").lower()
    if wildcards and item.split(";")[0] in ("*/*", "application/*"):
        return True
    media, _, params = item.partition(";")
    if media != "application/taxii+json":
        return False
    return params in ("", "version=2.1") or (params.startswith("version=2.1;") and wildcards)


def check_accept(request: Request) -> None:
    """Refuse (406) clients that do not accept TAXII 2.1 JSON."""
    accept = request.headers.get("accept")
    if accept and not any(_media_ok(item, wildcards=True) for item in accept.split(",")):
        raise NotAcceptable(N_("This server answers in application/taxii+json;version=2.1."))


async def envelope_body(request: Request) -> bytes:
    """The body of a POST, refused when not a TAXII 2.1 envelope type (415) or too large (413)."""
    if not _media_ok(request.headers.get("content-type", ""), wildcards=False):
        raise UnsupportedMediaType(N_("Send envelopes as application/taxii+json;version=2.1."))
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_CONTENT_LENGTH:
        raise TooLarge(N_("The envelope is larger than max_content_length."))
    chunks, size = [], 0
    async for chunk in request.stream():  # also bounds bodies sent without Content-Length
        size += len(chunk)
        if size > MAX_CONTENT_LENGTH:
            raise TooLarge(N_("The envelope is larger than max_content_length."))
        chunks.append(chunk)
    return b"".join(chunks)


class TokenCache:
    """Actors of API tokens resolved in the last few seconds.

    TAXII clients send bursts of requests (an envelope or a page each): resolving the token every time costs
    three queries. A revoked token or a changed role therefore takes effect within `ttl` seconds here.
    """

    def __init__(self, ttl: float = 5.0, size: int = 1024) -> None:
        self.ttl, self.size = ttl, size
        self._entries: dict[str, tuple[float, Actor]] = {}
        self._lock = threading.Lock()

    def get(self, token: str) -> Actor | None:
        """The cached actor of a token, if resolved less than `ttl` seconds ago."""
        key = hashlib.sha256(token.encode()).hexdigest()
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[0] < time.monotonic():
                self._entries.pop(key, None)
                return None
            return found[1]

    def put(self, token: str, actor: Actor) -> None:
        """Remember a token's actor for `ttl` seconds."""
        key = hashlib.sha256(token.encode()).hexdigest()
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()
            self._entries[key] = (time.monotonic() + self.ttl, actor)


TOKENS = TokenCache()


def _token_actor(request: Request, session: Any, token: str) -> Actor:
    cached = TOKENS.get(token)
    if cached is not None:
        request.state.actor = cached
        return cached
    headers = [(k, v) for k, v in request.scope["headers"] if k != b"authorization"]
    headers.append((b"authorization", f"Bearer {token}".encode()))
    try:
        actor = current_actor(Request({**request.scope, "headers": headers}), session)
    except DomainError:
        raise Unauthenticated(N_("The API token is unknown or revoked.")) from None
    TOKENS.put(token, actor)
    return actor


def _basic_actor(request: Request, session: Any, value: str) -> Actor:
    try:
        email, _, password = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise Unauthenticated(N_("Malformed Basic credentials.")) from None
    if password.startswith("kk_"):  # an API token as the password, with the account's e-mail as user name
        actor = _token_actor(request, session, password)
        user = identity.find_user_by_email(session, email)
        if user is None or user.id != actor.user_id:
            raise Unauthenticated(N_("E-mail or password is not right."))
        return actor
    authenticate = getattr(identity, "authenticate", None)
    if authenticate is None:
        raise Unauthenticated(N_("Use an API token as the Basic password (or send it as a Bearer token)."))
    settings = get_settings(request)
    try:
        user = authenticate(session, email=email, password=password,
                            client=request.client.host if request.client else "unknown",
                            max_failures=settings.login_max_failures,
                            window=dt.timedelta(minutes=settings.login_window_minutes))
    finally:
        session.commit()  # keep the attempt (throttling counts failures) whatever happens next
    signed_in: Actor = user.actor()
    return signed_in


def taxii_actor(request: Request, session: DB) -> Actor:
    """Who calls: HTTP Basic (e-mail and password or API token) or an API token as Bearer/Token."""
    check_accept(request)
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() in ("bearer", "token") and value.strip():
        return _token_actor(request, session, value.strip())
    if scheme.lower() == "basic" and value.strip():
        return _basic_actor(request, session, value.strip())
    raise Unauthenticated(N_("Authenticate with HTTP Basic or an API token."))


TaxiiActor = Annotated[Actor, Depends(taxii_actor)]
Work = Callable[[Request, Session, Actor], Response]


open_session = open_request_session  # the request's session (honouring a test's override of `get_db`)


def check_address(request: Request) -> None:
    """Refuse (400) ids and filters holding control characters: PostgreSQL cannot even compare text with NUL."""
    values = [*request.path_params.values(), *request.query_params.keys(), *request.query_params.values()]
    if any(isinstance(value, str) and text.control_character(value) is not None for value in values):
        raise BadRequest(N_("The address holds a control character (such as NUL)."))


def _serve_in_thread(request: Request, work: Work) -> Response:
    check_address(request)
    with open_session(request) as session:
        return work(request, session, taxii_actor(request, session))


async def serve(request: Request, work: Work) -> Response:
    """Authenticate and run `work(request, session, actor)` in one worker-thread hop.

    FastAPI would otherwise hop to the thread pool for the session, the actor and the endpoint separately;
    under load those hand-offs cost as much as the work.
    """
    return await run_in_threadpool(_serve_in_thread, request, work)


def cursor_key(request: Request) -> bytes:
    """The HMAC key of `next` cursors, derived from the platform's secret key."""
    return hashlib.sha256(b"kakehashi/cyber/taxii-cursor\x00" + get_settings(request).secret_key.encode()).digest()
