"""Mount the TAXII 2.1 server at /taxii2/ (its own media type and error objects, see cyber.taxii) and start
the drainer that appends TAXII evidence to the transparency log.
"""

from __future__ import annotations

from fastapi import FastAPI

from kakehashi.cyber import taxii, validation
from kakehashi.cyber.log_drainer import LogDrainer


def mount(app: FastAPI) -> None:
    """Add the TAXII routes to the platform app."""
    app.state.cyber_log_drainer = LogDrainer(app.state.sessionmaker)
    app.include_router(taxii.router)
    # Tried first: the router matches a request by trying every route of every included router in turn, and
    # TAXII clients post envelope after envelope (its paths all start /taxii2/, so it shadows nothing).
    app.router.routes.insert(0, app.router.routes.pop())
    # Before the server accepts requests: the reference validator's import takes seconds, which the first
    # envelope would otherwise wait for (and, imported in the background, would slow the first requests).
    validation.warm()
