"""Governance pages: dashboards with charts, the yearly report, exports and the public view; plus each part's pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import HTMLResponse, Response

from kakehashi.governance import ledger
from kakehashi.governance.consultations import queries as consultations
from kakehashi.governance.consultations.web import router as consultations_router
from kakehashi.governance.dashboard import charts, export, figures, report
from kakehashi.governance.errors import GovernanceNotFound
from kakehashi.governance.funding.web import router as funding_router
from kakehashi.governance.register import queries as register
from kakehashi.governance.register import services as register_services
from kakehashi.governance.register.web import router as register_router
from kakehashi.governance.training import queries as training
from kakehashi.governance.training.web import router as training_router
from kakehashi.kernel.areas import AREAS, BY_CODE
from kakehashi.kernel.authz import SYSTEM, Actor, can, require
from kakehashi.kernel.clock import JST, utcnow
from kakehashi.kernel.i18n import N_
from kakehashi.web import openapi
from kakehashi.web.deps import DB, PUBLIC, CurrentActor, csrf_protect
from kakehashi.web.i18n import current_locale
from kakehashi.web.i18n import gettext as _
from kakehashi.web.templating import render

router = APIRouter(dependencies=[Depends(csrf_protect)])
STATUS_LABELS = {"not_started": N_("Not started"), "limited": N_("Limited"), "substantial": N_("Substantial"),
                 "complete": N_("Complete"), "on_hold": N_("On hold"), "dropped": N_("Dropped")}
CHARTS = ("progress", "status", "overdue", "spending")


def _today() -> dt.date:
    return utcnow().astimezone(JST).date()


def _area(code: str | None) -> str | None:
    if code is None:
        return None
    if code not in BY_CODE:
        raise GovernanceNotFound(N_("No such area."), field="area")
    return code


@router.get("/governance", response_class=HTMLResponse)
def dashboard(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    """The agreement's dashboard: overall progress, the eight areas, charts, one's to-do list."""
    require(actor, "governance.view")
    board = figures.build(session, actor=actor, today=_today())
    return render(request, "governance/dashboard.html", {
        "board": board, "area": None, "todo": consultations.todo(session, actor), "charts": CHARTS,
        "status_labels": STATUS_LABELS, "year": _today().year, "can_edit": can(actor, "governance.edit"),
        "has_commitments": bool(board.commitments), "today": _today(),
    })


@router.get("/governance/areas/{code}", response_class=HTMLResponse)
def area_dashboard(request: Request, code: str, session: DB, actor: CurrentActor) -> HTMLResponse:
    """One area's dashboard: its commitments with progress, open and overdue actions, charts."""
    require(actor, "governance.view")
    area = _area(code)
    board = figures.build(session, actor=actor, today=_today(), area=area)
    return render(request, "governance/area.html", {
        "board": board, "area": BY_CODE[code], "charts": CHARTS, "status_labels": STATUS_LABELS,
        "can_edit": can(actor, "governance.edit"),
    })


def chart_svg(session: DB, actor: Actor, name: str, area: str | None, *, public: bool = False) -> bytes:
    """One dashboard chart as SVG, labelled in the viewer's language."""
    board = figures.build(session, actor=actor, today=_today(), area=area, with_spending=not public)
    locale = current_locale.get()
    if name == "progress":
        return charts.progress_over_time(board.history, title=_("Progress over time"), empty=_("No figures recorded yet."))
    if name == "status":
        return charts.status_mix(board.status_mix, {k: _(v) for k, v in STATUS_LABELS.items()}, title=_("Status of activities"))
    if name == "overdue":
        counts = ({c.commitment.ref: c.overdue for c in board.commitments} if area else
                  {a.area.name(locale): a.overdue for a in board.areas})
        return charts.overdue_actions(counts, title=_("Overdue actions"), empty=_("Nothing is overdue."))
    groups: dict[str, dict[str, Any]] = {}
    for side, totals in board.spending.items():
        for (kind, currency), amount in sorted(totals.counted.items(), key=lambda item: (item[0][1], item[0][0] != "planned")):
            groups.setdefault(f"{side} · {currency}", {})[kind] = amount
    return charts.spending(groups, {"planned": _("Planned"), "actual": _("Actual")}, title=_("Spending per side"),
                           empty=_("No costs you may see."))


