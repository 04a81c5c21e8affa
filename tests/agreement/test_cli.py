"""The CLI: keys and signatures made offline, originals verified offline, `log verify` on a database file."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws as jwcrypto_jws
from sqlalchemy import text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from kakehashi import cli_support
from kakehashi.agreement import demo, exports, services, views
from kakehashi.cli import app
from kakehashi.db import make_engine, make_sessionmaker, unit_of_work
from kakehashi.kernel.demo import DemoOptions
from tests.agreement.conftest import Ledger
from tests.conftest import fresh_database

runner = CliRunner()
NOW = dt.datetime(2026, 2, 10, 3, tzinfo=dt.UTC)


def test_keys_generate_writes_a_private_file_and_prints_the_public_jwk(tmp_path: Path) -> None:
    result = runner.invoke(app, ["keys", "generate", "--out", str(tmp_path / "me.pem")])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["jwk"]["crv"] == "Ed25519" and "d" not in printed["jwk"]
    assert stat.S_IMODE(os.stat(tmp_path / "me.pem").st_mode) == 0o600
    again = runner.invoke(app, ["keys", "generate", "--out", str(tmp_path / "me.pem")])
    assert again.exit_code == 2


def _cli_key(tmp_path: Path, name: str) -> tuple[Path, dict[str, str]]:
    path = tmp_path / f"{name}.pem"
    result = runner.invoke(app, ["keys", "generate", "--out", str(path)])
    return path, json.loads(result.output)["jwk"]


def test_an_instrument_signed_with_the_cli_verifies_offline_and_with_jwcrypto(
    db: Session,
    signed: Ledger,
    tmp_path: Path,
) -> None:
    keyfiles = {}
    for name, signer in (("meti", signed.meti), ("meity", signed.meity)):
        path, jwk = _cli_key(tmp_path, name)
        services.register_key(db, actor=signer.user.actor(), jwk=jwk, label="offline key", now=NOW)
        keyfiles[name] = (path, signer)
    instrument = services.draft_instrument(
        db,
        "ijdp-2.0",
        "cost_sharing_concurrence",
        {
            "activity": "JWG-4 venue",
            "description": "Shared venue costs",
            "shares": [
                {"participant": "METI", "currency": "JPY", "amount": "1500000"},
                {"participant": "MEITY", "currency": "INR", "amount": "800000"},
            ],
        },
        actor=signed.meti.user.actor(),
        now=NOW,
    )
    view_file = tmp_path / "instrument.json"
    view_file.write_text(json.dumps(views.instrument_view(db, instrument)), encoding="utf-8")
    for path, signer in keyfiles.values():
        result = runner.invoke(app, ["instruments", "sign", str(view_file), "--key", str(path)])
        assert result.exit_code == 0, result.output
        services.submit_signature(db, instrument.id, json.loads(result.output), actor=signer.user.actor(), now=NOW)
    assert instrument.status == "concluded"
    original = tmp_path / "original.json"
    document = exports.build_original(db, instrument.id)
    original.write_text(json.dumps(document), encoding="utf-8")
    result = runner.invoke(app, ["instruments", "verify", str(original)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("VALID")
    independent = jwcrypto_jws.JWS()
    independent.deserialize(json.dumps(document["instrument"]["jws"]))
    assert len(document["keys"]) == 2
    for key in document["keys"]:  # jwcrypto accepts when one signature matches the key: each key must match
        independent.verify(jwcrypto_jwk.JWK(**json.loads(key["entry"])["payload"]["jwk"]), alg="Ed25519")


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda d: d["instrument"]["jws"].update(payload=d["instrument"]["jws"]["payload"][:-2] + "fQ"), "FAIL"),
        (lambda d: d["instrument"]["jws"]["signatures"].pop(), "no valid signature by"),
        (lambda d: d["log"].update(checkpoint=d["log"]["checkpoint"].replace("\n", "\n\n", 1)), "checkpoint"),
        (lambda d: d["instrument"].update(inclusion_proof=d["instrument"]["inclusion_proof"][1:]), "not in the checkpoint"),
        (lambda d: d["keys"].pop(), "no registered key"),
        (lambda d: d.update(format="other"), "not a kakehashi-original/1 document"),
    ],
)
def test_instruments_verify_says_precisely_what_fails(db: Session, signed: Ledger, tmp_path: Path, tamper, reason: str) -> None:
    from kakehashi.agreement import queries

    instrument = queries.instruments_of(db, signed.agreement.id)[0]
    document = exports.build_original(db, instrument.id)
    tamper(document)
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = runner.invoke(app, ["instruments", "verify", str(path)])
    assert result.exit_code == 1
    assert reason in result.output and "INVALID" in result.output


def test_instruments_verify_can_pin_the_log_key(db: Session, signed: Ledger, tmp_path: Path) -> None:
    from kakehashi.agreement import queries, transparency

    document = exports.build_original(db, queries.instruments_of(db, signed.agreement.id)[0].id)
    path = tmp_path / "original.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    pinned = runner.invoke(app, ["instruments", "verify", str(path), "--log-key", transparency.log_verifier_key(db).vkey()])
    assert pinned.exit_code == 0 and "taken from the file" not in pinned.output
    other = "kakehashi.example/agreement-log+00000000+AQ" + "A" * 42 + "="
    assert runner.invoke(app, ["instruments", "verify", str(path), "--log-key", other]).exit_code == 1


def test_instruments_sign_refuses_a_non_canonical_payload(tmp_path: Path) -> None:
    key, _ = _cli_key(tmp_path, "k")
    payload = tmp_path / "payload.json"
    payload.write_text('{"type": "renewal", "agreement": "ijdp-2.0"}', encoding="utf-8")
    result = runner.invoke(app, ["instruments", "sign", str(payload), "--key", str(key)])
    assert result.exit_code == 2 and "refusing to sign" in result.output


@pytest.fixture
def database_file(tmp_path: Path) -> Iterator[str]:
    url = fresh_database("sqlite", str(tmp_path), "cli")
    sessions = make_sessionmaker(make_engine(url))
    with unit_of_work(sessions) as session:
        demo.load(session, DemoOptions())
    sessions.kw["bind"].dispose()
    os.environ["KAKEHASHI_DATABASE_URL"] = url
    cli_support.settings.cache_clear()
    cli_support.sessions.cache_clear()
    yield url
    cli_support.sessions().kw["bind"].dispose()  # close the CLI's pooled connections before forgetting them
    del os.environ["KAKEHASHI_DATABASE_URL"]
    cli_support.settings.cache_clear()
    cli_support.sessions.cache_clear()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE agreement_log_entry SET data = replace(data, 'ijdp', 'ijdq') WHERE \"index\" = 3",
        'UPDATE agreement_log_node SET hash = zeroblob(32) WHERE level = 1 AND "index" = 0',
        "UPDATE agreement_signature SET received_at = '2025-08-24 01:00:00' WHERE id = 1",
        "UPDATE agreement_signature SET signature = 'A' || substr(signature, 2) WHERE id = 1",
        "UPDATE agreement_instrument SET payload = replace(payload, 'India', 'lndia')",
        'DELETE FROM agreement_log_entry WHERE "index" = 2',
        "UPDATE agreement_checkpoint SET note = replace(note, char(10) || '4' || char(10), char(10) || '5' || char(10))",
    ],
)
def test_log_verify_detects_each_edited_row_of_a_database_file(database_file: str, statement: str) -> None:
    assert runner.invoke(app, ["log", "verify"]).exit_code == 0
    engine = make_engine(database_file)
    with engine.begin() as connection:
        changed = connection.execute(text(statement)).rowcount
    engine.dispose()
    assert changed >= 1
    result = runner.invoke(app, ["log", "verify"])
    assert result.exit_code == 1, result.output
    assert "FAIL" in result.output
