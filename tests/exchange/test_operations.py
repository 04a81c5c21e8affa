"""Operations: master-key rotation and content verification from the CLI, the retention job, the demo."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from kakehashi import cli_support
from kakehashi.cli import app
from kakehashi.contexts import optional_module
from kakehashi.db import make_engine, make_sessionmaker, unit_of_work
from kakehashi.exchange import crypto, jobs, services
from kakehashi.exchange.models import Access, Consent, ContentChunk, Item
from kakehashi.exchange.policy import AccessMode, Recipients, Tlp
from kakehashi.exchange.screening import ScreeningLimits
from kakehashi.exchange.terms import Terms
from kakehashi.kernel.authz import Ministry, Role, Side
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.demo import DemoOptions
from tests.conftest import fresh_database
from tests.factories.identity import make_user

from .conftest import REPORT

runner = CliRunner()
OLD, NEW = "11" * 32, "22" * 32


@pytest.fixture
def database(tmp_path, monkeypatch) -> Iterator[object]:
    """A SQLite file with three items shared under OLD; the CLI pointed at it."""
    url = fresh_database("sqlite", str(tmp_path), "ops")
    sessions = make_sessionmaker(make_engine(url))
    with unit_of_work(sessions) as session:
        officer = make_user(session, role=Role.NODAL_OFFICER, side=Side.JP, ministry=Ministry.METI)
        now = utcnow()
        terms = Terms(frozenset({"ai"}), Recipients(ministries=frozenset({"MEITY"})), now, now + timedelta(days=9),
                      Tlp.GREEN, False, AccessMode.DOWNLOAD)
        for n in range(3):
            services.share_item(session, services.Upload(f"r{n}.csv", "", io.BytesIO(REPORT)), terms, title=f"R{n}",
                                description="", kind="document", actor=officer.actor(),
                                keyring=crypto.parse_keyring(OLD), limits=ScreeningLimits(), now=now)
    monkeypatch.setenv("KAKEHASHI_DATABASE_URL", url)
    for cache in (cli_support.settings, cli_support.sessions):
        cache.cache_clear()
    yield sessions
    for cache in (cli_support.settings, cli_support.sessions):
        cache.cache_clear()


def _run(monkeypatch, master_key, *args):
    monkeypatch.setenv("KAKEHASHI_MASTER_KEY", master_key)
    cli_support.settings.cache_clear()
    return runner.invoke(app, ["exchange", *args])


def test_rotation_from_the_cli_rewraps_every_key_and_content_still_verifies(database, monkeypatch):
    assert _run(monkeypatch, NEW, "verify-content").exit_code == 1  # OLD is gone: nothing can be opened
    rotated = _run(monkeypatch, f"{NEW},{OLD}", "rotate-master-key")
    assert rotated.exit_code == 0, rotated.output
    assert "re-wrapped 3 item keys" in rotated.output
    verified = _run(monkeypatch, NEW, "verify-content")
    assert verified.exit_code == 0 and "0 item(s) failed" in verified.output
    assert "re-wrapped 0" in _run(monkeypatch, NEW, "rotate-master-key").output


def test_rotation_without_the_old_key_changes_nothing(database, monkeypatch):
    result = _run(monkeypatch, NEW, "rotate-master-key")
    assert result.exit_code == 2 and "not configured" in result.output
    with unit_of_work(database) as session:
        assert set(session.scalars(select(Item.master_key_id))) == {crypto.parse_keyring(OLD).current.key_id}


def test_verify_content_reports_a_tampered_item(database, monkeypatch):
    with unit_of_work(database) as session:
        first = session.scalar(select(Item.id).order_by(Item.id))
        data = bytearray(session.scalar(select(ContentChunk.data).where(ContentChunk.item_id == first)))
        data[-1] ^= 1
        session.execute(update(ContentChunk).where(ContentChunk.item_id == first).values(data=bytes(data)))
    result = _run(monkeypatch, OLD, "verify-content")
    assert result.exit_code == 1 and f"item {first}:" in result.output and "1 item(s) failed" in result.output


def test_the_retention_job_purges_due_items_only(db, cast, share):
    due = share(cast.meti_officer, retain_until=utcnow() + timedelta(hours=1))
    kept = share(cast.meti_officer)
    assert jobs.JOBS["purge_expired"](db, utcnow() + timedelta(hours=2)) == 1
    assert (db.get(Item, due.id).status, db.get(Item, kept.id).status) == ("purged", "active")


def test_the_demo_shares_items_with_decisions_and_a_pending_consent(db, monkeypatch):
    monkeypatch.setenv("KAKEHASHI_MASTER_KEY", "00" * 32)
    cli_support.settings.cache_clear()
    options = DemoOptions(orgs=12, people=0, seed=3)
    for context in ("registry", "identity", "agreement", "exchange"):
        module = optional_module(context, "demo")
        if module is not None:
            module.load(db, options)
    optional_module("exchange", "demo").load(db, options)  # idempotent
    cli_support.settings.cache_clear()
    assert db.scalar(select(Item.id).where(Item.title.like("Semiconductor output%"))) is not None
    assert len(db.scalars(select(Item.id)).all()) == 3
    assert sorted(db.scalars(select(Access.permit)).all()) == [False, True]
    assert db.scalars(select(Consent.status)).all() == ["pending"]
