"""The governance demo: a year of plausible activity across all eight areas, loaded once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kakehashi.contexts import optional_module
from kakehashi.governance import demo, ledger
from kakehashi.governance.consultations import minutes
from kakehashi.governance.consultations import queries as consultations
from kakehashi.governance.funding import queries as funding
from kakehashi.governance.register import queries as register
from kakehashi.governance.register.models import Activity
from kakehashi.governance.training.models import Certificate, Registration
from kakehashi.kernel.areas import AREA_CODES
from kakehashi.kernel.demo import DemoOptions

OPTIONS = DemoOptions(orgs=20, people=0, seed=7)


def _load_demo(db: Session) -> None:
    for context in ("registry", "identity", "agreement", "governance"):
        module = optional_module(context, "demo")
        assert module is not None
        module.load(db, OPTIONS)


def test_the_demo_holds_a_year_of_activity_across_the_eight_areas(db: Session) -> None:
    _load_demo(db)
    commitments = ledger.commitments(db)
    figures = register.progress(db, commitments)
    assert set(figures.areas) == AREA_CODES
    assert all(figures.areas[area] > 0 for area in AREA_CODES)
    activities = register.activities(db)
    assert {c.area for c in commitments if any(a.commitment_id == c.id for a in activities)} == AREA_CODES
    history = register.history(db)
    assert history[0][0] == dt.date(2025, 9, 30) and len(history) >= 14
    assert history[-1][1] == figures.agreement  # the last snapshot is today's figure
    assert [value for _day, value in history] == sorted(value for _day, value in history)

    # consultations: four with minutes approved by both sides, the latest awaiting METI's signature
    held = [m for m in consultations.meetings(db, size=50).items if m.status == "held"]
    states = [minutes.state(db, m) for m in held]
    assert [s.status for s in states].count("approved") == 4
    assert [s.signed_by for s in states if s.status == "signing"] == [frozenset({"MEITY"})]
    assert consultations.overdue(db, dt.date(2026, 11, 24))  # some actions are late, as in real life
    year = (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    assert consultations.decisions_between(db, *year)

    # funding: each side's costs, one shared cost still awaiting MeitY's concurrence
    japan, india = funding.totals(db, "JP"), funding.totals(db, "IN")
    assert japan.get("actual", "JPY") > 0 and india.get("actual", "INR") > 0
    assert japan.pending
    assert funding.latest_rate(db) is not None

    # training: certificates for past courses, a waiting list on a full one
    assert (db.scalar(select(func.count()).select_from(Certificate)) or 0) > 0
    assert db.scalar(select(func.count()).select_from(Registration).where(Registration.status == "waitlisted"))

    # and loading again adds nothing
    before = db.scalar(select(func.count()).select_from(Activity))
    demo.load(db, OPTIONS)
    assert db.scalar(select(func.count()).select_from(Activity)) == before
