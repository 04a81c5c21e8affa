"""The personal agenda: page, PDF, iCalendar feed (secret URL, no session), check-in, feedback, cancel."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kakehashi.kernel.authz import Actor, require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import NotFound
from kakehashi.kernel.i18n import N_
from kakehashi.matchmaking import agendas, meetings
from kakehashi.matchmaking.web.forms import unit_of_work
from kakehashi.web.deps import DB, PUBLIC, CurrentActor, get_settings
from kakehashi.web.i18n import current_locale, current_timezone
from kakehashi.web.templating import render, templates

router = APIRouter()


def _agenda_context(request: Request, session: Session, actor: Actor, event: int | None) -> dict[str, Any]:
    require(actor, "matchmaking.participate")
    assert actor.user_id is not None
    if "tz" not in request.query_params and "kk_tz" not in request.cookies:
        # Nobody chose a zone: show the person's own (their preference, else their side's), not the site default.
        current_timezone.set(agendas.feed_zone(session, actor.user_id).key)
    settings = get_settings(request)
    items = agendas.agenda_for(session, actor.user_id, event_id=event)
    path = agendas.feed_path(session, actor.user_id, key=settings.secret_key)
    return {"items": items, "event_id": event, "feed_url": f"{settings.base_url}{path}", "now": utcnow(),
            "soon": utcnow() + meetings.CHECK_IN_EARLY}


@router.get("/matchmaking/agenda", response_class=HTMLResponse)
def agenda_page(request: Request, session: DB, actor: CurrentActor, event: int | None = None) -> HTMLResponse:
    """The viewer's meetings (in their zone, with JST and IST side by side), and their calendar feed URL."""
    context = _agenda_context(request, session, actor, event)
    session.commit()  # the feed's nonce is created on first view
    return render(request, "matchmaking/agenda.html", context)


@router.get("/matchmaking/agenda.pdf")
def agenda_pdf(request: Request, session: DB, actor: CurrentActor, event: int | None = None) -> Response:
    """The agenda as a PDF (Japanese and Hindi names render with the installed fonts)."""
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    context = _agenda_context(request, session, actor, event)
    session.commit()
    context.update(locale=current_locale.get(), timezone=current_timezone.get(), actor=actor)
    html = templates.env.get_template("matchmaking/agenda_pdf.html").render(context)
    pdf = HTML(string=html, base_url=str(request.base_url)).write_pdf()
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": 'attachment; filename="kakehashi-agenda.pdf"'})


@router.get("/matchmaking/calendar/{handle}.ics", dependencies=[PUBLIC])
def calendar(request: Request, handle: str, session: DB) -> Response:
    """A person's iCalendar feed; the URL's secret stands in for a session so calendar apps can subscribe."""
    settings = get_settings(request)
    user_id = agendas.feed_owner(session, handle, key=settings.secret_key)
    if user_id is None:
        raise NotFound(N_("No such calendar."))
    body = agendas.calendar_feed(session, user_id, base_url=settings.base_url)
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, max-age=300", "Referrer-Policy": "no-referrer"})


@router.post("/matchmaking/calendar/rotate")
def rotate_calendar(session: DB, actor: CurrentActor) -> Response:
    """Issue a new feed URL; calendars subscribed with the old one stop updating."""
    require(actor, "matchmaking.participate")
    assert actor.user_id is not None
    with unit_of_work(session):
        agendas.rotate_feed(session, actor.user_id)
    return RedirectResponse("/matchmaking/agenda?flash=new_calendar_link_issued", status_code=303)


@router.post("/matchmaking/meetings/{meeting_id}/cancel")
def cancel(meeting_id: int, session: DB, actor: CurrentActor, reason: str = Form(""), back: str = Form("")) -> Response:
    """Cancel a meeting (the other side is told; the organiser's next re-solve reuses the slot)."""
    with unit_of_work(session):
        meeting = meetings.cancel_meeting(session, meeting_id, actor=actor, reason=reason)
    target = f"/matchmaking/events/{meeting.event_id}/schedule" if back == "schedule" else "/matchmaking/agenda"
    return RedirectResponse(f"{target}?flash=meeting_cancelled", status_code=303)


@router.post("/matchmaking/meetings/{meeting_id}/checkin")
def check_in(meeting_id: int, session: DB, actor: CurrentActor, registration_id: str = Form("")) -> Response:
    """Check in for a meeting (oneself, or either participant by the organiser)."""
    with unit_of_work(session):
        meeting = meetings.check_in(session, meeting_id, actor=actor,
                                    registration_id=int(registration_id) if registration_id.isdigit() else None)
    target = "/matchmaking/agenda" if not registration_id else f"/matchmaking/events/{meeting.event_id}/schedule"
    return RedirectResponse(f"{target}?flash=checked_in", status_code=303)


@router.post("/matchmaking/meetings/{meeting_id}/feedback")
def feedback(meeting_id: int, session: DB, actor: CurrentActor, took_place: str = Form(""),
             cooperation: str = Form(""), comment: str = Form("")) -> Response:
    """After a meeting: did it take place, is cooperation possible."""
    with unit_of_work(session):
        meetings.give_feedback(session, meeting_id, actor=actor, took_place=took_place == "yes",
                               cooperation=cooperation, comment=comment)
    return RedirectResponse("/matchmaking/agenda?flash=thanks_for_feedback", status_code=303)
