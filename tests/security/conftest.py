"""The adversarial suites' world: one database per backend holding the small demo dataset plus objects owned by
each side and organisation, one person per role and side, and one signed-in client per person.

Every request the suites send runs inside a SAVEPOINT that is rolled back afterwards, so the cells of the matrix
never see each other's writes (the order of the cells does not matter, and the run is deterministic).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session, sessionmaker

from kakehashi import cli_support
from kakehashi.cli import DEMO_ORDER
from kakehashi.contexts import optional_module
from kakehashi.cyber.tlp import Tlp as CyberTlp
from kakehashi.db import make_engine, make_sessionmaker, unit_of_work
from kakehashi.exchange import crypto
from kakehashi.exchange import services as exchange
from kakehashi.exchange.policy import AccessMode, Recipients
from kakehashi.exchange.policy import Tlp as ExchangeTlp
from kakehashi.exchange.screening import ScreeningLimits
from kakehashi.exchange.terms import Terms
from kakehashi.governance.funding import services as funding
from kakehashi.identity import services as identity
from kakehashi.identity.models import User
from kakehashi.kernel.authz import ANONYMOUS, SYSTEM, Actor, Ministry, Role, Side
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.demo import DemoOptions
from kakehashi.main import create_app
from kakehashi.web.deps import SESSION_COOKIE
from tests.conftest import BACKENDS, _drop_postgres, fresh_database, test_settings
from tests.factories.cyber import envelope, indicator, make_collection
from tests.factories.identity import make_user
from tests.factories.registry import make_org
from tests.fixtures.web import WebClient

TAXII = "application/taxii+json;version=2.1"

# Every role, on each side where the role has one (platform administrators have none), plus anonymous.
# Org-tied roles belong to the side's own organisation (JP: "jp", IN: "in"); CERT analysts to the side's CERT.
PERSONAS: list[tuple[str, Role | None, Side | None]] = [
    ("anonymous", None, None),
    ("platform_admin", Role.PLATFORM_ADMIN, None),
    *[(f"{role.value}:{side.value}", role, side) for role in Role if role is not Role.PLATFORM_ADMIN for side in Side],
]
_MINISTRY = {(Role.NODAL_OFFICER, Side.JP): Ministry.METI, (Role.NODAL_OFFICER, Side.IN): Ministry.MEITY,
             (Role.MINISTRY_LIAISON, Side.JP): Ministry.MIC, (Role.MINISTRY_LIAISON, Side.IN): Ministry.DOT}


@dataclass
class Persona:
    """One cell row of the matrix: who, the actor the platform sees, a signed-in client and an API token."""

    key: str
    side: str  # its own (officers, managers, analysts) or its organisation's country; "" for admin/anonymous
    actor: Actor
    client: WebClient
    token: str = ""
    user: User | None = None


@dataclass
class Marker:
    """A string only some people may ever be shown, and who: `visible(persona)`."""

    text: str
    what: str
    visible: Callable[[Persona], bool]


@dataclass
class World:
    """What the suites share on one backend."""

    backend: str
    app: FastAPI
    connection: Connection
    personas: dict[str, Persona]
    orgs: dict[str, int]
    ids: dict[str, Any] = field(default_factory=dict)
    markers: list[Marker] = field(default_factory=list)

    def send(self, persona: Persona, method: str, url: str, **kwargs: Any) -> Any:
        """One request as `persona`, its writes rolled back afterwards."""
        return self.send_counting(persona, method, url, **kwargs)[0]

    def send_counting(self, persona: Persona, method: str, url: str, **kwargs: Any) -> tuple[Any, int]:
        """One request as `persona`, its writes rolled back afterwards, and how many audit events it wrote
        (every write of a service is audited: the evidence that a redirect was a success)."""
        nested = self.connection.begin_nested()
        count = "SELECT count(*) FROM kernel_audit_event"
        try:
            before = self.connection.execute(text(count)).scalar_one()
            response = persona.client.request(method, url, **kwargs)
            return response, self.connection.execute(text(count)).scalar_one() - before
        finally:
            if nested.is_active:
                nested.rollback()


def _load_demo(url: str) -> None:
    sessions = make_sessionmaker(make_engine(url))
    options = DemoOptions(orgs=20, people=10, seed=7)
    for context in DEMO_ORDER:
        module = optional_module(context, "demo")
        if module is not None:
            with unit_of_work(sessions) as session:
                module.load(session, options)
    sessions.kw["bind"].dispose()


def _people(db: Session, orgs: dict[str, int]) -> dict[str, User]:
    users: dict[str, User] = {}
    for key, role, side in PERSONAS:
        if role is None:
            continue
        org_id = None
        if role in (Role.ORG_ADMIN, Role.ORG_MEMBER, Role.REVIEWER):
            org_id = orgs[side.value.lower()] if side else None
        if role is Role.CERT_ANALYST:
            org_id = orgs[f"{side.value.lower()}_cert"] if side else None
        spec_side = side if role in (Role.NODAL_OFFICER, Role.MINISTRY_LIAISON, Role.PROGRAMME_MANAGER,
                                     Role.CERT_ANALYST) else None
        users[key] = make_user(db, role=role, side=spec_side, ministry=_MINISTRY.get((role, side)) if side else None,
                               org_id=org_id, email=f"{key.replace(':', '.').replace('_', '-')}@w6.example",
                               name=f"Persona {key}")
    return users


def _seen_by_side(side: str) -> Callable[[Persona], bool]:
    return lambda p: p.actor.is_admin or p.side == side


def _build(db: Session, world: World, users: dict[str, User]) -> None:
    """The objects owned by each side / organisation that only some may see (each with a marker)."""
    now = utcnow()
    tag = uuid.uuid4().hex[:8]
    # An exchange item shared by the JP organisation with the JP side only.
    title = f"W6XCHJPONLY{tag}"
    keyring = crypto.keyring_from_settings(bytes(32))
    terms = Terms(frozenset({"semiconductor"}), Recipients(sides=frozenset({"JP"})), now - dt.timedelta(days=1),
                  now + dt.timedelta(days=90), ExchangeTlp.GREEN, False, AccessMode.DOWNLOAD, None)
    item = exchange.share_item(db, exchange.Upload("w6.csv", "", io.BytesIO(b"a,b\n1,2\n")), terms, title=title,
                               description="", kind="dataset", actor=users["org_member:JP"].actor(), keyring=keyring,
                               limits=ScreeningLimits(), now=now)
    world.ids["item"] = item.id
    world.markers.append(Marker(title, "exchange item shared JP -> JP side only", _seen_by_side("JP")))
    # Funding rows of each side, on a governance activity.
    activity_id = db.scalar(text("SELECT min(id) FROM governance_activity"))
    world.ids["activity"] = activity_id
    for side in ("JP", "IN"):
        description = f"W6FUND{side}{tag}"
        currency = "JPY" if side == "JP" else "INR"
        funding.record_cost(db, activity_id=activity_id, side=side, kind="actual", currency=currency, amount="12345",
                            incurred_on=now.date(), description=description, actor=SYSTEM, now=now)
        from kakehashi.kernel.authz import can

        world.markers.append(Marker(description, f"{side} funding row",
                                    lambda p, side=side: p.actor.is_authenticated
                                    and can(p.actor, "governance.funding.view", side=side)))
    db.flush()


def _taxii_objects(world: World) -> None:
    """The JP CERT's collection with an AMBER and a RED indicator, posted by the JP CERT analyst over TAXII."""
    analyst = world.personas["cert_analyst:JP"]
    tag = uuid.uuid4().hex[:8]
    red, amber = indicator(CyberTlp.RED, name=f"W6RED{tag}"), indicator(CyberTlp.AMBER, name=f"W6AMBER{tag}")
    uid = world.ids["collection"]
    response = analyst.client.post(f"/taxii2/cti/collections/{uid}/objects/", content=_json(envelope(red, amber)),
                                   headers={"Authorization": f"Bearer {analyst.token}", "Accept": TAXII,
                                            "Content-Type": TAXII})
    assert response.status_code == 202, response.text
    assert response.json()["success_count"] == 2, response.text
    world.ids["red_object"], world.ids["amber_object"] = red["id"], amber["id"]
    world.ids["status"] = response.json()["id"]
    poster = analyst.actor.user_id
    jp_cert = world.orgs["jp_cert"]
    # RED: the poster (no one is named on the collection); AMBER: the owning CERT's people.
    world.markers.append(Marker(f"W6RED{tag}", "TLP:RED indicator", lambda p: p.actor.user_id == poster))
    world.markers.append(Marker(f"W6AMBER{tag}", "TLP:AMBER indicator of the JP CERT",
                                lambda p: p.actor.org_id == jp_cert))


