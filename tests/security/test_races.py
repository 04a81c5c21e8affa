"""Races: concurrent attempts released together by a barrier, each on its own connection, through the real
services (as a writing request runs them) and through a live server with real HTTP clients, on SQLite and
PostgreSQL. Each check-then-act path must act exactly once, and no attempt may end in a database error (a 500).
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from kakehashi.agreement import demo as agreement_demo
from kakehashi.agreement import jws
from kakehashi.agreement import services as agreement
from kakehashi.agreement.models import Instrument, Signature
from kakehashi.db import make_engine, make_sessionmaker, mark_writing
from kakehashi.exchange import consents
from kakehashi.exchange.models import Consent
from kakehashi.governance.training import services as training
from kakehashi.governance.training.models import Registration as Seat
from kakehashi.identity import services as identity
from kakehashi.identity.models import User
from kakehashi.identity.services import RoleSpec
from kakehashi.kernel.audit import AuditEvent
from kakehashi.kernel.authz import SYSTEM, Ministry, Role, Side
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import DomainError
from kakehashi.main import create_app
from kakehashi.matchmaking import opportunities, participation
from kakehashi.matchmaking.models import Interest, MeetingRequest
from kakehashi.registry import services as registry
from kakehashi.registry.models import Organisation, OrganisationIdentifier
from kakehashi.web.deps import CSRF_COOKIE, DB, PUBLIC, SESSION_COOKIE, csrf_token_for
from kakehashi.web.errors import is_concurrency_error
from tests import conftest
from tests.conftest import BACKENDS, _drop_postgres, fresh_database
from tests.factories.identity import make_user
from tests.factories.matchmaking import make_event
from tests.factories.registry import make_org, org_input
from tests.matchmaking.test_opportunities import SPEC

SIGNED = dt.datetime(2025, 8, 25, 1, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)
REPEATS = 8
_serial = itertools.count(1)


@dataclass
class World:
    """A committed database of its own (races need other connections to see the setup)."""

    backend: str
    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    meti: User
    meity: User
    meti_key: Any
    meity_key: Any
    slug: str

    def setup(self) -> Session:
        return self.sessions()


@pytest.fixture(scope="module", params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    backend = str(request.param)
    url = fresh_database(backend, str(tmp_path_factory.mktemp(f"races-{backend}")), "races")
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        meti = make_user(db, role=Role.NODAL_OFFICER, side=Side.JP, ministry=Ministry.METI, email="meti@races.jp")
        meity = make_user(db, role=Role.NODAL_OFFICER, side=Side.IN, ministry=Ministry.MEITY, email="meity@races.in")
        agreement_demo.demo_key(db, "METI", meti.id, now=SIGNED)
        agreement_demo.demo_key(db, "MEITY", meity.id, now=SIGNED)
        moc = agreement_demo.create_agreement(db, agreement_demo.agreement_data("ijdp-2.0.json"), now=SIGNED)
        keys = []
        for user in (meti, meity):
            key = jws.generate_key()
            agreement.register_key(db, actor=user.actor(), jwk=jws.public_jwk(key), label=user.name, now=SIGNED)
            keys.append(key)
        instrument = agreement.draft_instrument(db, moc.slug, "signature", {}, actor=meti.actor(), now=SIGNED)
        for user, key in ((meti, keys[0]), (meity, keys[1])):
            agreement.submit_signature(db, instrument.id, jws.sign(instrument.payload.encode(), key),
                                       actor=user.actor(), now=SIGNED)
        db.commit()
        yield World(backend, url, engine, sessions, meti, meity, keys[0], keys[1], str(moc.slug))
    engine.dispose()
    if backend == "postgresql" and engine.url.database:
        _drop_postgres(engine.url.database)


@dataclass
class Outcome:
    """What one attempt came to: its value, or the refusal's status and code, or an error that escaped."""

    value: Any = None
    status: int = 200
    code: str = "ok"
    escaped: BaseException | None = None


