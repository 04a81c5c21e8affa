"""Pages for signing in and out, accepting an invitation, and one's own profile."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kakehashi.identity import services
from kakehashi.identity.errors import LoginThrottled
from kakehashi.kernel.authz import MINISTRY_SIDE, Actor, Ministry, Role, Side, grantable_roles, require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import DomainError, ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.web.deps import DB, PUBLIC, SESSION_COOKIE, CurrentActor, csrf_protect, get_settings
from kakehashi.web.i18n import gettext as _
from kakehashi.web.templating import render

router = APIRouter(dependencies=[Depends(csrf_protect)])


def _safe_next(target: str) -> str:
    """Only same-site relative redirects after sign-in (no open redirect)."""
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse, dependencies=[PUBLIC])
def login_form(request: Request, actor: CurrentActor, next: str = "/") -> HTMLResponse:
    return render(request, "identity/login.html", {"next": _safe_next(next), "errors": {}, "email": ""})


@router.post("/login", dependencies=[PUBLIC])
def login(
    request: Request, session: DB, email: str = Form(""), password: str = Form(""), next: str = Form("/"),
) -> Response:
    """Check credentials (throttled), open a session and set its cookie."""
    settings = get_settings(request)
    client = request.client.host if request.client else "unknown"
    try:
        user = services.authenticate(
            session, email=email, password=password, client=client,
            max_failures=settings.login_max_failures, window=dt.timedelta(minutes=settings.login_window_minutes),
        )
    except LoginThrottled as exc:
        session.rollback()
        request.state.actor = None
        throttled = render(request, "identity/login.html",
                           {"next": _safe_next(next), "errors": {"form": _(exc.template, **exc.params)},
                            "email": email}, exc.status)
        throttled.headers["Retry-After"] = str(exc.retry_after)
        return throttled
    except DomainError as exc:
        session.commit()  # keep the failed attempt: throttling counts it
        request.state.actor = None
        return render(request, "identity/login.html",
                      {"next": _safe_next(next), "errors": {"form": _(exc.message)}, "email": email}, exc.status)
    token = services.start_session(session, user, idle=dt.timedelta(minutes=settings.session_idle_minutes),
                                   user_agent=request.headers.get("user-agent", ""))
    session.commit()
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", secure=settings.https,
                        max_age=settings.session_absolute_hours * 3600)
    if user.preferred_locale:
        response.set_cookie("kk_lang", user.preferred_locale, samesite="lax", secure=settings.https)
    if user.preferred_timezone:
        response.set_cookie("kk_tz", user.preferred_timezone, samesite="lax", secure=settings.https)
    return response


@router.post("/logout", dependencies=[PUBLIC])
def logout(request: Request, session: DB) -> Response:
    """End the session everywhere and clear the cookie."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        services.end_session(session, token)
        session.commit()
    response = RedirectResponse("/?flash=signed_out", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/invitations/{token}", response_class=HTMLResponse, dependencies=[PUBLIC])
def invitation_form(request: Request, token: str, session: DB, actor: CurrentActor) -> HTMLResponse:
    invitation = services.find_invitation(session, token)
    return render(request, "identity/invitation.html", {"invitation": invitation, "token": token, "errors": {}})


@router.post("/invitations/{token}", dependencies=[PUBLIC])
def accept_invitation(
    request: Request, token: str, session: DB, name: str = Form(""), password: str = Form(""),
    password_again: str = Form(""),
) -> Response:
    """Sign up with the invited role, then go to sign-in."""
    invitation = services.find_invitation(session, token)
    errors: dict[str, str] = {}
    status = 422
    if password != password_again:
        errors["password_again"] = _("The two passwords differ.")
    else:
        try:
            services.accept_invitation(session, token=token, name=name, password=password)
            session.commit()
            return RedirectResponse("/login?flash=account_created", status_code=303)
        except ValidationFailed as exc:
            errors = {field: _(message) for field, message in exc.errors.items()}
        except DomainError as exc:
            errors[exc.field or "form"] = _(exc.message)
            status = 409 if exc.status == 409 else 422  # accepted by someone else a moment before
    session.rollback()
    return render(request, "identity/invitation.html",
                  {"invitation": invitation, "token": token, "errors": errors}, status)


@router.get("/profile", response_class=HTMLResponse)
def profile_form(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    require(actor, "profile.edit_self")
    assert actor.user_id is not None
    return render(request, "identity/profile.html", {"user": services.get_user(session, actor.user_id), "errors": {}})


@router.post("/profile")
def profile_save(
    request: Request, session: DB, actor: CurrentActor, title: str = Form(""), languages: str = Form(""),
    jlpt_level: str = Form(""), expertise: str = Form(""), preferred_locale: str = Form(""),
    preferred_timezone: str = Form(""),
) -> Response:
    """Save one's profile; field errors re-render the form with nothing lost."""
    require(actor, "profile.edit_self")  # anonymous: 401 like every protected route (was a 500)
    try:
        services.update_profile(
            session, actor=actor, title=title, languages=[x.strip() for x in languages.split(",") if x.strip()],
            jlpt_level=jlpt_level, expertise=expertise, preferred_locale=preferred_locale,
            preferred_timezone=preferred_timezone,
        )
        session.commit()
    except DomainError as exc:
        session.rollback()
        if actor.user_id is None:  # not signed in: the shell's 401 page, not a form to redisplay
            raise
        return render(request, "identity/profile.html",
                      {"user": services.get_user(session, actor.user_id), "errors": {exc.field or "form": _(exc.message)}},
                      422)
    return RedirectResponse("/profile?flash=saved", status_code=303)


def _invite_context(actor: Actor, errors: dict[str, str], values: dict[str, str]) -> dict[str, object]:
    """The invitation form offers only the roles the actor may grant (kernel.authz.GRANTABLE_ROLES)."""
    sides = [actor.side.value] if actor.side and not actor.is_admin else [s.value for s in Side]
    return {"errors": errors, "values": values, "roles": [r.value for r in grantable_roles(actor)],
            "ministries": [m.value for m in Ministry if actor.is_admin or not actor.side
                           or MINISTRY_SIDE[m] is actor.side],
            "sides": sides, "link": None}


@router.get("/people", response_class=HTMLResponse)
def people(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    """People the actor manages, and a form to invite more."""
    users = services.list_people(session, actor=actor)
    return render(request, "identity/people.html",
                  {"users": users, **_invite_context(actor, {}, {"side": actor.side.value if actor.side else "",
                                                                   "org_id": str(actor.org_id or "")})})


@router.post("/people/invite", response_class=HTMLResponse)
def invite_person(
    request: Request, session: DB, actor: CurrentActor, email: str = Form(""), role: str = Form(""),
    side: str = Form(""), ministry: str = Form(""), org_id: str = Form(""),
) -> HTMLResponse:
    """Invite someone with a role; shows the one-time sign-up link to pass on."""
    values = {"email": email, "role": role, "side": side, "ministry": ministry, "org_id": org_id}
    errors: dict[str, str] = {}
    link = None
    status = 0
    try:
        spec = services.RoleSpec(
            Role(role) if role in Role._value2member_map_ else _bad("role", N_("Choose a role.")),
            Side(side) if side else None, Ministry(ministry) if ministry else None,
            int(org_id) if org_id.strip().isdigit() else None,
        )
        _invitation, token = services.invite(session, email=email, spec=spec, actor=actor)
        session.commit()
        link = f"{request.app.state.settings.base_url}{services.invitation_link(token)}"
    except ValidationFailed as exc:
        session.rollback()
        errors = {field: _(message) for field, message in exc.errors.items()}
    except DomainError as exc:
        session.rollback()
        if exc.status == 401 or (exc.status == 403 and exc.code != "grant_forbidden"):
            raise
        errors = {exc.field or "form": _(exc.message)}
        status = exc.status
    context = _invite_context(actor, errors, values)
    context["link"] = link
    context["users"] = services.list_people(session, actor=actor)
    return render(request, "identity/people.html", context, (status or 422) if errors else 200)


def _bad(field: str, message: str) -> Role:
    raise ValidationFailed({field: message})


@router.get("/profile/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    """One's API tokens: name, prefix, created, last used, expiry; create one; revoke any."""
    require(actor, "profile.edit_self")
    return _tokens_page(request, session, actor, {}, {}, None)


def _tokens_page(request: Request, session: DB, actor: Actor, errors: dict[str, str], values: dict[str, str],
                 secret: str | None, status: int = 200) -> HTMLResponse:
    assert actor.user_id is not None
    tokens = services.list_api_tokens(session, user_id=actor.user_id, actor=actor)
    return render(request, "identity/tokens.html",
                  {"tokens": tokens, "now": utcnow(), "errors": errors, "values": values, "secret": secret,
                   "default_days": services.DEFAULT_TOKEN_DAYS, "max_days": services.MAX_TOKEN_DAYS}, status)


@router.post("/profile/tokens", response_class=HTMLResponse)
def create_token(
    request: Request, session: DB, actor: CurrentActor, name: str = Form(""), days: str = Form(""),
) -> HTMLResponse:
    """Create a token; its secret is shown on this response only."""
    require(actor, "profile.edit_self")
    assert actor.user_id is not None
    values = {"name": name, "days": days}
    try:
        lifetime = int(days) if days.strip() else services.DEFAULT_TOKEN_DAYS
    except ValueError:
        return _tokens_page(request, session, actor, {"days": _("A token lives 1 to 365 days.")}, values, None, 422)
    try:
        _token, secret = services.issue_api_token(session, user=services.get_user(session, actor.user_id), name=name,
                                                  days=lifetime, actor=actor)
        session.commit()
    except ValidationFailed as exc:
        session.rollback()
        return _tokens_page(request, session, actor, {f: _(m) for f, m in exc.errors.items()}, values, None, 422)
    return _tokens_page(request, session, actor, {}, {}, secret, 201)


@router.post("/profile/tokens/{token_id}/revoke")
def revoke_token(session: DB, actor: CurrentActor, token_id: int) -> Response:
    """Revoke one of one's tokens at once."""
    require(actor, "profile.edit_self")
    services.revoke_api_token(session, token_id=token_id, actor=actor)
    session.commit()
    return RedirectResponse("/profile/tokens", status_code=303)
