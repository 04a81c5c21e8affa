"""Pages of training: catalogue, a course (register, cancel, roll, attendance), one's own places, certificates."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kakehashi.governance.consultations.models import Mode
from kakehashi.governance.errors import GovernanceNotFound
from kakehashi.governance.forms import PASS_THROUGH, FormReader, checked, commit_or_redisplay, field_errors
from kakehashi.governance.training import certificates, queries, services
from kakehashi.governance.training.models import CourseKind, Topic
from kakehashi.kernel.authz import Actor, can, require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import DomainError
from kakehashi.kernel.i18n import N_
from kakehashi.web.deps import DB, PUBLIC, CurrentActor
from kakehashi.web.i18n import current_timezone
from kakehashi.web.templating import render

router = APIRouter()


@router.get("/governance/training", response_class=HTMLResponse, dependencies=[PUBLIC])
def catalogue(request: Request, session: DB, actor: CurrentActor, topic: str = "", page: int = 1) -> HTMLResponse:
    """Upcoming courses, workshops and seminars (public ones for visitors who are not signed in)."""
    result = queries.catalogue(session, topic=topic or None, public_only=not actor.is_authenticated,
                               upcoming_from=utcnow(), page=page)
    return render(request, "governance/training.html", {
        "page": result, "topic": topic, "topics": [t.value for t in Topic], "can_manage": can(actor, "training.manage"),
    })


def _new_context(values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    return {"values": values, "errors": errors, "topics": [t.value for t in Topic], "kinds": [k.value for k in CourseKind],
            "modes": [m.value for m in Mode]}


@router.get("/governance/training/new", response_class=HTMLResponse)
def new_course(request: Request, actor: CurrentActor) -> HTMLResponse:
    """The form to add a course, workshop or seminar."""
    require(actor, "training.manage")
    return render(request, "governance/course_form.html",
                  _new_context({"mode": "physical", "zone": current_timezone.get(), "capacity": "30"}, {}))


@router.post("/governance/training", response_class=HTMLResponse)
async def create_course(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Add a course; bad input re-renders the form."""
    values = {k: str(v) for k, v in (await request.form()).items()}
    reader = FormReader()
    starts = reader.instant("starts_at", values.get("starts_at", ""), values.get("zone", ""))
    ends = reader.instant("ends_at", values.get("ends_at", ""), values.get("zone", ""))
    capacity = reader.integer("capacity", values.get("capacity", ""), default=0) or 0
    try:
        reader.check()
        assert starts is not None and ends is not None
        course = services.create_course(session, services.CourseFields(
            topic=values.get("topic", ""), kind=values.get("kind", ""), title=values.get("title", ""),
            title_ja=values.get("title_ja"), description=values.get("description", ""), mode=values.get("mode", ""),
            venue=values.get("venue"), video_url=values.get("video_url"), starts_at=starts, ends_at=ends,
            capacity=capacity, is_public=checked(values.get("is_public"))), actor=actor, now=utcnow())
        session.commit()
    except DomainError as exc:
        session.rollback()
        if exc.status in PASS_THROUGH:
            raise
        return render(request, "governance/course_form.html", _new_context(values, field_errors(exc)), 422)
    return RedirectResponse(f"/governance/training/{course.id}?flash=saved", status_code=303)