def race(world: World, attempts: list[Callable[[Session], Any]]) -> list[Outcome]:
    """Run the attempts at once, each in its own writing session (as a POST runs), committing on success."""
    barrier = threading.Barrier(len(attempts))
    outcomes = [Outcome() for _ in attempts]

    def run(index: int) -> None:
        with world.sessions() as session:
            mark_writing(session)
            try:
                barrier.wait(timeout=20)
                outcomes[index].value = attempts[index](session)
                session.commit()
            except DomainError as exc:
                session.rollback()
                outcomes[index].status, outcomes[index].code = exc.status, exc.code
            except BaseException as exc:  # noqa: BLE001  (a database error here is what the test is for)
                session.rollback()
                outcomes[index].status, outcomes[index].code, outcomes[index].escaped = 500, "escaped", exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    escaped = [o.escaped for o in outcomes if o.escaped is not None]
    assert not escaped, f"errors escaped the services: {escaped!r}"
    return outcomes


def codes(outcomes: list[Outcome]) -> list[tuple[int, str]]:
    return sorted((o.status, o.code) for o in outcomes)


# --- agreement: signing --------------------------------------------------------------------------------


def _draft_minutes(world: World) -> int:
    with world.setup() as db:
        n = next(_serial)
        instrument = agreement.draft_instrument(
            db, world.slug, "minutes_approval", {"meeting": f"jwg-race-{n}", "minutes_sha256": f"{n:064x}"},
            actor=world.meti.actor(), now=LATER)
        db.commit()
        return instrument.id


def _sign(world: World, instrument_id: int, user: User, key: Any) -> Callable[[Session], Any]:
    def attempt(session: Session) -> Any:
        instrument = session.get_one(Instrument, instrument_id)
        entry = jws.sign(instrument.payload.encode(), key)
        return agreement.submit_signature(session, instrument_id, entry, actor=user.actor(), now=LATER).id
    return attempt


def test_co_signers_at_the_same_moment_conclude_the_instrument_exactly_once(world: World) -> None:
    for _ in range(REPEATS):
        instrument_id = _draft_minutes(world)
        outcomes = race(world, [_sign(world, instrument_id, world.meti, world.meti_key),
                                _sign(world, instrument_id, world.meity, world.meity_key)])
        assert codes(outcomes) == [(200, "ok"), (200, "ok")]
        with world.setup() as db:
            instrument = db.get_one(Instrument, instrument_id)
            assert instrument.status == "concluded" and instrument.log_index is not None
            concluded = db.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.action == "agreement.instrument.conclude", AuditEvent.target_id == str(instrument_id)))
            assert concluded == 1


def test_one_side_signing_twice_at_once_stores_one_signature_and_refuses_the_rest_with_409(world: World) -> None:
    instrument_id = _draft_minutes(world)
    outcomes = race(world, [_sign(world, instrument_id, world.meti, world.meti_key) for _ in range(4)])
    assert codes(outcomes) == [(200, "ok")] + [(409, "already_signed")] * 3
    with world.setup() as db:
        assert db.scalar(select(func.count()).select_from(Signature).where(
            Signature.instrument_id == instrument_id)) == 1
        assert db.get_one(Instrument, instrument_id).status == "signing"


# --- exchange: one consent grant makes one instrument ---------------------------------------------------


def test_simultaneous_grants_of_one_consent_draft_one_instrument(world: World) -> None:
    import io

    from kakehashi.exchange import crypto, services
    from kakehashi.exchange.policy import AccessMode, Recipients, Tlp
    from kakehashi.exchange.screening import ScreeningLimits
    from kakehashi.exchange.terms import Terms

    with world.setup() as db:
        now = utcnow()
        terms = Terms(frozenset({"semiconductor"}), Recipients(ministries=frozenset({"MEITY"})),
                      now - dt.timedelta(days=1), now + dt.timedelta(days=90), Tlp.GREEN, False, AccessMode.DOWNLOAD,
                      None)
        item = services.share_item(db, services.Upload("wafers.csv", "", io.BytesIO(b"region,wafers\nKumamoto,1\n")),
                                   terms, title="Wafer output", description="", kind="dataset",
                                   actor=world.meti.actor(), keyring=crypto.keyring_from_settings(bytes(32)),
                                   limits=ScreeningLimits(), now=now)
        consent = consents.request_consent(db, item.id, actor=world.meity.actor(), purpose="talent",
                                           onward_sharing=False, justification="Joint study.", now=now)
        db.commit()
        consent_id = consent.id

    def grant(session: Session) -> Any:
        return consents.grant_consent(session, consent_id, actor=world.meti.actor(), note="", to_organisation=False,
                                      now=utcnow(), demo_keys=True).status

    outcomes = race(world, [grant for _ in range(4)])
    assert codes(outcomes) == [(200, "ok")] + [(409, "consent-rejected")] * 3
    with world.setup() as db:
        consent = db.get_one(Consent, consent_id)
        assert consent.status == "granted"
        drafted = db.scalar(select(func.count()).select_from(Instrument).where(Instrument.type == "purpose_consent",
                                                                                Instrument.payload.contains(
                                                                                    f"#consent-{consent_id} ")))
        assert drafted == 1


