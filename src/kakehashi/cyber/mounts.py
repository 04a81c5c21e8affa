"""Mount the TAXII 2.1 server at /taxii2/ (its own media type and error objects, see cyber.taxii)."""

from __future__ import annotations

from fastapi import FastAPI

from kakehashi.cyber import taxii


def mount(app: FastAPI) -> None:
    """Add the TAXII routes to the platform app."""
    app.include_router(taxii.router)
