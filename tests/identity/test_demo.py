"""The identity demo: one login per role, staff profiles, and nothing duplicated on a second run."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kakehashi.identity import demo
from kakehashi.identity.models import User
from kakehashi.kernel.demo import DemoOptions
from tests.factories.registry import make_org


def test_loading_twice_creates_each_login_and_person_once(db: Session) -> None:
    for name in ("Sakura Devices KK", "Indus Software Labs Pvt Ltd", "Indian Institute of Science", "JPCERT/CC",
                 "CERT-In"):
        make_org(db, country="JP" if name in ("Sakura Devices KK", "JPCERT/CC") else "IN", name_en=name)
    make_org(db, country="IN", kind="startup")
    options = DemoOptions(orgs=10, people=12, seed=1)
    demo.load(db, options)
    demo.load(db, options)
    db.flush()
    emails = list(db.scalars(select(User.email)))
    assert len(emails) == len(set(emails)) == len(demo.DEMO_LOGINS) + 12
    people = db.scalars(select(User).where(User.email.like("%@people.demo.example"))).all()
    assert all(p.password_hash is None and p.org_id for p in people)
    assert {p.languages[0] for p in people} == {"ja", "en"}
    roles = set(db.scalars(select(User.role)))
    assert {"platform_admin", "nodal_officer", "ministry_liaison", "org_admin", "org_member", "programme_manager",
            "reviewer", "cert_analyst"} <= roles
    assert db.scalar(select(func.count()).select_from(User).where(User.password_hash.is_(None))) == 12
