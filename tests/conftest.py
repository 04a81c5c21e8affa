"""Test fixtures: real databases (SQLite file and PostgreSQL), migrated once, one rolled-back transaction per test.

Every test that takes `db` runs on each backend in KAKEHASHI_TEST_BACKENDS (default: both). PostgreSQL is
required: `make test` starts a throwaway cluster when none answers (scripts/ensure-postgres.sh).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from kakehashi import migrate
from kakehashi.db import make_engine
from kakehashi.identity import passwords
from kakehashi.settings import Settings

pytest_plugins = ["tests.fixtures.actors", "tests.fixtures.web", "tests.fixtures.browser"]

BACKENDS = [b for b in os.environ.get("KAKEHASHI_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]
PG_URL = os.environ.get("KAKEHASHI_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
# Each process gets its own PostgreSQL databases (by xdist worker name and pid, so runs sharing one server never
# drop each other's), dropped at the end.
WORKER = f'{os.environ.get("PYTEST_XDIST_WORKER", "main")}_{os.getpid()}'

passwords.configure("fast-for-tests")


def test_settings(database_url: str) -> Settings:
    """Settings for an app under test: fixed secrets, cheap password hashing."""
    return Settings(
        environment="test", database_url=database_url, secret_key="test-secret-key-0123456789",
        master_key="00" * 32, password_hash_profile="fast-for-tests", base_url="http://testserver",
    )


def _fresh_postgres(name: str) -> str:
    _drop_postgres(name)
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def _drop_postgres(name: str) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def fresh_database(backend: str, directory: str, label: str) -> str:
    """A new, empty, migrated database URL of the given backend."""
    if backend == "sqlite":
        url = f"sqlite:///{directory}/{label}.db"
    elif backend == "postgresql":
        url = _fresh_postgres(f"kakehashi_{label}_{WORKER}")
    else:
        raise ValueError(f"unknown backend {backend}")
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def engine_for(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Engine]]:
    """Lazily create (and migrate) one database per backend for the whole run."""
    engines: dict[str, Engine] = {}

    def get(backend: str) -> Engine:
        if backend not in engines:
            url = fresh_database(backend, str(tmp_path_factory.mktemp(backend)), "test")
            engines[backend] = make_engine(url)
        return engines[backend]

    yield get
    for backend_name, engine in engines.items():
        database = engine.url.database
        engine.dispose()
        if backend_name == "postgresql" and database:
            _drop_postgres(database)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db(engine_for: Callable[[str], Engine], backend: str) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test (commits become savepoints)."""
    connection = engine_for(backend).connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def db_factory(db: Session) -> sessionmaker[Session]:
    """A sessionmaker bound to the test's connection (for code that opens its own sessions)."""
    return sessionmaker(bind=db.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False)