# --- matchmaking: crossing requests, one answer, one interest -------------------------------------------


def _event_with(world: World, people: int) -> tuple[int, list[User], list[int]]:
    with world.setup() as db:
        organiser = make_user(db, role=Role.PROGRAMME_MANAGER, side=Side.JP)
        event = make_event(db, organiser)
        users = [make_user(db, org_id=make_org(db, country="JP" if i % 2 else "IN").id) for i in range(people)]
        registrations = [participation.register(db, event.id, actor=u.actor()).id for u in users]
        db.commit()
        return event.id, users, registrations


def test_two_people_asking_each_other_at_once_make_one_mutual_match(world: World) -> None:
    for _ in range(3):
        event_id, (a, b), (reg_a, reg_b) = _event_with(world, 2)
        outcomes = race(world, [
            lambda s: participation.send_request(s, event_id, actor=a.actor(), recipient_id=reg_b).id,
            lambda s: participation.send_request(s, event_id, actor=b.actor(), recipient_id=reg_a).id,
        ])
        assert codes(outcomes) == [(200, "ok"), (200, "ok")]
        with world.setup() as db:
            rows = list(db.scalars(select(MeetingRequest).where(MeetingRequest.event_id == event_id)))
            assert [(r.status, r.kind) for r in rows] == [("accepted", "mutual")]


def test_a_request_is_answered_once(world: World) -> None:
    event_id, (a, b), (_reg_a, reg_b) = _event_with(world, 2)
    with world.setup() as db:
        mark_writing(db)
        request_id = participation.send_request(db, event_id, actor=a.actor(), recipient_id=reg_b).id
        db.commit()
    outcomes = race(world, [
        lambda s: participation.accept_request(s, request_id, actor=b.actor()).status,
        lambda s: participation.decline_request(s, request_id, actor=b.actor()).status,
        lambda s: participation.accept_request(s, request_id, actor=b.actor(), keen=True).status,
        lambda s: participation.decline_request(s, request_id, actor=b.actor()).status,
    ])
    assert codes(outcomes) == [(200, "ok")] + [(409, "wrong_phase")] * 3
    answer = next(o.value for o in outcomes if o.code == "ok")
    with world.setup() as db:
        assert db.get_one(MeetingRequest, request_id).status == answer


def test_one_organisation_expressing_interest_twice_at_once_is_one_interest(world: World) -> None:
    with world.setup() as db:
        owner_org = make_org(db, country="JP")
        owner = make_user(db, role=Role.ORG_ADMIN, org_id=owner_org.id)
        officer = make_user(db, role=Role.NODAL_OFFICER, side=Side.JP, ministry=Ministry.METI)
        item = opportunities.create_opportunity(db, SPEC, actor=owner.actor())
        opportunities.submit_opportunity(db, item.id, actor=owner.actor())
        opportunities.review_opportunity(db, item.id, actor=officer.actor(), approve=True)
        interested = make_user(db, org_id=make_org(db, country="IN").id)
        db.commit()
        opportunity_id = item.id
    outcomes = race(world, [
        lambda s: opportunities.express_interest(s, opportunity_id, actor=interested.actor(), message="Hi").id
        for _ in range(4)])
    assert codes(outcomes) == [(200, "ok")] + [(409, "duplicate")] * 3
    with world.setup() as db:
        assert db.scalar(select(func.count()).select_from(Interest).where(
            Interest.opportunity_id == opportunity_id)) == 1


# --- governance: the last seat ----------------------------------------------------------------------------


def _course(world: World, capacity: int) -> int:
    with world.setup() as db:
        starts = utcnow() + dt.timedelta(days=30)
        fields = training.CourseFields("cybersecurity", "workshop", "Incident response", "physical", starts,
                                       starts + dt.timedelta(hours=6), capacity, venue="JPCERT/CC, Tokyo")
        course = training.create_course(db, fields, actor=world.meti.actor(), now=utcnow())
        db.commit()
        return course.id


