"""create_app(): settings, database, templates, then every context's routers."""

from __future__ import annotations

import gc
from importlib.resources import files
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker

from kakehashi import agreement
from kakehashi.contexts import CONTEXTS, modules, register_log_facts
from kakehashi.db import make_engine, make_sessionmaker
from kakehashi.identity import passwords
from kakehashi.settings import Settings, load_settings
from kakehashi.web import apidocs, bounds, dbguard, deps, errors, openapi, pages
from kakehashi.web.middleware import ShellMiddleware


def create_app(settings: Settings | None = None, sessions: sessionmaker[Session] | None = None) -> FastAPI:
    """The whole platform as one ASGI app (several processes can serve it behind a proxy)."""
    settings = settings or load_settings()
    passwords.configure(settings.password_hash_profile)
    app = FastAPI(
        title="Kakehashi API", version="1", openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
        description="The India–Japan Digital Partnership 2.0 platform. Authenticate with `Authorization: Bearer <token>`"
                    " (see `kakehashi tokens create`). Errors are RFC 9457 problem+json.",
        # every route, before its own dependencies: integers in range, then sign-in unless the route is public
        dependencies=[Depends(bounds.check_integers), Depends(deps.signed_in_unless_public)],
    )
    app.state.settings = settings
    app.state.sessionmaker = sessions or make_sessionmaker(make_engine(settings.database_url))
    register_log_facts()
    checkpoint_file = settings.checkpoint_path()
    if checkpoint_file is not None:  # every signed checkpoint is also kept outside the database
        agreement.publish_checkpoints_to(app.state.sessionmaker, checkpoint_file)
    app.add_middleware(ShellMiddleware)
    errors.install(app)
    for context in CONTEXTS:  # /static/<ctx>/ serves src/kakehashi/<ctx>/static/ (before the shell's /static)
        if context != "web" and (files(f"kakehashi.{context}") / "static").is_dir():
            app.mount(f"/static/{context}", StaticFiles(packages=[(f"kakehashi.{context}", "static")]))
    app.mount("/static", StaticFiles(packages=[("kakehashi.web", "static")]), name="static")
    app.include_router(pages.router)
    app.include_router(apidocs.router)
    for _context, module in [*modules("web"), *modules("api")]:
        app.include_router(module.router)
    for _context, module in modules("mounts"):
        module.mount(app)
    dbguard.install()
    openapi.install(app)
    return app


def app_factory() -> Any:
    """Entry point for `uvicorn --factory kakehashi.main:app_factory`.

    What start-up built (modules, routes, mappers, grammars: some 300,000 objects) lives as long as the process,
    so it is moved out of the garbage collector's reach: a full collection otherwise walks it all, stalling
    every request in flight for a quarter of a second."""
    app = create_app()
    gc.freeze()
    return app
