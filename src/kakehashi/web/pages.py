"""Shell pages: the home dashboard and the health check."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy import text
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse

from kakehashi import registry
from kakehashi.kernel import audit, notifications
from kakehashi.kernel.areas import AREAS
from kakehashi.kernel.authz import require
from kakehashi.kernel.errors import NotFound
from kakehashi.web.deps import DB, PUBLIC, CurrentActor, csrf_protect
from kakehashi.web.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse, dependencies=[PUBLIC])
def home(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    """The eight areas of the MoC with organisation counts per country."""
    return render(request, "home.html", {"areas": AREAS, "counts": registry.area_counts(session)})


@router.get("/notifications", response_class=HTMLResponse)
def notification_list(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    """The signed-in person's notifications, newest first (reading them changes nothing)."""
    require(actor, "profile.edit_self")
    assert actor.user_id is not None
    return render(request, "notifications.html", {"items": notifications.recent(session, actor.user_id)})


@router.post("/notifications/read", dependencies=[Depends(csrf_protect)])
def notifications_read(session: DB, actor: CurrentActor) -> RedirectResponse:
    """Mark all of the signed-in person's notifications read."""
    require(actor, "profile.edit_self")
    assert actor.user_id is not None
    notifications.mark_read(session, actor.user_id)
    session.commit()
    return RedirectResponse("/notifications?flash=notifications_read", status_code=303)


@router.post("/notifications/{notification_id}/read", dependencies=[Depends(csrf_protect)])
def notification_read(notification_id: int, session: DB, actor: CurrentActor) -> RedirectResponse:
    """Mark one of the signed-in person's notifications read (another person's is not found)."""
    require(actor, "profile.edit_self")
    assert actor.user_id is not None
    if not notifications.mark_read(session, actor.user_id, notification_id=notification_id):
        raise NotFound("Not found")
    session.commit()
    return RedirectResponse("/notifications", status_code=303)


@router.get("/audit", response_class=HTMLResponse)
def audit_trail(request: Request, session: DB, actor: CurrentActor, action: str = "",
                before: int | None = None) -> HTMLResponse:
    """The audit trail: officers see their own side's acts, administrators everything."""
    require(actor, "audit.view", side=actor.side.value if actor.side else None)
    side = None if actor.is_admin else (actor.side.value if actor.side else None)
    events = audit.recent_events(session, side=side, action_prefix=action[:80], before_id=before)
    return render(request, "audit.html", {"events": events, "action": action})


@router.get("/healthz", dependencies=[PUBLIC])
def healthz(session: DB) -> JSONResponse:
    """Liveness and database reachability, for load balancers."""
    session.execute(text("SELECT 1"))
    return JSONResponse({"status": "ok", "database": "ok"})
