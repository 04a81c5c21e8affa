"""`kakehashi log verify` against an operator who edits the database behind the platform's back.

Real data through the services (an instrument concluded by two signatures, an exchange share with a denied
and a permitted decision, a pending consent, a TAXII write and read of a TLP:RED object, witness
cosignatures), on each backend, then one SQL tampering per test: verify (the function and the CLI) must fail
and name the entry and the fact. A rotated witness key keeps the history verifiable.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from kakehashi import agreement, cli_support
from kakehashi.agreement import demo as agreement_demo
from kakehashi.agreement import services as agreement_services
from kakehashi.agreement import witnessing
from kakehashi.agreement.checkpoint import parse_vkey, verify_checkpoint
from kakehashi.agreement.models import Checkpoint, Cosignature, LogEntry, NoteKey
from kakehashi.agreement.publication import parse_notes
from kakehashi.cli import app
from kakehashi.contexts import register_log_facts
from kakehashi.cyber import ledger, objects, queries, sharing
from kakehashi.cyber import services as cyber_services
from kakehashi.cyber.filters import ObjectFilter
from kakehashi.cyber.models import Collection
from kakehashi.cyber.tlp import Tlp
from kakehashi.db import make_engine, make_sessionmaker, unit_of_work
from kakehashi.exchange import consents, crypto
from kakehashi.exchange import services as exchange_services
from kakehashi.exchange.policy import AccessMode, Recipients
from kakehashi.exchange.policy import Tlp as ExchangeTlp
from kakehashi.exchange.screening import ScreeningLimits
from kakehashi.exchange.terms import Terms
from kakehashi.kernel.authz import SYSTEM, Ministry, Role, Side
from kakehashi.kernel.clock import utcnow
from tests.conftest import BACKENDS, PG_URL, WORKER, fresh_database
from tests.factories.cyber import indicator
from tests.factories.identity import make_user
from tests.factories.registry import make_org

runner = CliRunner()
_copies = itertools.count(1)


@dataclass(frozen=True)
class World:
    """A database built through the services, with the checkpoint file its commits published."""

    url: str
    checkpoints: Path
    instrument: int
    permitted: int
    denied: int
    consent: int
    red_id: str
    collection: str

    def sessions(self) -> sessionmaker[Session]:
        return make_sessionmaker(make_engine(self.url))


def _build(url: str, checkpoints: Path) -> World:
    sessions = make_sessionmaker(make_engine(url))
    agreement.publish_checkpoints_to(sessions, checkpoints)  # as the app and the CLI do
    now = utcnow()
    with unit_of_work(sessions) as s:
        meti = make_user(s, role=Role.NODAL_OFFICER, side=Side.JP, ministry=Ministry.METI, name="Kenji Sato",
                         email="kenji@meti.example.jp")
        meity = make_user(s, role=Role.NODAL_OFFICER, side=Side.IN, ministry=Ministry.MEITY, name="Priya Rao",
                          email="priya@meity.example.in")
        for code in ("METI", "MEITY"):
            witnessing.add_demo_witness(s, code, now=now - dt.timedelta(hours=2))
        agreement_demo.demo_key(s, "METI", meti.id, now=now)
        agreement_demo.demo_key(s, "MEITY", meity.id, now=now)
        moc = agreement_demo.create_agreement(s, agreement_demo.agreement_data("ijdp-2.0.json"), now=now)
        instrument = agreement_services.draft_instrument(s, moc.slug, "signature", {}, actor=meti.actor(), now=now)
        for officer in (meti, meity):
            agreement_services.sign_with_demo_key(s, instrument.id, actor=officer.actor(), now=now, enabled=True)
        witnessing.cosign_with_demo_witnesses(s, now=now - dt.timedelta(hours=1))
        keyring = crypto.keyring_from_settings(bytes(32))
        terms = Terms(frozenset({"semiconductor"}), Recipients(ministries=frozenset({"MEITY"})),
                      now - dt.timedelta(days=1), now + dt.timedelta(days=90), ExchangeTlp.GREEN, False,
                      AccessMode.DOWNLOAD)
        item = exchange_services.share_item(
            s, exchange_services.Upload("wafers.csv", "", io.BytesIO(b"region,wafers\nKumamoto,1200\n")), terms,
            title="Wafer output", description="", kind="dataset", actor=meti.actor(), keyring=keyring,
            limits=ScreeningLimits(), now=now)
        permitted = exchange_services.access_item(s, item.id, actor=meity.actor(), action="download",
                                                  purpose="semiconductor", keyring=keyring, now=now)
        denied = exchange_services.access_item(s, item.id, actor=meity.actor(), action="download", purpose="ai",
                                               keyring=keyring, now=now)
        consent = consents.request_consent(s, item.id, actor=meity.actor(), purpose="ai", onward_sharing=False,
                                           justification="model training", now=now)
        cert = make_org(s, country="JP")
        analyst = make_user(s, role=Role.CERT_ANALYST, side=Side.JP, org_id=cert.id)
        collection = cyber_services.create_collection(s, title="Shared CTI", owner_org_id=cert.id, actor=SYSTEM)
        ids = (instrument.id, permitted.access.id, denied.access.id, consent.id, collection.uid, analyst.id)
    assert permitted.decision.permit and not denied.decision.permit
    red, green = indicator(Tlp.RED), indicator(Tlp.GREEN)
    with unit_of_work(sessions) as s:
        analyst_actor = s.get_one(type(meti), ids[5]).actor()
        objects.add_objects(s, ids[4], [red, green], actor=analyst_actor)
    with unit_of_work(sessions) as s:  # the poster reads the RED object back: a logged sensitive read
        collection = s.scalars(select(Collection).where(Collection.uid == ids[4])).one()
        access = sharing.access_for(s, collection, analyst_actor)
        page = queries.page(s, access, ObjectFilter(), limit=10)
        assert objects.sensitive(page)
        objects.note_reads(s, ids[4], page, endpoint="objects", actor=analyst_actor)
    with unit_of_work(sessions) as s:
        assert ledger.drain(s) == 2
        witnessing.cosign_with_demo_witnesses(s, now=utcnow())
    sessions.kw["bind"].dispose()
    return World(url, checkpoints, ids[0], ids[1], ids[2], ids[3], red["id"], ids[4])


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], World]]:
    built: dict[str, World] = {}

    def get(backend: str) -> World:
        if backend not in built:
            folder = tmp_path_factory.mktemp(f"logtamper-{backend}")
            url = fresh_database(backend, str(folder), "logtamper")
            built[backend] = _build(url, folder / "checkpoints.jsonl")
        return built[backend]

    yield get
    for backend, world in built.items():
        if backend == "postgresql":
            _drop(world.url.rsplit("/", 1)[1])


def _drop(name: str) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, templates: Callable[[str], World], tmp_path: Path) -> Iterator[World]:
    """A private copy of the built database (and of its checkpoint file) for one test."""
    template = templates(str(request.param))
    checkpoints = tmp_path / "checkpoints.jsonl"
    shutil.copy(template.checkpoints, checkpoints)
    if request.param == "sqlite":
        path = tmp_path / "copy.db"
        shutil.copy(template.url.removeprefix("sqlite:///"), path)
        yield replace(template, url=f"sqlite:///{path}", checkpoints=checkpoints)
        return
    name = f"kakehashi_logtamper_{WORKER}_{next(_copies)}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template.url.rsplit("/", 1)[1]}"'))
    admin.dispose()
    yield replace(template, url=PG_URL.rsplit("/", 1)[0] + "/" + name, checkpoints=checkpoints)
    _drop(name)


def verify(world: World, *, with_file: bool = True) -> agreement.LogReport:
    register_log_facts()
    sessions = world.sessions()
    notes = parse_notes(world.checkpoints.read_text(encoding="utf-8")) if with_file else []
    with unit_of_work(sessions) as s:
        report = agreement.verify_log(s, published=notes)
    sessions.kw["bind"].dispose()
    return report


def cli_verify(world: World, *args: str, command: str = "verify", default_file: str = "off") -> Any:
    os.environ["KAKEHASHI_DATABASE_URL"] = world.url
    os.environ["KAKEHASHI_CHECKPOINT_FILE"] = default_file
    cli_support.settings.cache_clear()
    cli_support.sessions.cache_clear()
    try:
        return runner.invoke(app, ["log", command, *args])
    finally:
        cli_support.sessions().kw["bind"].dispose()
        del os.environ["KAKEHASHI_DATABASE_URL"], os.environ["KAKEHASHI_CHECKPOINT_FILE"]
        cli_support.settings.cache_clear()
        cli_support.sessions.cache_clear()


def tamper(world: World, *statements: str, **params: Any) -> None:
    engine = make_engine(world.url)
    with engine.begin() as connection:
        for statement in statements:
            assert connection.execute(text(statement), params).rowcount >= 1, statement
    engine.dispose()


def test_the_untouched_log_verifies_with_every_fact_and_the_published_checkpoints(world: World) -> None:
    report = verify(world)
    assert report.ok, report.problems
    assert {"exchange", "cyber"} <= set(report.sources)
    assert report.published >= 5 and report.checkpoints >= 5
    result = cli_verify(world, "--checkpoint", str(world.checkpoints))
    assert result.exit_code == 0, result.output
    assert "log verified: no discrepancy" in result.output and "exchange, cyber" in result.output


def _truncate(world: World) -> str:
    """Remove the last two entries, the nodes only they complete and the checkpoints that cover them."""
    sessions = world.sessions()
    with unit_of_work(sessions) as s:
        size = s.scalar(select(LogEntry.index).order_by(LogEntry.index.desc()).limit(1)) + 1
    sessions.kw["bind"].dispose()
    keep = size - 2
    tamper(world,
           "DELETE FROM agreement_cosignature WHERE checkpoint_id IN (SELECT id FROM agreement_checkpoint WHERE size > :keep)",
           "DELETE FROM agreement_checkpoint WHERE size > :keep",
           'DELETE FROM agreement_log_entry WHERE "index" >= :keep', keep=keep)
    engine = make_engine(world.url)
    with engine.begin() as connection:  # nodes that only the removed entries completed
        nodes = connection.execute(text('SELECT level, "index" FROM agreement_log_node')).all()
        for level, index in nodes:
            if (index + 1) << level > keep:
                connection.execute(text('DELETE FROM agreement_log_node WHERE level = :l AND "index" = :i'),
                                   {"l": level, "i": index})
    engine.dispose()
    return f"the log holds only {keep} entries"


TAMPERINGS: dict[str, tuple[Callable[[World], str], Callable[[World], list[str]]]] = {
    "truncated log": (_truncate, lambda w: ["published checkpoint", "truncated"]),
    "decision flipped from deny to permit": (
        lambda w: tamper(w, "UPDATE exchange_access SET permit = true WHERE id = :id", id=w.denied) or "",
        lambda w: [f"exchange access decision {w.denied} ", "decision is 'permit' in the database",
                   "the log says 'deny'"]),
    "pending consent rewritten as granted": (
        lambda w: tamper(w, "UPDATE exchange_consent SET status = 'granted' WHERE id = :id", id=w.consent) or "",
        lambda w: [f"exchange consent request {w.consent} ", "status is 'granted' in the database",
                   "the log says 'pending'"]),
    "TLP lowered from RED to CLEAR": (
        lambda w: tamper(w, "UPDATE cyber_stix_object SET tlp = 0 WHERE stix_id = :id", id=w.red_id) or "",
        lambda w: [f"STIX object {w.red_id}", "TLP marking is 'clear' in the database", "the log says 'red'"]),
    "concluded instrument marked withdrawn": (
        lambda w: tamper(w, "UPDATE agreement_instrument SET status = 'withdrawn' WHERE id = :id", id=w.instrument)
        or "",
        lambda w: [f"instrument {w.instrument} ", "'withdrawn' in the database", "records it concluded"]),
}


@pytest.mark.parametrize("kind", list(TAMPERINGS))
def test_log_verify_names_each_tampering(world: World, kind: str) -> None:
    edit, expected = TAMPERINGS[kind]
    extra = edit(world)
    report = verify(world)
    assert not report.ok
    text_ = "\n".join(report.problems)
    for words in [*expected(world), *([extra] if extra else [])]:
        assert words in text_, (words, report.problems)
    result = cli_verify(world, "--checkpoint", str(world.checkpoints))
    assert result.exit_code == 1, result.output
    assert "FAIL" in result.output and expected(world)[0] in result.output


def test_truncation_needs_the_checkpoints_kept_outside_the_database(world: World) -> None:
    _truncate(world)
    assert verify(world, with_file=False).ok  # what the adversary counts on: the database alone is consistent
    assert not verify(world).ok
    exported = cli_verify(world)
    assert exported.exit_code == 0  # no file given and the default one switched off: nothing to compare with


def test_an_exported_checkpoint_or_the_default_file_catches_truncation(world: World, tmp_path: Path) -> None:
    exported = tmp_path / "kept-elsewhere.txt"
    assert cli_verify(world, "--out", str(exported), command="export-checkpoint").exit_code == 0
    printed = cli_verify(world, command="export-checkpoint")
    assert printed.exit_code == 0 and "kakehashi.example/agreement-log" in printed.output
    as_text = tmp_path / "note.txt"  # the signed note as printed (what a witness would keep)
    as_text.write_text(printed.output, encoding="utf-8")
    _truncate(world)
    for kept in (exported, as_text):
        result = cli_verify(world, "--checkpoint", str(kept))
        assert result.exit_code == 1 and "truncated" in result.output, result.output
    by_default = cli_verify(world, default_file=str(world.checkpoints))  # no option: the configured file is read
    assert by_default.exit_code == 1 and "truncated" in by_default.output, by_default.output


def test_a_rotated_witness_key_keeps_the_history_verifiable_and_signs_what_follows(world: World) -> None:
    sessions = world.sessions()
    agreement.publish_checkpoints_to(sessions, world.checkpoints)
    with unit_of_work(sessions) as s:
        old = witnessing.witness_key(s, "METI")
        assert old is not None
        old_vkey = old.vkey
        new = witnessing.add_demo_witness(s, "METI", now=utcnow())
        new_vkey = new.vkey
    report = verify(world)
    assert report.ok, report.problems
    with unit_of_work(sessions) as s:
        agreement.append_to_log(s, "test.after_rotation", {"n": 1})
        made = witnessing.cosign_with_demo_witnesses(s, now=utcnow())
        assert {c.participant_code for c in made} == {"METI", "MEITY"}
    with unit_of_work(sessions) as s:
        latest = s.scalars(select(Checkpoint).order_by(Checkpoint.size.desc()).limit(1)).one()
        log_key = parse_vkey(s.scalars(select(NoteKey.vkey).where(NoteKey.role == "log")).one())
        verify_checkpoint(latest.note, log_key, [parse_vkey(new_vkey)])
        with pytest.raises(Exception, match="not signed"):
            verify_checkpoint(latest.note, log_key, [parse_vkey(old_vkey)])
        rows = {r.vkey: r for r in s.scalars(select(NoteKey).where(NoteKey.participant_code == "METI"))}
        assert rows[old_vkey].not_after is not None and rows[new_vkey].not_after is None
        assert s.scalar(select(Cosignature.id).where(Cosignature.checkpoint_id == latest.id,
                                                     Cosignature.participant_code == "METI")) is not None
    sessions.kw["bind"].dispose()
    report = verify(world)
    assert report.ok, report.problems
    result = cli_verify(world, "--checkpoint", str(world.checkpoints))
    assert result.exit_code == 0, result.output
