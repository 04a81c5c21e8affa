"""Pages of JWG consultations: list, schedule, the meeting (attendance, minutes, approval, decisions, actions), to-do."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kakehashi import identity
from kakehashi.governance import ledger
from kakehashi.governance.consultations import calendar, minutes, queries, services
from kakehashi.governance.consultations.models import Mode
from kakehashi.governance.forms import PASS_THROUGH, FormReader, checked, commit_or_redisplay, field_errors
from kakehashi.kernel.authz import Actor, can, require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import DomainError
from kakehashi.web.deps import DB, CurrentActor
from kakehashi.web.i18n import current_locale, current_timezone
from kakehashi.web.i18n import gettext as _
from kakehashi.web.templating import render

router = APIRouter()


@router.get("/governance/consultations", response_class=HTMLResponse)
def consultation_list(request: Request, session: DB, actor: CurrentActor, page: int = 1) -> HTMLResponse:
    """Consultations, newest first, with the calendar feed."""
    require(actor, "governance.view")
    return render(request, "governance/consultations.html",
                  {"page": queries.meetings(session, page=page), "can_edit": can(actor, "governance.edit")})


def _new_context(session: DB, values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    return {"values": values, "errors": errors, "modes": [m.value for m in Mode], "commitments": ledger.commitments(session)}


@router.get("/governance/consultations/new", response_class=HTMLResponse)
def new_consultation(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    """The form to schedule a consultation."""
    require(actor, "governance.edit")
    return render(request, "governance/consultation_form.html",
                  _new_context(session, {"mode": "video", "zone": current_timezone.get()}, {}))


def _attendee_ids(session: DB, emails: str, reader: FormReader) -> list[int]:
    ids = []
    for email in (e.strip() for e in emails.replace("\n", ",").split(",")):
        if not email:
            continue
        user = identity.find_user_by_email(session, email)
        if user is None:
            reader.errors["attendees"] = _("No account has this e-mail: %(email)s", email=email)
        else:
            ids.append(user.id)
    return ids


@router.post("/governance/consultations", response_class=HTMLResponse)
async def schedule(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Schedule a consultation; bad input re-renders the form with a message per field."""
    values = {k: str(v) for k, v in (await request.form()).items()}
    reader = FormReader()
    zone = values.get("zone", "")
    starts = reader.instant("starts_at", values.get("starts_at", ""), zone)
    ends = reader.instant("ends_at", values.get("ends_at", ""), zone)
    agenda = tuple((line.split("|")[0].strip(), reader.integer("agenda", line.split("|")[1]) if "|" in line else None)
                   for line in values.get("agenda", "").splitlines() if line.strip())
    attendees = _attendee_ids(session, values.get("attendees", ""), reader)
    try:
        reader.check()
        assert starts is not None and ends is not None
        fields = services.MeetingFields(
            title=values.get("title", ""), title_ja=values.get("title_ja"), mode=values.get("mode", ""), starts_at=starts,
            ends_at=ends, venue=values.get("venue"), video_url=values.get("video_url"),
            is_public=checked(values.get("is_public")), agenda=agenda)
        meeting = services.schedule_meeting(session, fields, attendee_ids=attendees, actor=actor, now=utcnow())
        session.commit()
    except DomainError as exc:
        session.rollback()
        if exc.status in PASS_THROUGH:
            raise
        return render(request, "governance/consultation_form.html", _new_context(session, values, field_errors(exc)), 422)
    return RedirectResponse(f"/governance/consultations/{meeting.id}?flash=consultation_scheduled", status_code=303)


def meeting_context(session: DB, actor: Actor, meeting_id: int, errors: dict[str, str]) -> dict[str, Any]:
    """What the meeting page shows."""
    meeting = services.get_meeting(session, meeting_id)
    commitments = ledger.commitments(session)
    return {
        "detail": queries.detail(session, meeting), "minutes": minutes.minutes_of(session, meeting.id),
        "state": minutes.state(session, meeting), "errors": errors, "can_edit": can(actor, "governance.edit"),
        "can_approve": actor.side is not None and can(actor, "governance.minutes.approve", side=actor.side.value),
        "commitments": {c.id: c for c in commitments}, "now": utcnow(),
        "commitment_options": [(str(c.id), f"{c.ref} · {c.display_title(current_locale.get())}") for c in commitments],
    }


