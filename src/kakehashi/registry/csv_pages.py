"""Pages for CSV import (upload, choose the mode, read the report) and export (download)."""

from __future__ import annotations

import io

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import HTMLResponse, Response, StreamingResponse

from kakehashi.kernel.authz import require
from kakehashi.registry import csvfile
from kakehashi.registry.errors import ImportRefused
from kakehashi.web import openapi
from kakehashi.web.deps import DB, CurrentActor, get_settings
from kakehashi.web.i18n import gettext as _
from kakehashi.web.templating import render

router = APIRouter()


@router.get("/organisations/import", response_class=HTMLResponse)
def import_form(request: Request, actor: CurrentActor) -> HTMLResponse:
    """Upload a CSV file and choose what happens to bad rows."""
    require(actor, "registry.org.import")
    return _page(request, None, {}, "all-or-nothing")


@router.post("/organisations/import", response_class=HTMLResponse)
def import_upload(
    request: Request, session: DB, actor: CurrentActor, file: UploadFile = File(...),
    mode: str = Form("all-or-nothing"),
) -> HTMLResponse:
    """Import the file; the report lists every bad row with its line number and column."""
    require(actor, "registry.org.import")
    limit = get_settings(request).csv_import_max_bytes
    data = file.file.read(limit + 1)
    try:
        report = csvfile.import_csv(session, data, mode=mode, max_bytes=limit, actor=actor)  # type: ignore[arg-type]
    except ImportRefused as exc:
        session.rollback()
        message = f"{_(exc.base_message)} {exc.detail}".strip()
        return _page(request, None, {exc.field or "file": message}, mode, status=exc.status)
    session.commit()
    return _page(request, report, {}, mode, status=422 if report.errors and not report.created else 200)


@router.get("/organisations/export.csv", responses=openapi.CSV)
def export(session: DB, actor: CurrentActor) -> Response:
    """Download every organisation as CSV (the import's columns plus id and verification time)."""
    require(actor, "registry.org.export")
    buffer = io.StringIO()
    csvfile.export_csv(session, buffer, actor=actor)
    return StreamingResponse(iter([buffer.getvalue()]), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="organisations.csv"'})


def _page(request: Request, report: csvfile.ImportReport | None, errors: dict[str, str], mode: str,
          status: int = 200) -> HTMLResponse:
    limit = get_settings(request).csv_import_max_bytes
    return render(request, "registry/import.html", {
        "report": report, "errors": errors, "mode": mode, "limit_mb": limit / (1024 * 1024),
        "columns": csvfile.COLUMNS, "modes": csvfile.MODES,
    }, status)
