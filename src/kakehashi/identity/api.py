"""Identity API: who am I, one's API tokens, invitations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse, Response

from kakehashi.identity import services
from kakehashi.identity.models import ApiToken
from kakehashi.kernel.authz import Ministry, Role, Side, grantable_roles, require
from kakehashi.kernel.errors import Forbidden
from kakehashi.kernel.i18n import N_
from kakehashi.web.deps import DB, CurrentActor

router = APIRouter(prefix="/api/v1", tags=["identity"])


@router.get("/me")
def me(session: DB, actor: CurrentActor) -> dict[str, Any]:
    """The calling user's account, role, side and organisation."""
    require(actor, "profile.edit_self")
    assert actor.user_id is not None
    user = services.get_user(session, actor.user_id)
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role, "side": user.side,
            "ministry": user.ministry, "org_id": user.org_id, "languages": user.languages,
            "jlpt_level": user.jlpt_level}


class TokenOut(BaseModel):
    """An API token as its owner sees it (never the secret, except once at creation)."""

    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime
    revoked_at: dt.datetime | None

    @classmethod
    def of(cls, token: ApiToken) -> TokenOut:
        return cls(id=token.id, name=token.name, prefix=token.prefix, created_at=token.created_at,
                   last_used_at=token.last_used_at, expires_at=token.expires_at, revoked_at=token.revoked_at)


class TokenCreated(TokenOut):
    secret: str = Field(description="The token itself: shown this once, never again.")


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    days: int = Field(default=services.DEFAULT_TOKEN_DAYS, ge=1, le=services.MAX_TOKEN_DAYS)


@router.get("/tokens", response_model=list[TokenOut])
def list_tokens(session: DB, actor: CurrentActor) -> list[TokenOut]:
    """The caller's API tokens, newest first, revoked and expired ones included."""
    require(actor, "profile.edit_self")
    assert actor.user_id is not None
    return [TokenOut.of(t) for t in services.list_api_tokens(session, user_id=actor.user_id, actor=actor)]


@router.post("/tokens", response_model=TokenCreated, status_code=201)
def create_token(request: Request, body: TokenIn, session: DB, actor: CurrentActor) -> JSONResponse:
    """Create a token for the caller (signed in with a browser session: a token cannot mint its successors)."""
    require(actor, "profile.edit_self")
    assert actor.user_id is not None
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        raise Forbidden(N_("Sign in to create API tokens; a token cannot create tokens."), code="token_forbidden")
    token, secret = services.issue_api_token(session, user=services.get_user(session, actor.user_id),
                                             name=body.name, days=body.days, actor=actor)
    session.commit()
    created = TokenCreated(**TokenOut.of(token).model_dump(), secret=secret)
    return JSONResponse(created.model_dump(mode="json"), status_code=201,
                        headers={"Location": f"/api/v1/tokens/{token.id}"})


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: int, session: DB, actor: CurrentActor) -> Response:
    """Revoke one of the caller's tokens at once (404 for anyone else's)."""
    require(actor, "profile.edit_self")
    services.revoke_api_token(session, token_id=token_id, actor=actor)
    session.commit()
    return Response(status_code=204)


class InvitationIn(BaseModel):
    email: str = Field(min_length=3, max_length=254)
    role: Role
    side: Side | None = None
    ministry: Ministry | None = None
    org_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


@router.get("/invitations/roles")
def invitable_roles(actor: CurrentActor) -> dict[str, list[str]]:
    """The roles the caller may grant (kernel.authz.GRANTABLE_ROLES)."""
    require(actor, "profile.edit_self")
    return {"roles": [role.value for role in grantable_roles(actor)]}


@router.post("/invitations", status_code=201)
def create_invitation(request: Request, body: InvitationIn, session: DB, actor: CurrentActor) -> JSONResponse:
    """Invite someone with a role the caller may grant; returns the one-time sign-up link."""
    require(actor, "profile.edit_self")
    spec = services.RoleSpec(body.role, body.side, body.ministry, body.org_id)
    invitation, token = services.invite(session, email=body.email, spec=spec, actor=actor)
    session.commit()
    return JSONResponse({"id": invitation.id, "email": invitation.email, "role": invitation.role,
                         "side": invitation.side, "org_id": invitation.org_id,
                         "expires_at": invitation.expires_at.isoformat(),
                         "link": f"{request.app.state.settings.base_url}{services.invitation_link(token)}"},
                        status_code=201)