def test_the_last_seat_goes_to_one_person_and_the_rest_wait(world: World) -> None:
    course_id = _course(world, capacity=1)
    with world.setup() as db:
        trainees = [make_user(db) for _ in range(4)]
        db.commit()
    outcomes = race(world, [
        (lambda user: lambda s: training.register(s, course_id, actor=user.actor(), now=utcnow()).status)(t)
        for t in trainees])
    assert codes(outcomes) == [(200, "ok")] * 4
    assert sorted(o.value for o in outcomes) == ["registered"] + ["waitlisted"] * 3
    with world.setup() as db:
        assert training.seats_taken(db, course_id) == 1


def test_one_person_registering_twice_at_once_holds_one_place(world: World) -> None:
    course_id = _course(world, capacity=5)
    with world.setup() as db:
        trainee = make_user(db)
        db.commit()
    outcomes = race(world, [lambda s: training.register(s, course_id, actor=trainee.actor(), now=utcnow()).status
                            for _ in range(3)])
    assert codes(outcomes) == [(200, "ok")] + [(409, "already_registered")] * 2
    with world.setup() as db:
        assert db.scalar(select(func.count()).select_from(Seat).where(Seat.course_id == course_id)) == 1


# --- registry: one identifier, one organisation -------------------------------------------------------------


def test_one_identifier_registered_twice_at_once_belongs_to_one_organisation(world: World) -> None:
    with world.setup() as db:
        admin = make_user(db, role=Role.PLATFORM_ADMIN)
        db.commit()
    number = "5835678256246"  # a valid corporate number (check digit 5)
    outcomes = race(world, [
        lambda s: registry.create_organisation(s, org_input(identifiers={"jp_corporate_number": number}),
                                               actor=admin.actor()).id
        for _ in range(3)])
    assert codes(outcomes) == [(200, "ok")] + [(409, "duplicate_identifier")] * 2
    with world.setup() as db:
        assert db.scalar(select(func.count()).select_from(OrganisationIdentifier).where(
            OrganisationIdentifier.value == number)) == 1


def test_two_saves_of_one_profile_at_once_keep_one_and_refuse_the_other_as_stale(world: World) -> None:
    with world.setup() as db:
        admin = make_user(db, role=Role.PLATFORM_ADMIN)
        org = registry.create_organisation(db, org_input(name_en="Racing Profiles KK"), actor=admin.actor())
        db.commit()
        org_id, version = org.id, org.version

    def save(name: str) -> Callable[[Session], Any]:
        return lambda s: registry.update_organisation(s, org_id, org_input(name_en=name), expected_version=version,
                                                      actor=admin.actor()).name_en

    outcomes = race(world, [save(f"Racing Profiles {n} KK") for n in range(3)])
    assert codes(outcomes) == [(200, "ok")] + [(409, "stale_version")] * 2
    with world.setup() as db:
        assert db.get_one(Organisation, org_id).name_en == next(o.value for o in outcomes if o.code == "ok")


# --- identity: an invitation is accepted once -------------------------------------------------------------------


def test_an_invitation_accepted_twice_at_once_makes_one_account(world: World) -> None:
    with world.setup() as db:
        email = f"invitee{next(_serial)}@races.example"
        _invitation, token = identity.invite(db, email=email, spec=RoleSpec(Role.ORG_MEMBER, None, None,
                                                                                      make_org(db).id),
                                             actor=SYSTEM)
        db.commit()
    outcomes = race(world, [
        lambda s: identity.accept_invitation(s, token=token, name="Invitee", password="correct horse battery").id
        for _ in range(3)])
    assert [c for c in codes(outcomes) if c[0] == 200] == [(200, "ok")]
    assert {c for c in codes(outcomes) if c[0] != 200} <= {(409, "invitation_used"), (422, "invitation_invalid")}
    with world.setup() as db:
        assert db.scalar(select(func.count()).select_from(User).where(User.email == email)) == 1


# --- through a live server: no 500, whatever the timing -------------------------------------------------------


@dataclass
class Live:
    base: str
    world: World


