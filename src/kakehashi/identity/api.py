"""Identity API: who am I."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from kakehashi.identity import services
from kakehashi.kernel.authz import require
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
