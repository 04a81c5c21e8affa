"""Matchmaking pages. The shell includes `router`; it gathers the pages of every part of the context,
including the recommender's (`matchmaking.recommend.web`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import HTMLResponse

from kakehashi.kernel.authz import can, require
from kakehashi.matchmaking import agendas, queries
from kakehashi.matchmaking.recommend import web as recommend_web
from kakehashi.matchmaking.web import agenda, events, investment, opportunities, requests, schedule
from kakehashi.web.deps import DB, CurrentActor, csrf_protect
from kakehashi.web.templating import render

router = APIRouter(dependencies=[Depends(csrf_protect)])


@router.get("/matchmaking", response_class=HTMLResponse)
def hub(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    """The matchmaking home: upcoming events, the viewer's next meetings, and every way to find partners."""
    require(actor, "matchmaking.participate")
    upcoming = queries.list_events(session, size=5, all_drafts=can(actor, "matchmaking.event.organise"),
                                   draft_org_id=actor.org_id)
    meetings = agendas.agenda_for(session, actor.user_id)[:5] if actor.user_id else []
    return render(request, "matchmaking/hub.html", {
        "upcoming": upcoming, "meetings": meetings,
        "can_organise": can(actor, "matchmaking.event.organise", org_id=actor.org_id)})


for _part in (events, requests, schedule, agenda, opportunities, investment):
    router.include_router(_part.router)
router.include_router(recommend_web.router)
