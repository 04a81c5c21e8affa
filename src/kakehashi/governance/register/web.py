"""Pages of the commitment register: commitments, activities (create, edit, update), milestones, links."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kakehashi.governance import ledger, money
from kakehashi.governance.consultations import queries as consultations
from kakehashi.governance.errors import GovernanceNotFound, StaleEdit
from kakehashi.governance.forms import PASS_THROUGH, FormReader, checked, commit_or_redisplay, field_errors
from kakehashi.governance.funding import queries as funding
from kakehashi.governance.register import queries, services
from kakehashi.governance.register.models import FORUMS, ActivityKind, Status
from kakehashi.governance.register.schemas import ActivityFields, OwnerSpec
from kakehashi.kernel.authz import Actor, can, require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import DomainError
from kakehashi.kernel.i18n import N_
from kakehashi.web.deps import DB, CurrentActor
from kakehashi.web.i18n import current_locale
from kakehashi.web.i18n import gettext as _
from kakehashi.web.templating import render

router = APIRouter()
KIND_LABELS = {"initiative": N_("Initiative"), "event": N_("Event"), "programme": N_("Programme"), "pilot": N_("Pilot"),
               "study": N_("Study"), "delegation": N_("Delegation"), "forum_position": N_("Position in a multilateral forum")}
STATUS_LABELS = {"not_started": N_("Not started"), "limited": N_("Limited"), "substantial": N_("Substantial"),
                 "complete": N_("Complete"), "on_hold": N_("On hold"), "dropped": N_("Dropped")}


def _commitment(session: DB, commitment_id: int) -> ledger.CommitmentRef:
    found = ledger.commitment(session, commitment_id)
    if found is None:
        raise GovernanceNotFound(N_("No such commitment."), field="commitment_id")
    return found


@router.get("/governance/commitments/{commitment_id}", response_class=HTMLResponse)
def commitment_page(request: Request, commitment_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """A commitment: its activities as a tree with figures, the actions and decisions about it."""
    require(actor, "governance.view")
    commitment = _commitment(session, commitment_id)
    figures = queries.progress(session)
    return render(request, "governance/commitment.html", {
        "commitment": commitment, "progress": figures.commitments.get(commitment.id), "figures": figures,
        "activities": queries.activities(session, commitment_id=commitment.id),
        "actions": consultations.actions_for_commitment(session, commitment.id),
        "decisions": consultations.decisions_for_commitment(session, commitment.id),
        "can_edit": can(actor, "governance.edit"), "today": utcnow().date(),
    })


def _form_context(session: DB, fields: ActivityFields, errors: dict[str, str], *, activity: Any = None,
                  version: int | None = None) -> dict[str, Any]:
    locale = current_locale.get()
    siblings = queries.activities(session, commitment_id=fields.commitment_id) if fields.commitment_id else []
    return {
        "fields": fields, "errors": errors, "activity": activity, "version": version,
        "commitment_options": [(str(c.id), f"{c.ref} · {c.display_title(locale)}") for c in ledger.commitments(session)],
        "parent_options": [(str(a.id), a.title) for a in siblings if activity is None or a.id != activity.id],
        "kind_options": [(k.value, _(KIND_LABELS[k.value])) for k in ActivityKind],
        "status_options": [(s.value, _(STATUS_LABELS[s.value])) for s in Status],
        "forum_options": [(f, f) for f in FORUMS],
        "owners_text": ", ".join(f"{o.side}:{o.ministry or o.org_id}" for o in fields.owners),
    }


def _read_fields(reader: FormReader, form: dict[str, Any]) -> ActivityFields:
    owners = []
    for item in form.get("owners", "").split(","):
        side, _, who = item.strip().partition(":")
        if not item.strip():
            continue
        if who.isdigit():
            owners.append(OwnerSpec(side.strip().upper(), org_id=int(who)))
        else:
            owners.append(OwnerSpec(side.strip().upper(), ministry=who.strip().upper() or None))
    return ActivityFields(
        commitment_id=reader.integer("commitment_id", form.get("commitment_id", "")) or 0,
        kind=form.get("kind", ""), title=form.get("title", ""), title_ja=form.get("title_ja") or None,
        description=form.get("description", ""), forum=form.get("forum") or None,
        start_on=reader.date("start_on", form.get("start_on", "")), end_on=reader.date("end_on", form.get("end_on", "")),
        status=form.get("status", ""), progress=reader.integer("progress", form.get("progress", ""), default=0) or 0,
        weight=reader.decimal("weight", form.get("weight", ""), default=Decimal(1)),
        parent_id=reader.integer("parent_id", form.get("parent_id", "")), is_public=checked(form.get("is_public")),
        owners=tuple(owners),
    )


@router.get("/governance/activities/new", response_class=HTMLResponse)
def new_activity(request: Request, session: DB, actor: CurrentActor, commitment_id: int = 0,
                 parent_id: int | None = None) -> HTMLResponse:
    """The form for a new activity under a commitment (or under another activity)."""
    require(actor, "governance.edit")
    fields = ActivityFields(commitment_id=commitment_id, kind="initiative", title="", parent_id=parent_id)
    return render(request, "governance/activity_form.html", _form_context(session, fields, {}))


async def _form(request: Request) -> dict[str, Any]:
    return {key: str(value) for key, value in (await request.form()).items()}


@router.post("/governance/activities", response_class=HTMLResponse)
async def create_activity(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Create an activity; field errors re-render the form with nothing saved."""
    form = await _form(request)
    reader = FormReader()
    fields = _read_fields(reader, form)
    try:
        reader.check()
        activity = services.create_activity(session, fields, actor=actor, now=utcnow())
        session.commit()
    except DomainError as exc:
        session.rollback()
        if exc.status in (401, 403):
            raise
        return render(request, "governance/activity_form.html", _form_context(session, fields, field_errors(exc)), 422)
    return RedirectResponse(f"/governance/activities/{activity.id}?flash=saved", status_code=303)


