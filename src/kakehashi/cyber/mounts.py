"""Mount the TAXII 2.1 server at /taxii2/ (its own media type and error objects, see cyber.taxii) and start
the drainer that appends TAXII evidence to the transparency log.
"""

from __future__ import annotations

from fastapi import FastAPI

from kakehashi.cyber import taxii
from kakehashi.cyber.log_drainer import LogDrainer


def mount(app: FastAPI) -> None:
    """Add the TAXII routes to the platform app."""
    app.state.cyber_log_drainer = LogDrainer(app.state.sessionmaker)
    app.include_router(taxii.router)
