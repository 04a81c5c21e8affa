"""A live TAXII server per test: the platform on uvicorn over a fresh database of each backend, with CERTs,
analysts, API tokens and one shared collection, driven by the OASIS `taxii2-client`.

Fresh databases are cheap copies of one migrated template per backend (a file copy on SQLite, CREATE
DATABASE ... TEMPLATE on PostgreSQL).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker
from taxii2client.common import TokenAuth
from taxii2client.v21 import ApiRoot, Collection

from kakehashi.cyber import services
from kakehashi.cyber.tlp import Tlp
from kakehashi.db import make_engine, make_sessionmaker, unit_of_work
from kakehashi.identity import services as identity
from kakehashi.identity.models import User
from kakehashi.kernel.authz import SYSTEM, Role, Side
from kakehashi.main import create_app
from tests.conftest import BACKENDS, PG_URL, WORKER, fresh_database, test_settings
from tests.factories.identity import make_user
from tests.factories.registry import make_org

ROOT = "/taxii2/cti/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], str]:
    """One migrated database per backend, to copy for each test."""
    made: dict[str, str] = {}

    def get(backend: str) -> str:
        if backend not in made:
            made[backend] = fresh_database(backend, str(tmp_path_factory.mktemp("cyber-template")), "cyber_tmpl")
        return made[backend]

    return get


_copies = iter(range(1, 1_000_000))


def _admin(statement: str) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(statement))
    admin.dispose()


def _copy_database(backend: str, template: str, directory: str) -> tuple[str, Callable[[], None]]:
    """A copy of the template and how to drop it."""
    n = next(_copies)
    if backend == "sqlite":
        target = f"{directory}/cyber_{n}.db"
        shutil.copyfile(template.split("///", 1)[1], target)
        return f"sqlite:///{target}", lambda: None
    name = f"kakehashi_cyber_{WORKER}_{n}"
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{template.rsplit("/", 1)[1]}"')
    return PG_URL.rsplit("/", 1)[0] + "/" + name, lambda: _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class World:
    """The live server, its database, the CERTs and analysts, and the shared collection."""

    url: str
    sessions: sessionmaker[Session]
    orgs: dict[str, int]
    users: dict[str, User]
    tokens: dict[str, str]
    collection_id: str
    extra: dict[str, Any] = field(default_factory=dict)

    def auth(self, who: str) -> TokenAuth:
        """taxii2-client token auth for a named analyst."""
        return TokenAuth(self.tokens[who])

    def root(self, who: str, **kwargs: Any) -> ApiRoot:
        """The API root as a named analyst sees it (token auth unless user/password given)."""
        if "user" in kwargs:
            return ApiRoot(self.url + ROOT, **kwargs)
        return ApiRoot(self.url + ROOT, auth=self.auth(who))

    def collection(self, who: str, collection_id: str | None = None) -> Collection:
        """The shared collection (or another) as a named analyst sees it."""
        return Collection(f"{self.url}{ROOT}collections/{collection_id or self.collection_id}/", auth=self.auth(who))

    def session(self) -> AbstractContextManager[Session]:
        """A transaction on the server's database (committed on exit)."""
        return unit_of_work(self.sessions)


def _populate(sessions: sessionmaker[Session]) -> tuple[dict[str, int], dict[str, User], dict[str, str], str]:
    with unit_of_work(sessions) as session:
        orgs = {
            "jpcert": make_org(session, country="JP", kind="public_body", name_en="JPCERT/CC").id,
            "certin": make_org(session, country="IN", kind="public_body", name_en="CERT-In").id,
            "sector": make_org(session, country="IN", kind="public_body", name_en="Finance Sector CERT").id,
            "outsider": make_org(session, country="IN", kind="company", name_en="Far Away CERT").id,
            "stranger": make_org(session, country="JP", kind="company", name_en="Unrelated KK").id,
        }
        people = {"jp": ("jpcert", Side.JP), "jp2": ("jpcert", Side.JP), "in": ("certin", Side.IN),
                  "in_red": ("certin", Side.IN), "sector": ("sector", Side.IN), "outsider": ("outsider", Side.IN),
                  "stranger": ("stranger", Side.JP)}
        users = {name: make_user(session, role=Role.CERT_ANALYST, side=side, org_id=orgs[org],
                                 email=f"{name}@cert.example") for name, (org, side) in people.items()}
        users["member"] = make_user(session, role=Role.ORG_MEMBER, org_id=orgs["certin"], email="member@cert.example")
        tokens = {name: identity.create_api_token(session, user=user) for name, user in users.items()}
        shared = services.create_collection(session, title="JP-IN shared", description="Bilateral exchange",
                                            alias="jp-in", owner_org_id=orgs["jpcert"], actor=SYSTEM)
        services.grant_access(session, shared.uid, org_id=orgs["certin"], can_write=True, max_tlp=Tlp.AMBER_STRICT,
                              actor=SYSTEM)
        services.grant_access(session, shared.uid, org_id=orgs["sector"], max_tlp=Tlp.GREEN, actor=SYSTEM)
        services.grant_access(session, shared.uid, org_id=orgs["outsider"], max_tlp=Tlp.CLEAR, actor=SYSTEM)
        services.name_red_recipient(session, shared.uid, user_id=users["in_red"].id, actor=SYSTEM)
        for user in users.values():
            session.expunge(user)
        return orgs, users, tokens, shared.uid


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, template_database: Callable[[str], str],
          tmp_path: Any) -> Iterator[World]:
    """A live server over a fresh copy of the migrated database, populated with CERTs and a collection."""
    backend = str(request.param)
    url, drop = _copy_database(backend, template_database(backend), str(tmp_path))
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    orgs, users, tokens, collection_id = _populate(sessions)
    app = create_app(test_settings(url), sessions)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("TAXII test server did not start")
        time.sleep(0.02)
    yield World(url=f"http://127.0.0.1:{port}", sessions=sessions, orgs=orgs, users=users, tokens=tokens,
                collection_id=collection_id)
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()
    drop()
