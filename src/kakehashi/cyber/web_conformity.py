"""Pages of the standards and conformity register: search accreditations, a body with its accreditations,
and (for officers of the body's side) registering bodies and accreditations."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kakehashi.cyber import conformity
from kakehashi.kernel.authz import can, require
from kakehashi.kernel.errors import DomainError, ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.web.deps import DB, CurrentActor
from kakehashi.web.i18n import gettext as _
from kakehashi.web.templating import render

router = APIRouter()
FLASHES = (N_("Body registered"), N_("Accreditation recorded"), N_("Status changed"))
KIND_LABELS = {"certification_body": N_("Certification body"), "testing_laboratory": N_("Testing laboratory"),
               "inspection_body": N_("Inspection body"), "calibration_laboratory": N_("Calibration laboratory")}
STATUS_LABELS = (N_("active"), N_("suspended"), N_("withdrawn"), N_("expired"))  # shown through _(status)


def _choices() -> dict[str, object]:
    return {"standards": conformity.STANDARDS, "statuses": conformity.STATUSES, "today": dt.date.today(),
            "kind_choices": [(kind, _(label)) for kind, label in KIND_LABELS.items()]}


def _errors(exc: DomainError) -> dict[str, str]:
    if isinstance(exc, ValidationFailed):
        return {field: _(message) for field, message in exc.errors.items()}
    return {exc.field or "form": _(exc.message)}


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed({name: N_("Dates are written 2025-08-25.")}) from None


@router.get("/cyber/conformity", response_class=HTMLResponse)
def register(request: Request, session: DB, actor: CurrentActor, q: str = "", country: str = "", standard: str = "",
             status: str = "", expiring: str = "", page: int = 1) -> HTMLResponse:
    """Search accreditations by words, country, standard, status; "expiring" shows those ending within 90 days."""
    expiring_by = dt.date.today() + conformity.REMIND_WITHIN if expiring else None
    found = conformity.search(session, words=q[:200], country=country or None, standard=standard or None,
                              status=status or None, expiring_by=expiring_by, page=page, actor=actor)
    query = f"q={q}&country={country}&standard={standard}&status={status}&expiring={expiring}"
    return render(request, "cyber/conformity.html", {
        "found": found, "params": {"q": q, "country": country, "standard": standard, "status": status,
                                   "expiring": expiring}, "query": query, **_choices(),
        "may_edit": can(actor, "cyber.conformity.edit"), "errors": {}, "values": {}})


@router.post("/cyber/conformity/bodies")
def register_body(request: Request, session: DB, actor: CurrentActor, name_en: str = Form(""), name_ja: str = Form(""),
                  country: str = Form(""), kind: str = Form(""), website: str = Form("")) -> Response:
    """Register a conformity-assessment body of the officer's side."""
    data = conformity.BodyInput(name_en=name_en, name_ja=name_ja or None, country=country, kind=kind,
                                website=website or None)
    try:
        body = conformity.register_body(session, data, actor=actor)
        session.commit()
    except ValidationFailed as exc:
        session.rollback()
        found = conformity.search(session, actor=actor)
        return render(request, "cyber/conformity.html", {
            "found": found, "params": {}, "query": "", **_choices(),
            "may_edit": True, "errors": _errors(exc), "values": data.__dict__}, 422)
    return RedirectResponse(f"/cyber/conformity/bodies/{body.id}?flash=body_registered", status_code=303)


@router.get("/cyber/conformity/bodies/{body_id}", response_class=HTMLResponse)
def body_page(request: Request, body_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """A body and its accreditations."""
    require(actor, "cyber.view")
    body = conformity.get_body(session, body_id)
    return render(request, "cyber/conformity_body.html", {
        "body": body, "accreditations": conformity.accreditations_of(session, body.id), **_choices(),
        "may_edit": can(actor, "cyber.conformity.edit", side=body.country), "errors": {}, "values": {}})


@router.post("/cyber/conformity/bodies/{body_id}/accreditations")
def add_accreditation(request: Request, body_id: int, session: DB, actor: CurrentActor, accreditor: str = Form(""),
                      scheme: str = Form(""), standard: str = Form(""), scope: str = Form(""), number: str = Form(""),
                      valid_from: str = Form(""), valid_until: str = Form(""), status: str = Form("active")) -> Response:
    """Record an accreditation of the body."""
    values = {"accreditor": accreditor, "scheme": scheme, "standard": standard, "scope": scope, "number": number,
              "valid_from": valid_from, "valid_until": valid_until, "status": status}
    try:
        data = conformity.AccreditationInput(
            accreditor=accreditor, scheme=scheme, standard=standard, scope=scope, number=number or None,
            valid_from=_date(valid_from, "valid_from"), valid_until=_date(valid_until, "valid_until"), status=status)
        conformity.add_accreditation(session, body_id, data, actor=actor)
        session.commit()
    except ValidationFailed as exc:
        session.rollback()
        body = conformity.get_body(session, body_id)
        return render(request, "cyber/conformity_body.html", {
            "body": body, "accreditations": conformity.accreditations_of(session, body.id), **_choices(),
            "may_edit": True, "errors": _errors(exc), "values": values}, 422)
    return RedirectResponse(f"/cyber/conformity/bodies/{body_id}?flash=accreditation_recorded", status_code=303)


@router.post("/cyber/conformity/accreditations/{accreditation_id}/status")
def change_status(request: Request, accreditation_id: int, session: DB, actor: CurrentActor,
                  status: str = Form("")) -> Response:
    """Suspend, withdraw or reinstate an accreditation."""
    accreditation = conformity.set_status(session, accreditation_id, status, actor=actor)
    session.commit()
    return RedirectResponse(f"/cyber/conformity/bodies/{accreditation.body_id}?flash=status_changed", status_code=303)