@router.get("/governance/activities/{activity_id:int}", response_class=HTMLResponse)
def activity_page(request: Request, activity_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """An activity with owners, milestones, dated updates, links, its own side's costs and the update form."""
    require(actor, "governance.view")
    return render(request, "governance/activity.html", activity_context(session, actor, activity_id, {}))


def activity_context(session: DB, actor: Actor, activity_id: int, errors: dict[str, str]) -> dict[str, Any]:
    activity = services.get_activity(session, activity_id)
    sides = funding.visible_sides(actor)
    arrangements = funding.arrangements(session, activity.id) if sides else []
    return {
        "detail": queries.detail(session, activity), "commitment": ledger.commitment(session, activity.commitment_id),
        "rolled": queries.progress(session).activities.get(activity.id), "errors": errors,
        "statuses": [s.value for s in Status], "can_edit": can(actor, "governance.edit"), "today": utcnow().date(),
        "costs": {side: funding.costs(session, side, activity_id=activity.id) for side in sides},
        "totals": {side: funding.totals(session, side, activity_ids={activity.id}) for side in sides},
        "arrangements": arrangements,
        "rate": funding.latest_rate(session), "sides": sides, "link_options": [(k, k) for k in services.LINK_KINDS],
        "convert": money.convert, "amount_of": lambda cost: money.from_minor(cost.amount_minor, cost.currency),
        "concurred": funding.concurred_arrangements(session) if sides else set(), "cost_values": {},
        "arrangement_options": [(str(a.id), a.description[:60]) for a in arrangements],
    }


def write_on_activity(request: Request, session: DB, actor: Actor, activity_id: int, write: Callable[[], object], *,
                      flash: str, anchor: str = "", status: int | None = 422,
                      cost_values: dict[str, str] | None = None) -> Response:
    """Run one form of the activity page: commit and go back to the page with `flash`, or roll back and show the
    page again with each field's message (`status`, or the error's own when None). Not found and not allowed
    stay errors."""
    def redisplay(errors: dict[str, str], error_status: int) -> Response:
        context = activity_context(session, actor, activity_id, errors)
        if cost_values is not None:
            context["cost_values"] = cost_values
        return render(request, "governance/activity.html", context, error_status if status is None else status)

    return commit_or_redisplay(session, write, done=f"/governance/activities/{activity_id}?flash={flash}{anchor}",
                               redisplay=redisplay)


@router.get("/governance/activities/{activity_id:int}/edit", response_class=HTMLResponse)
def edit_activity_form(request: Request, activity_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """The edit form, carrying the version the editor sees (for optimistic locking)."""
    require(actor, "governance.edit")
    activity = services.get_activity(session, activity_id)
    return render(request, "governance/activity_form.html",
                  _form_context(session, services.fields_of(session, activity), {}, activity=activity,
                                version=activity.version))


@router.post("/governance/activities/{activity_id:int}/edit", response_class=HTMLResponse)
async def edit_activity(request: Request, activity_id: int, session: DB, actor: CurrentActor) -> Response:
    """Save an edit unless someone saved the activity since this form was loaded."""
    form = await _form(request)
    reader = FormReader()
    fields = _read_fields(reader, form)
    version = reader.integer("version", form.get("version", ""), default=0) or 0
    try:
        reader.check()
        services.edit_activity(session, activity_id, fields, expected_version=version, actor=actor, now=utcnow())
        session.commit()
    except DomainError as exc:
        session.rollback()
        if exc.status in PASS_THROUGH:
            raise
        activity = services.get_activity(session, activity_id)
        context = _form_context(session, fields, field_errors(exc), activity=activity, version=version)
        if isinstance(exc, StaleEdit):  # show what the other officer saved, keep this officer's text in the form
            context.update(stale=services.fields_of(session, activity), version=activity.version)
        return render(request, "governance/activity_form.html", context, 409 if isinstance(exc, StaleEdit) else 422)
    return RedirectResponse(f"/governance/activities/{activity_id}?flash=saved", status_code=303)


@router.post("/governance/activities/{activity_id:int}/updates", response_class=HTMLResponse)
def add_update(
    request: Request, activity_id: int, session: DB, actor: CurrentActor, version: int = Form(0), on: str = Form(""),
    happened: str = Form(""), slipped: str = Form(""), reason: str = Form(""), progress: str = Form(""),
    status: str = Form(""), is_public: str = Form(""),
) -> Response:
    """Record a dated update that moves progress and status."""
    reader = FormReader()
    day = reader.date("on", on, required=True)
    percent = reader.integer("progress", progress, default=0) or 0

    def write() -> None:
        reader.check()
        assert day is not None
        services.record_update(session, activity_id, expected_version=version, on=day, happened=happened, slipped=slipped,
                               reason=reason, progress=percent, status=status, is_public=checked(is_public), actor=actor,
                               now=utcnow())

    return write_on_activity(request, session, actor, activity_id, write, flash="update_recorded", status=None)


@router.post("/governance/activities/{activity_id:int}/milestones", response_class=HTMLResponse)
def add_milestone(request: Request, activity_id: int, session: DB, actor: CurrentActor,
                  milestone_title: str = Form(""), title_ja: str = Form(""), due_on: str = Form("")) -> Response:
    """Add a milestone to an activity."""
    reader = FormReader()
    due = reader.date("due_on", due_on, required=True)

    def write() -> None:
        reader.check()
        assert due is not None
        services.add_milestone(session, activity_id, title=milestone_title, title_ja=title_ja or None, due_on=due,
                               actor=actor)

    return write_on_activity(request, session, actor, activity_id, write, flash="saved")


@router.post("/governance/milestones/{milestone_id}/done")
def milestone_done(milestone_id: int, session: DB, actor: CurrentActor, activity_id: int = Form(0)) -> Response:
    """Mark a milestone reached today."""
    services.complete_milestone(session, milestone_id, done_on=utcnow().date(), actor=actor)
    session.commit()
    return RedirectResponse(f"/governance/activities/{activity_id}?flash=saved", status_code=303)


@router.post("/governance/activities/{activity_id:int}/links", response_class=HTMLResponse)
def add_link(request: Request, activity_id: int, session: DB, actor: CurrentActor, target_kind: str = Form(""),
             target_id: str = Form(""), label: str = Form("")) -> Response:
    """Link the activity to another context's record by id."""
    return write_on_activity(
        request, session, actor, activity_id, flash="saved",
        write=lambda: services.add_link(session, activity_id, target_kind=target_kind, target_id=target_id, label=label,
                                        actor=actor))