@router.get("/governance/charts/{name}.svg")
def chart(name: str, session: DB, actor: CurrentActor, area: str | None = None) -> Response:
    """A dashboard chart (progress over time, status mix, overdue actions, spending per side) as an SVG image."""
    require(actor, "governance.view")
    if name not in CHARTS:
        raise GovernanceNotFound(N_("No such chart."), field="name")
    return Response(chart_svg(session, actor, name, _area(area)), media_type="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=60"})


@router.get("/governance/report/{year}.pdf")
def yearly_report(year: int, session: DB, actor: CurrentActor) -> Response:
    """The bilingual yearly report as PDF (the dashboard's button)."""
    require(actor, "governance.view")
    if not 2025 <= year <= _today().year + 1:
        raise GovernanceNotFound(N_("There is no report for that year."), field="year")
    pdf = report.render_pdf(session, year, actor=actor, today=_today())
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="kakehashi-progress-{year}.pdf"'})


@router.get("/governance/export.{fmt}", responses=openapi.SPREADSHEETS)
def export_register(fmt: str, session: DB, actor: CurrentActor) -> Response:
    """The register as CSV or XLSX."""
    require(actor, "governance.view")
    if fmt == "csv":
        return Response(export.to_csv(session), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="commitment-register.csv"'})
    if fmt == "xlsx":
        return Response(export.to_xlsx(session),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": 'attachment; filename="commitment-register.xlsx"'})
    raise GovernanceNotFound(N_("Export as csv or xlsx."), field="format")


@router.get("/public/governance", response_class=HTMLResponse, dependencies=[PUBLIC])
def public_view(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    """Read-only, no sign-in: area figures, and the activities and consultations officers marked public."""
    commitments = ledger.commitments(session)
    figures_now = register.progress(session, commitments)
    public = register.activities(session, public_only=True)
    return render(request, "governance/public.html", {
        "areas": AREAS, "figures": figures_now, "commitments": commitments,
        "activities": {c.id: [a for a in public if a.commitment_id == c.id] for c in commitments},
        "meetings": consultations.meetings(session, public_only=True, size=10).items,
        "courses": training.catalogue(session, public_only=True, upcoming_from=utcnow(), size=10).items,
        "status_labels": STATUS_LABELS,
    })


@router.get("/public/governance/activities/{activity_id:int}", response_class=HTMLResponse, dependencies=[PUBLIC])
def public_activity(request: Request, activity_id: int, session: DB, actor: CurrentActor) -> HTMLResponse:
    """A public activity with its public updates and milestones."""
    activity = register_services.get_activity(session, activity_id)
    if not activity.is_public:
        raise GovernanceNotFound(N_("No such activity."), field="activity_id")
    return render(request, "governance/public_activity.html", {
        "detail": register.detail(session, activity, public_only=True),
        "commitment": ledger.commitment(session, activity.commitment_id), "status_labels": STATUS_LABELS,
        "rolled": register.progress(session).activities.get(activity.id),
    })


@router.get("/public/governance/charts/{name}.svg", dependencies=[PUBLIC])
def public_chart(name: str, session: DB, actor: CurrentActor, area: str | None = None) -> Response:
    """The public charts (progress over time, status mix): no costs, no sign-in."""
    if name not in ("progress", "status"):
        raise GovernanceNotFound(N_("No such chart."), field="name")
    return Response(chart_svg(session, SYSTEM, name, _area(area), public=True), media_type="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=300"})


router.include_router(register_router)
router.include_router(consultations_router)
router.include_router(funding_router)
router.include_router(training_router)