@router.get("/governance/training/mine", response_class=HTMLResponse)
def my_training(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    """One's registrations, places on waiting lists and certificates."""
    require(actor, "training.register")
    assert actor.user_id is not None
    rows = queries.mine(session, actor.user_id)
    return render(request, "governance/my_training.html",
                  {"rows": [(r, c, cert, queries.queue_position(session, r)) for r, c, cert in rows]})


def course_context(session: DB, actor: Actor, course_id: int, errors: dict[str, str]) -> dict[str, Any]:
    """What a course page shows (the roll only to organisers)."""
    course = services.get_course(session, course_id)
    if not course.is_public and not actor.is_authenticated:
        raise GovernanceNotFound(N_("No such course."), field="course_id")
    mine = queries.registration_of(session, course.id, actor.user_id)
    manage = can(actor, "training.manage")
    return {
        "course": course, "mine": mine, "position": queries.queue_position(session, mine) if mine else None,
        "taken": services.seats_taken(session, course.id), "roll": queries.roll(session, course.id) if manage else [],
        "certificates": queries.certificates_of_course(session, course.id) if manage else [], "can_manage": manage,
        "errors": errors, "now": utcnow(),
    }


@router.get("/governance/training/{course_id:int}", response_class=HTMLResponse, dependencies=[PUBLIC])
def course_page(request: Request, course_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """A course: times, seats left, one's place (or the queue position), and for organisers the roll."""
    return render(request, "governance/course.html", course_context(session, actor, course_id, {}))


def _act(request: Request, session: DB, actor: Actor, course_id: int, flash: str, act: Any) -> Response:
    """Run one write for the page: commit and redirect, or roll back and show the messages."""
    return commit_or_redisplay(
        session, act, done=f"/governance/training/{course_id}?flash={flash}",
        redisplay=lambda errors, status: render(request, "governance/course.html",
                                                course_context(session, actor, course_id, errors), status))


@router.post("/governance/training/{course_id:int}/register", response_class=HTMLResponse)
def register(request: Request, course_id: int, session: DB, actor: CurrentActor) -> Response:
    """Take a seat, or a place on the waiting list."""
    return _act(request, session, actor, course_id, "registered",
                lambda: services.register(session, course_id, actor=actor, now=utcnow()))


@router.post("/governance/training/{course_id:int}/cancel", response_class=HTMLResponse)
def cancel(request: Request, course_id: int, session: DB, actor: CurrentActor) -> Response:
    """Withdraw; the first person waiting gets the seat."""
    return _act(request, session, actor, course_id, "registration_cancelled",
                lambda: services.cancel_registration(session, course_id, actor=actor, now=utcnow()))


@router.post("/governance/training/{course_id:int}/capacity", response_class=HTMLResponse)
def capacity(request: Request, course_id: int, session: DB, actor: CurrentActor, seats: str = Form("")) -> Response:
    """Change the number of seats."""
    return _act(request, session, actor, course_id, "saved",
                lambda: services.set_capacity(session, course_id, int(seats) if seats.isdigit() else 0, actor=actor))


@router.post("/governance/training/{course_id:int}/attendance", response_class=HTMLResponse)
async def attendance(request: Request, course_id: int, session: DB, actor: CurrentActor) -> Response:
    """Record who attended among the seated."""
    form = await request.form()
    attended = {int(str(v)) for v in form.getlist("attended") if str(v).isdigit()}
    return _act(request, session, actor, course_id, "attendance_recorded",
                lambda: services.record_attendance(session, course_id, attended, actor=actor, now=utcnow()))


@router.post("/governance/training/{course_id:int}/certificates", response_class=HTMLResponse)
def issue(request: Request, course_id: int, session: DB, actor: CurrentActor) -> Response:
    """Issue certificates to everyone who attended."""
    return _act(request, session, actor, course_id, "certificates_issued",
                lambda: services.issue_certificates(session, course_id, actor=actor, now=utcnow()))


@router.get("/governance/certificates", response_class=HTMLResponse, dependencies=[PUBLIC])
def verify_form(request: Request, session: DB, actor: CurrentActor, code: str = "") -> HTMLResponse:
    """Anyone can check a certificate by its code (no sign-in needed)."""
    certificate = services.verify_certificate(session, code) if code.strip() else None
    return render(request, "governance/certificate.html", {"code": code, "certificate": certificate,
                                                             "checked": bool(code.strip())},
                  404 if code.strip() and certificate is None else 200)


@router.get("/governance/certificates/{code}.pdf", dependencies=[PUBLIC])
def certificate_pdf(request: Request, code: str, session: DB, actor: CurrentActor) -> Response:
    """The certificate as a PDF (the code is the credential: whoever holds it may download and check it)."""
    certificate = services.verify_certificate(session, code)
    if certificate is None:
        raise GovernanceNotFound(N_("No certificate has this code."), field="code")
    verify_url = f"{request.app.state.settings.base_url}/governance/certificates?code={certificate.code}"
    return Response(certificates.render_pdf(certificate, verify_url=verify_url), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="certificate-{certificate.code}.pdf"'})
