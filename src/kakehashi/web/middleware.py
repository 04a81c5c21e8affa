"""Per-request shell concerns: viewer's language and time zone, CSRF cookie, security headers.

A plain ASGI middleware rather than Starlette's BaseHTTPMiddleware: that one runs the app in a task of its
own and streams the body through a memory channel, costing every request (a TAXII envelope, a search page)
far more than the few headers set here. Context variables set below reach the app, which runs in this task.
"""

from __future__ import annotations

import secrets

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kakehashi.web import i18n
from kakehashi.web.deps import CSRF_COOKIE, csrf_token_for

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
YEAR = 60 * 60 * 24 * 365


class ShellMiddleware:
    """Sets locale/timezone context for the request and hardens every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        settings = scope["app"].state.settings
        chosen = request.query_params.get("lang")
        locale = chosen if chosen in i18n.LOCALES else request.cookies.get("kk_lang")
        if locale not in i18n.LOCALES:
            locale = i18n.negotiate(request.headers.get("accept-language", "")) \
                if request.headers.get("accept-language") else settings.default_locale
        tz_chosen = request.query_params.get("tz")
        tz = tz_chosen if tz_chosen in i18n.TIMEZONES else request.cookies.get("kk_tz")
        if tz not in i18n.TIMEZONES:
            tz = settings.default_timezone
        i18n.current_locale.set(locale)
        i18n.current_timezone.set(tz)
        # The form rendered in a response that sets the cookie must match that new cookie.
        existing = request.cookies.get(CSRF_COOKIE)
        csrf_cookie = existing or secrets.token_urlsafe(24)
        request.state.csrf_token = csrf_token_for(settings.secret_key, csrf_cookie)
        i18n.current_csrf.set(request.state.csrf_token)
        secure = settings.https
        cookies = Response()  # only to format Set-Cookie headers the way Starlette does
        if existing is None:
            cookies.set_cookie(CSRF_COOKIE, csrf_cookie, httponly=True, samesite="strict", secure=secure)
        if chosen in i18n.LOCALES:
            cookies.set_cookie("kk_lang", chosen, max_age=YEAR, samesite="lax", secure=secure)
        if tz_chosen in i18n.TIMEZONES:
            cookies.set_cookie("kk_tz", tz_chosen, max_age=YEAR, samesite="lax", secure=secure)
        set_cookies = [value for name, value in cookies.raw_headers if name == b"set-cookie"]

        async def harden(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for value in set_cookies:
                    headers.append("set-cookie", value.decode("latin-1"))
                headers.setdefault("Content-Security-Policy", CSP)
                headers["X-Frame-Options"] = "DENY"
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
                headers["Content-Language"] = locale
                if secure:
                    headers["Strict-Transport-Security"] = f"max-age={YEAR}; includeSubDomains"
            await send(message)

        await self.app(scope, receive, harden)
