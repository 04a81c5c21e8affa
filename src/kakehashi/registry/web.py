"""Registry pages: list with search and filters, detail, create/edit form, verification."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kakehashi import identity
from kakehashi.kernel import audit
from kakehashi.kernel.authz import Actor, can, require
from kakehashi.kernel.errors import DomainError, NotFound, ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.registry import csv_pages, queries, services
from kakehashi.registry.errors import DuplicateIdentifier
from kakehashi.registry.labels import form_context, page_labels
from kakehashi.registry.models import IdScheme, Organisation
from kakehashi.registry.profile import OrganisationInput
from kakehashi.web.deps import DB, CurrentActor, csrf_protect
from kakehashi.web.i18n import gettext as _
from kakehashi.web.templating import render

router = APIRouter(dependencies=[Depends(csrf_protect)])
router.include_router(csv_pages.router)  # first: /organisations/import must not be taken for an id
FILTERS = ("q", "country", "kind", "sector", "area", "verified")
# Flash messages travel in the redirect's query string; the shell translates them when shown.
FLASHES = (N_("Organisation registered"), N_("Changes saved"), N_("Organisation verified"),
           N_("Verification withdrawn"))
TEXT_FIELDS = ("kind", "name_en", "name_ja", "name_hi", "country", "region", "city", "size", "founded_year",
               "website", "offers", "seeks", "description")


@router.get("/organisations", response_class=HTMLResponse)
def organisation_list(request: Request, session: DB, actor: CurrentActor, page: int = 1) -> HTMLResponse:
    """Search and filter organisations; an htmx request gets only the results."""
    require(actor, "registry.view")
    params = {name: request.query_params.get(name, "").strip()[:200] for name in FILTERS}
    verified = {"yes": True, "no": False}.get(params["verified"])
    results = queries.search(session, params["q"], country=params["country"] or None, kind=params["kind"] or None,
                             sector=params["sector"] or None, area=params["area"] or None, verified=verified,
                             page=page, size=20)
    context = {"results": results, "params": params, "labels": page_labels(),
               "base_query": urlencode({k: v for k, v in params.items() if v}),
               "filtered": any(params.values()), "may_import": can(actor, "registry.org.import")}
    template = "registry/_results.html" if request.headers.get("HX-Request") == "true" else "registry/list.html"
    return render(request, template, context)


@router.get("/organisations/new", response_class=HTMLResponse)
def new_form(request: Request, actor: CurrentActor) -> HTMLResponse:
    """An empty registration form."""
    require(actor, "registry.org.create")
    return _form(request, None, {"country": actor.side.value if actor.side else ""}, {})


@router.post("/organisations/new", response_model=None)
async def create(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Register an organisation; on error the form comes back with every value kept and each problem named."""
    form = await request.form()
    try:
        org = services.create_organisation(session, form_input(form), actor=actor)
        session.commit()
    except DomainError as exc:
        session.rollback()
        return _form(request, None, form_values(form), field_errors(exc), status=exc.status)
    return RedirectResponse(f"/organisations/{org.id}?flash=organisation_registered", status_code=303)