@pytest.fixture(scope="module")
def live(world: World) -> Iterator[Live]:
    import socket

    app = create_app(conftest.test_settings(world.url))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = dt.datetime.now() + dt.timedelta(seconds=20)
    while not server.started and dt.datetime.now() < deadline:
        threading.Event().wait(0.05)
    yield Live(f"http://127.0.0.1:{port}", world)
    server.should_exit = True
    thread.join(timeout=10)


def signed_in(live: Live, user: User) -> httpx.Client:
    """An HTTP client signed in as `user`, sending the CSRF token as the pages' scripts do."""
    with live.world.setup() as db:
        token = identity.start_session(db, db.get_one(User, user.id), idle=dt.timedelta(hours=1))
        db.commit()
    csrf = "race-csrf-cookie"
    client = httpx.Client(base_url=live.base, timeout=60, follow_redirects=False,
                          cookies={SESSION_COOKIE: token, CSRF_COOKIE: csrf},
                          headers={"X-CSRF-Token": csrf_token_for("test-secret-key-0123456789", csrf)})
    return client


def at_once(requests: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    barrier = threading.Barrier(len(requests))
    responses: list[Any] = [None] * len(requests)

    def run(index: int) -> None:
        barrier.wait(timeout=20)
        try:
            responses[index] = requests[index]()
        except httpx.HTTPError as exc:
            responses[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert all(isinstance(r, httpx.Response) for r in responses), responses
    return responses


def test_co_signing_over_http_concludes_once_and_never_answers_500(live: Live) -> None:
    world = live.world
    meti, meity = signed_in(live, world.meti), signed_in(live, world.meity)
    for _ in range(3):
        instrument_id = _draft_minutes(world)
        with world.setup() as db:
            payload = db.get_one(Instrument, instrument_id).payload.encode()
        url = f"/api/v1/instruments/{instrument_id}/signatures"
        responses = at_once([
            lambda: meti.post(url, json=jws.sign(payload, world.meti_key)),
            lambda: meity.post(url, json=jws.sign(payload, world.meity_key)),
            lambda: meti.post(url, json=jws.sign(payload, world.meti_key)),
        ])
        statuses = sorted(r.status_code for r in responses)
        assert statuses in ([201, 201, 409], [201, 201, 422]), [r.text for r in responses]
        refused = next(r for r in responses if r.status_code >= 400)
        assert refused.headers["content-type"].startswith("application/problem+json")
        with world.setup() as db:
            assert db.get_one(Instrument, instrument_id).status == "concluded"


def test_many_writers_at_once_on_every_backend_answer_no_500(live: Live) -> None:
    world = live.world
    course_id = _course(world, capacity=3)
    with world.setup() as db:
        trainees = [make_user(db) for _ in range(8)]
        db.commit()
    clients = [signed_in(live, t) for t in trainees]
    url = f"/governance/training/{course_id}/register"
    responses = at_once([(lambda c: lambda: c.post(url, data={}))(c) for c in clients]
                        + [(lambda c: lambda: c.post(url, data={}))(c) for c in clients[:4]])
    assert all(r.status_code < 500 for r in responses), [(r.status_code, r.text[:300]) for r in responses]
    with world.setup() as db:
        assert training.seats_taken(db, course_id) == 3
        assert db.scalar(select(func.count()).select_from(Seat).where(Seat.course_id == course_id)) == 8


def test_an_invitation_form_sent_twice_at_once_makes_one_account_and_no_500(live: Live) -> None:
    world = live.world
    with world.setup() as db:
        email = f"form-invitee{next(_serial)}@races.example"
        _invitation, token = identity.invite(db, email=email, spec=RoleSpec(Role.ORG_MEMBER, None, None,
                                                                                      make_org(db).id),
                                             actor=SYSTEM)
        db.commit()
    csrf = "race-invite-cookie"
    form = {"name": "Invitee", "password": "correct horse battery", "password_again": "correct horse battery",
            "csrf_token": csrf_token_for("test-secret-key-0123456789", csrf)}
    clients = [httpx.Client(base_url=live.base, cookies={CSRF_COOKIE: csrf}, timeout=60) for _ in range(3)]
    responses = at_once([(lambda c: lambda: c.post(f"/invitations/{token}", data=form))(c) for c in clients])
    statuses = sorted(r.status_code for r in responses)
    assert statuses[0] == 303 and all(s in (409, 422) for s in statuses[1:]), statuses
    with world.setup() as db:
        assert db.scalar(select(func.count()).select_from(User).where(User.email == email)) == 1


# --- the shell's safety net -----------------------------------------------------------------------------------


def test_a_database_conflict_that_escapes_a_route_is_a_409_problem_and_is_rolled_back(world: World) -> None:
    app = create_app(conftest.test_settings(world.url))
    email = f"dup{next(_serial)}@races.example"

    @app.post("/api/v1/test-race", dependencies=[PUBLIC])  # anonymous: the safety net, not sign-in, is tested
    def duplicate(session: DB) -> dict[str, str]:
        session.add(User(email="marker-" + email, name="Half", role="org_member", created_at=utcnow(), languages=[]))
        session.flush()
        session.add(User(email=email, name="A", role="org_member", created_at=utcnow(), languages=[]))
        session.add(User(email=email, name="B", role="org_member", created_at=utcnow(), languages=[]))
        session.commit()  # the unique e-mail is violated: as when another request inserted it a moment before
        return {}

    @app.post("/test-race", dependencies=[PUBLIC])
    def duplicate_page(session: DB) -> dict[str, str]:
        return duplicate(session)

    csrf = "safety-net"
    with TestClient(app, raise_server_exceptions=False, cookies={CSRF_COOKIE: csrf}) as client:
        response = client.post("/api/v1/test-race", headers={"X-CSRF-Token": csrf_token_for(
            "test-secret-key-0123456789", csrf)})
        assert response.status_code == 409
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["type"] == "/problems/concurrent_change"
        page = client.post("/test-race", headers={"accept": "text/html", "accept-language": "ja"})
        assert page.status_code == 409 and "text/html" in page.headers["content-type"]
        assert "同時" in page.text  # the message is translated
    with world.setup() as db:
        assert db.scalar(select(func.count()).select_from(User).where(
            User.email.in_([email, "marker-" + email]))) == 0


def test_only_concurrency_errors_are_conflicts() -> None:
    class Busy(Exception):
        sqlite_errorcode = 517  # SQLITE_BUSY_SNAPSHOT

    class Serialisation(Exception):
        sqlstate = "40001"

    class Syntax(Exception):
        sqlstate = "42601"

    assert is_concurrency_error(DBAPIError("UPDATE", {}, Busy()))
    assert is_concurrency_error(DBAPIError("UPDATE", {}, Serialisation()))
    assert not is_concurrency_error(DBAPIError("SELEC", {}, Syntax()))
    assert not is_concurrency_error(ValueError())


# --- SQLite: writers take the write lock up front --------------------------------------------------------------


def test_writers_that_read_first_queue_for_the_lock_instead_of_failing(world: World) -> None:
    """On SQLite a DEFERRED transaction that read before another writer committed can never write ("database is
    locked" at once, whatever the busy timeout); a writing session begins IMMEDIATE, so every writer succeeds."""
    if world.backend != "sqlite":
        pytest.skip("SQLite's locking")
    with world.setup() as db:
        course_id = _course(world, capacity=50)
        people = [make_user(db) for _ in range(6)]
        db.commit()

    def read_then_write(user: User) -> Callable[[Session], Any]:
        def attempt(session: Session) -> Any:
            session.scalar(select(func.count()).select_from(Seat))  # read first ...
            threading.Event().wait(0.05)  # ... while the others commit ...
            return training.register(session, course_id, actor=user.actor(), now=utcnow()).status  # ... then write
        return attempt

    outcomes = race(world, [read_then_write(p) for p in people])
    assert codes(outcomes) == [(200, "ok")] * 6


def test_a_first_statement_that_writes_begins_immediate_even_unmarked(world: World) -> None:
    if world.backend != "sqlite":
        pytest.skip("SQLite's locking")
    statements: list[str] = []
    with world.engine.connect() as connection, Session(bind=connection) as session:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.set_trace_callback(statements.append)
        try:
            session.execute(update(User).where(User.id == -1).values(name="nobody"))
            session.rollback()
            session.scalar(select(func.count()).select_from(User))
            session.rollback()
            mark_writing(session)
            session.scalar(select(func.count()).select_from(User))
            session.rollback()
        finally:
            raw.set_trace_callback(None)
    assert [s for s in statements if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE", "BEGIN DEFERRED", "BEGIN IMMEDIATE"]
