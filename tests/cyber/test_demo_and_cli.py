"""Demo data loads idempotently with every TLP level; the CLI checks bundles offline."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from kakehashi.cyber import demo
from kakehashi.cyber.cli import app
from kakehashi.cyber.models import Accreditation, Collection, StixObject
from kakehashi.cyber.tlp import Tlp
from kakehashi.kernel.authz import Role, Side
from kakehashi.kernel.demo import DemoOptions
from tests.factories.cyber import indicator
from tests.factories.identity import make_user
from tests.factories.registry import make_org


def _count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_the_demo_loads_every_level_once_even_when_run_twice(db: Session) -> None:
    jpcert, certin = make_org(db, name_en="JPCERT/CC"), make_org(db, country="IN", name_en="CERT-In")
    make_user(db, role=Role.CERT_ANALYST, side=Side.JP, org_id=jpcert.id, email=demo.JP_ANALYST)
    make_user(db, role=Role.CERT_ANALYST, side=Side.IN, org_id=certin.id, email=demo.IN_ANALYST)
    demo.load(db, DemoOptions())
    counts = (_count(db, Collection), _count(db, StixObject), _count(db, Accreditation))
    demo.load(db, DemoOptions())
    assert (_count(db, Collection), _count(db, StixObject), _count(db, Accreditation)) == counts
    assert counts[0] == 2 and counts[2] == len(demo.BODIES)
    levels = set(db.scalars(select(StixObject.tlp).distinct()))
    assert levels == {int(level) for level in Tlp}
    kinds = set(db.scalars(select(StixObject.type).distinct()))
    assert {"indicator", "malware", "campaign", "report", "relationship"} <= kinds


def test_the_demo_without_the_cert_organisations_still_fills_the_register(db: Session) -> None:
    demo.load(db, DemoOptions())
    assert _count(db, Collection) == 0 and _count(db, Accreditation) == len(demo.BODIES)


def test_the_cli_validates_a_bundle_offline(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps({"type": "bundle", "objects": [indicator(), indicator()]}))
    bad.write_text(json.dumps({"objects": [indicator(), {**indicator(), "pattern": "[nope"}]}))
    runner = CliRunner()
    ok = runner.invoke(app, ["validate", str(good)])
    refused = runner.invoke(app, ["validate", str(bad)])
    assert ok.exit_code == 0 and "2 valid, 0 invalid" in ok.output
    assert refused.exit_code == 1 and "1 valid, 1 invalid" in refused.output