@router.get("/organisations/{org_id}", response_class=HTMLResponse)
def detail(request: Request, org_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """An organisation's profile, identifiers, verification and (for officers) its history."""
    require(actor, "registry.view")
    org = _get(session, org_id)
    verifier = identity.get_user(session, org.verified_by) if org.verified_by else None
    history = audit.events_for(session, target_type="organisation", target_id=org.id, limit=20) \
        if can(actor, "audit.view", side=org.country) else []
    return render(request, "registry/detail.html", {
        "org": org, "verifier": verifier, "history": history, "labels": page_labels(),
        "people": identity.users_of_org(session, org.id),
        "may_edit": can(actor, "registry.org.edit", side=org.country, org_id=org.id),
        "may_verify": may_verify(actor, org), "is_officer": actor.is_officer,
    })


@router.get("/organisations/{org_id}/edit", response_class=HTMLResponse)
def edit_form(request: Request, org_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """The form filled with the current profile and its version."""
    org = _get(session, org_id)
    require(actor, "registry.org.edit", side=org.country, org_id=org.id)
    return _form(request, org, org_values(org), {})


@router.post("/organisations/{org_id}/edit", response_model=None)
async def update(request: Request, org_id: int, session: DB, actor: CurrentActor) -> Response:
    """Save changes; a stale version is refused (409) and the form keeps what was typed."""
    form = await request.form()
    try:
        version = int(str(form.get("version", "0")))
        services.update_organisation(session, org_id, form_input(form), expected_version=version, actor=actor)
        session.commit()
    except (DomainError, ValueError) as exc:
        session.rollback()
        errors = field_errors(exc) if isinstance(exc, DomainError) else {"version": _("Reload the page.")}
        status = exc.status if isinstance(exc, DomainError) else 422
        return _form(request, _get(session, org_id), form_values(form), errors, status=status)
    return RedirectResponse(f"/organisations/{org_id}?flash=changes_saved", status_code=303)


@router.post("/organisations/{org_id}/verify", response_model=None)
def verify(org_id: int, session: DB, actor: CurrentActor) -> Response:
    """Mark verified (an officer of the organisation's own country); others get 403."""
    services.verify_organisation(session, org_id, actor=actor)
    session.commit()
    return RedirectResponse(f"/organisations/{org_id}?flash=organisation_verified", status_code=303)


@router.post("/organisations/{org_id}/unverify", response_model=None)
async def unverify(request: Request, org_id: int, session: DB, actor: CurrentActor) -> Response:
    """Withdraw a verification with a reason."""
    form = await request.form()
    services.unverify_organisation(session, org_id, actor=actor, reason=str(form.get("reason", "")))
    session.commit()
    return RedirectResponse(f"/organisations/{org_id}?flash=verification_withdrawn", status_code=303)


def may_verify(actor: Actor, org: Organisation) -> bool:
    """Whether to offer the verify button: officers and liaisons of the organisation's own country."""
    return actor.is_officer and actor.side is not None and actor.side.value == org.country


def _get(session: Any, org_id: int) -> Organisation:
    org = queries.get_organisation(session, org_id)
    if org is None:
        raise NotFound(N_("There is no such organisation."))
    return org


def _form(request: Request, org: Organisation | None, values: dict[str, Any], errors: dict[str, Any],
          status: int = 200) -> HTMLResponse:
    context = {"org": org, "values": values, "errors": errors, **form_context()}
    return render(request, "registry/form.html", context, status)


def form_input(form: FormData) -> OrganisationInput:
    """The submission behind a posted form (dotted names: contacts.email, identifiers.lei)."""
    text = {name: str(form.get(name, "")) for name in TEXT_FIELDS}
    return OrganisationInput(
        **text, sectors=tuple(str(code) for code in form.getlist("sectors")),
        contacts={key: str(form.get(f"contacts.{key}", "")) for key in ("name", "email", "phone")
                  if form.get(f"contacts.{key}")},
        identifiers={scheme.value: str(form.get(f"identifiers.{scheme.value}", "")) for scheme in IdScheme},
    )


def form_values(form: FormData) -> dict[str, Any]:
    """What was typed, to refill the form after an error."""
    values: dict[str, Any] = {key: str(value) for key, value in form.items() if key != "csrf_token"}
    values["sectors"] = [str(code) for code in form.getlist("sectors")]
    return values


def org_values(org: Organisation) -> dict[str, Any]:
    """The form's values for an existing organisation."""
    values: dict[str, Any] = {name: getattr(org, name) for name in TEXT_FIELDS}
    values.update({f"contacts.{key}": value for key, value in (org.contacts or {}).items()})
    values.update({f"identifiers.{identifier.scheme}": identifier.value for identifier in org.identifiers})
    values["sectors"] = [sector.sector for sector in org.sectors]
    values["version"] = org.version
    return values


def field_errors(exc: DomainError) -> dict[str, Any]:
    """Translated messages per field (a duplicate identifier also carries the link to its holder)."""
    if isinstance(exc, ValidationFailed):
        return {name: _(message) for name, message in exc.errors.items()}
    if isinstance(exc, DuplicateIdentifier):
        return {exc.field or "form": _(exc.page_message), "duplicate_link": exc.link,
                "duplicate_field": exc.field}
    return {exc.field or "form": _(exc.message)}
