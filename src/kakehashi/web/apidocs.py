"""API docs page served from vendored Swagger UI (no CDN, no inline script)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import HTMLResponse

from kakehashi.web.deps import PUBLIC

router = APIRouter()

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kakehashi API</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css"></head>
<body><div id="swagger-ui" data-spec="/api/openapi.json"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/swagger/init.js"></script></body></html>"""


@router.get("/api/docs", include_in_schema=False, dependencies=[PUBLIC])
def api_docs() -> HTMLResponse:
    """Interactive documentation of the JSON API."""
    return HTMLResponse(PAGE)