@router.get("/governance/consultations/{meeting_id:int}", response_class=HTMLResponse)
def consultation_page(request: Request, meeting_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """One consultation: times in JST and IST, agenda, attendees, minutes and their approval, decisions, actions."""
    require(actor, "governance.view")
    return render(request, "governance/consultation.html", meeting_context(session, actor, meeting_id, {}))


def _act(request: Request, session: DB, actor: Actor, meeting_id: int, flash: str, act: Any) -> Response:
    """Run one write for the page: commit and redirect, or roll back and show the messages."""
    return commit_or_redisplay(
        session, act, done=f"/governance/consultations/{meeting_id}?flash={flash}",
        redisplay=lambda errors, status: render(request, "governance/consultation.html",
                                                meeting_context(session, actor, meeting_id, errors), status))


@router.post("/governance/consultations/{meeting_id:int}/attendance", response_class=HTMLResponse)
async def attendance(request: Request, meeting_id: int, session: DB, actor: CurrentActor) -> Response:
    """Record who attended (ticked boxes), marking the meeting held."""
    form = await request.form()
    attended = {int(str(v)) for v in form.getlist("attended") if str(v).isdigit()}
    return _act(request, session, actor, meeting_id, "attendance_recorded", lambda: services.record_attendance(
        session, meeting_id, attended, actor=actor, now=utcnow()))


@router.post("/governance/consultations/{meeting_id:int}/minutes", response_class=HTMLResponse)
def save_minutes(request: Request, meeting_id: int, session: DB, actor: CurrentActor, language: str = Form(""),
                 body: str = Form(""), version: str = Form("")) -> Response:
    """Save the draft minutes (English or Japanese)."""
    expected = int(version) if version.isdigit() else None
    return _act(request, session, actor, meeting_id, "minutes_saved", lambda: minutes.draft_minutes(
        session, meeting_id, language=language, body=body, expected_version=expected, actor=actor, now=utcnow()))


@router.post("/governance/consultations/{meeting_id:int}/minutes/submit", response_class=HTMLResponse)
def submit_minutes(request: Request, meeting_id: int, session: DB, actor: CurrentActor) -> Response:
    """Send the minutes to both participants for signature (a minutes_approval instrument)."""
    return _act(request, session, actor, meeting_id, "sent_for_approval", lambda: minutes.submit_for_approval(
        session, meeting_id, actor=actor, now=utcnow()))


@router.post("/governance/consultations/{meeting_id:int}/minutes/sign", response_class=HTMLResponse)
def sign_minutes(request: Request, meeting_id: int, session: DB, actor: CurrentActor) -> Response:
    """Approve the minutes for one's side by signing the instrument (demo: the officer's server-held key)."""
    enabled = request.app.state.settings.demo_keys_server_side
    return _act(request, session, actor, meeting_id, "signed", lambda: minutes.sign_minutes(
        session, meeting_id, actor=actor, now=utcnow(), demo_keys=enabled))


@router.post("/governance/consultations/{meeting_id:int}/decisions", response_class=HTMLResponse)
def add_decision(request: Request, meeting_id: int, session: DB, actor: CurrentActor, text: str = Form(""),
                 text_ja: str = Form(""), decision_commitment_id: str = Form("")) -> Response:
    """Record a decision of the meeting."""
    commitment = int(decision_commitment_id) if decision_commitment_id.isdigit() else None
    return _act(request, session, actor, meeting_id, "decision_recorded", lambda: services.record_decision(
        session, meeting_id, text=text, text_ja=text_ja or None, commitment_id=commitment, actor=actor))


@router.post("/governance/consultations/{meeting_id:int}/actions", response_class=HTMLResponse)
def add_action(request: Request, meeting_id: int, session: DB, actor: CurrentActor, title: str = Form(""),
               owner_email: str = Form(""), owner_org_id: str = Form(""), due_on: str = Form(""),
               commitment_id: str = Form("")) -> Response:
    """Assign an action item from the meeting."""
    reader = FormReader()
    due = reader.date("due_on", due_on, required=True)
    owner = identity.find_user_by_email(session, owner_email) if owner_email.strip() else None
    if owner_email.strip() and owner is None:
        reader.errors["owner"] = _("No account has this e-mail: %(email)s", email=owner_email)

    def act() -> None:
        reader.check()
        assert due is not None
        services.add_action_item(
            session, title=title, due_on=due, owner_user_id=owner.id if owner else None,
            owner_org_id=int(owner_org_id) if owner_org_id.isdigit() else None, meeting_id=meeting_id,
            commitment_id=int(commitment_id) if commitment_id.isdigit() else None, actor=actor, now=utcnow())

    return _act(request, session, actor, meeting_id, "action_assigned", act)


@router.get("/governance/todo", response_class=HTMLResponse)
def todo(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    """The signed-in person's open action items, soonest due first."""
    require(actor, "governance.view")
    return render(request, "governance/todo.html", {
        "items": queries.todo(session, actor), "today": utcnow().date(),
        "commitments": {c.id: c for c in ledger.commitments(session)},
    })


@router.post("/governance/actions/{action_id}/status")
def action_status(action_id: int, session: DB, actor: CurrentActor, status: str = Form(""),
                  back: str = Form("/governance/todo")) -> Response:
    """Close, cancel or reopen an action item."""
    services.set_action_status(session, action_id, status, actor=actor, now=utcnow())
    session.commit()
    target = back if back.startswith("/governance/") else "/governance/todo"
    return RedirectResponse(f"{target}?flash=saved", status_code=303)


@router.get("/governance/consultations.ics")
def calendar_feed(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Every consultation as an iCalendar feed (sign-in or API token required)."""
    require(actor, "governance.view")
    meetings = queries.meetings(session, size=200).items
    body = calendar.feed(meetings, base_url=request.app.state.settings.base_url, stamp=utcnow())
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="jwg-consultations.ics"'})


@router.get("/governance/consultations/{meeting_id}.ics")
def meeting_ics(request: Request, meeting_id: int, session: DB, actor: CurrentActor) -> Response:
    """One consultation as an iCalendar file."""
    require(actor, "governance.view")
    meeting = services.get_meeting(session, meeting_id)
    body = calendar.feed([meeting], base_url=request.app.state.settings.base_url, stamp=utcnow())
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="consultation-{meeting.id}.ics"'})
