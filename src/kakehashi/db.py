"""Database plumbing: engine, sessions, declarative Base and portable column types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Connection, DateTime, Engine, MetaData, create_engine, event, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every table; constraint names follow NAMING_CONVENTION."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on both SQLite (which drops the zone) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store aware UTC datetimes only")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


JSONType = JSON().with_variant(JSONB(), "postgresql")


WRITE = "kakehashi_write"  # Session.info key: this session writes (on SQLite: BEGIN IMMEDIATE)
_BEGIN = "kakehashi_begin"  # Connection.info key: the BEGIN still owed by a transaction SQLAlchemy began
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")
SQLITE_BUSY_MS = 30000


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Engine with the settings we rely on: SQLite foreign keys, WAL, a busy timeout and write transactions
    that take the write lock up front; PostgreSQL lock and statement timeouts."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_MS / 1000}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling breaks SAVEPOINT, and its BEGIN is DEFERRED: a transaction that
        # read first cannot take the write lock once another writer has committed ("database is locked", at
        # once, whatever the busy timeout). So SQLAlchemy's BEGIN is emitted here, just before the first
        # statement: IMMEDIATE (the write lock, waiting up to the busy timeout) when the session writes or the
        # first statement is a write, DEFERRED for readers (WAL: readers never wait).
        event.listen(engine, "begin", _sqlite_begin_owed)
        event.listen(engine, "before_cursor_execute", _sqlite_begin_now)
        event.listen(engine, "commit", _sqlite_begin_settled)
        event.listen(engine, "rollback", _sqlite_begin_settled)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"options": "-c lock_timeout=10000 -c statement_timeout=60000"},
        **kwargs,
    )


def _sqlite_begin_owed(connection: Connection) -> None:
    connection.info[_BEGIN] = "DEFERRED"


def _sqlite_begin_now(connection: Connection, cursor: Any, statement: str, *_args: Any) -> None:
    mode = connection.info.pop(_BEGIN, None)
    if mode is None:
        return
    if mode != "IMMEDIATE" and statement.lstrip().upper().startswith(_WRITES):
        mode = "IMMEDIATE"
    cursor.execute(f"BEGIN {mode}")


def _sqlite_begin_settled(connection: Connection) -> None:
    connection.info.pop(_BEGIN, None)


@event.listens_for(Session, "after_begin")
def _write_session_begins_immediate(session: Session, _transaction: Any, connection: Connection) -> None:
    """A session marked as writing (`mark_writing`) takes SQLite's write lock with its first statement."""
    if session.info.get(WRITE) and connection.info.get(_BEGIN) == "DEFERRED":
        connection.info[_BEGIN] = "IMMEDIATE"


def mark_writing(session: Session) -> Session:
    """Declare that `session` will write: on SQLite each of its transactions begins IMMEDIATE, so it waits for
    the write lock up front instead of failing when it upgrades from reading (PostgreSQL: no effect)."""
    session.info[WRITE] = True
    return session


def lock_keys(session: Session, *keys: str) -> None:
    """Serialise transactions that act on the same named things (e.g. an identifier no row holds yet): on
    PostgreSQL a transaction-scoped advisory lock per key, taken in a fixed order; on SQLite nothing more is
    needed, since a writing transaction already holds the database's write lock."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (pages render after the write)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One durable transaction for one use case (CLI commands and jobs use this)."""
    with factory() as session:
        mark_writing(session)
        with session.begin():
            yield session