def _json(value: Any) -> bytes:
    import json

    return json.dumps(value).encode()


@pytest.fixture(scope="session", params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The demo dataset plus the suites' own objects on one backend (built once per backend)."""
    backend = str(request.param)
    url = fresh_database(backend, str(tmp_path_factory.mktemp(f"security-{backend}")), "security")
    settings = test_settings(url)
    # Demo loaders read the CLI's settings (the master key of demo documents): make them the app's.
    os.environ["KAKEHASHI_MASTER_KEY"] = settings.master_key
    os.environ["KAKEHASHI_SECRET_KEY"] = settings.secret_key
    cli_support.settings.cache_clear()
    _load_demo(url)
    engine = make_engine(url)
    connection = engine.connect()
    outer = connection.begin()
    sessions = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    app = create_app(settings, sessions)
    # The TAXII evidence drainer runs in a timer thread on the app's sessions: here those share one connection
    # with the test, so it stays off (evidence stays queued in the outbox; tests/cyber cover the drainer).
    app.state.cyber_log_drainer = None
    db = sessions()
    orgs = {
        "jp": make_org(db, country="JP", name_en="W6 Sakura KK").id,
        "in": make_org(db, country="IN", name_en="W6 Bengaluru Pvt Ltd").id,
        "jp_cert": make_org(db, country="JP", kind="company", name_en="W6 JPCERT").id,
        "in_cert": make_org(db, country="IN", kind="company", name_en="W6 CERT-In").id,
    }
    users = _people(db, orgs)
    personas: dict[str, Persona] = {}
    clients: list[WebClient] = []
    for key, _role, side in PERSONAS:
        client = WebClient(app, raise_server_exceptions=False, follow_redirects=False)
        client.__enter__()
        clients.append(client)
        client.secret_key = settings.secret_key
        user = users.get(key)
        if user is None:
            personas[key] = Persona(key, "", ANONYMOUS, client)
            continue
        client.cookies.set(SESSION_COOKIE, identity.start_session(db, user, idle=dt.timedelta(hours=4)))
        token = identity.create_api_token(db, user=user)
        personas[key] = Persona(key, side.value if side else "", user.actor(), client, token, user)
    world = World(backend, app, connection, personas, orgs)
    world.ids["collection"] = make_collection(db, owner_org_id=orgs["jp_cert"], title="W6 JP CERT sharing").uid
    world.ids["calendar_user"] = users["org_member:JP"].id
    _build(db, world, users)
    world.ids["invitation"] = identity.invite(
        db, email="invited@w6.example", spec=identity.RoleSpec(Role.ORG_MEMBER, org_id=orgs["jp"]), actor=SYSTEM)[1]
    db.commit()
    for persona in personas.values():
        persona.client.csrf()  # the CSRF cookie, as a browser gets it on its first page
    _taxii_objects(world)
    db.close()
    try:
        yield world
    finally:
        for client in clients:
            client.__exit__(None, None, None)
        outer.rollback()
        connection.close()
        engine.dispose()
        if backend == "postgresql" and engine.url.database:
            _drop_postgres(engine.url.database)


def user_by_email(db: Session, email: str) -> User:
    return db.scalars(select(User).where(User.email == email)).one()
