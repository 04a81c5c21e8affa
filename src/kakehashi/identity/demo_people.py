"""Demo people: profiles of staff at the demo organisations (no password: they cannot sign in)."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi import registry
from kakehashi.identity.models import User
from kakehashi.kernel.authz import Role
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.demo import DemoOptions

JP_FAMILY = [("Sato", "佐藤"), ("Suzuki", "鈴木"), ("Takahashi", "高橋"), ("Tanaka", "田中"), ("Ito", "伊藤"),
             ("Watanabe", "渡辺"), ("Yamamoto", "山本"), ("Nakamura", "中村"), ("Kobayashi", "小林"),
             ("Kato", "加藤"), ("Yoshida", "吉田"), ("Yamada", "山田"), ("Sasaki", "佐々木"), ("Matsumoto", "松本")]
JP_GIVEN = [("Haruto", "陽翔"), ("Yui", "結衣"), ("Sota", "蒼太"), ("Aoi", "葵"), ("Ren", "蓮"), ("Mei", "芽依"),
            ("Daiki", "大輝"), ("Sakura", "さくら"), ("Kenta", "健太"), ("Yuki", "由紀"), ("Takumi", "拓海")]
IN_NAMES = ["Aarav Sharma", "Diya Patel", "Vivaan Reddy", "Ananya Iyer", "Ishaan Gupta", "Kavya Nair",
            "Arjun Menon", "Saanvi Rao", "Rohan Das", "Meera Krishnan", "Aditya Kulkarni", "Priya Banerjee",
            "Karthik Subramanian", "Neha Joshi", "Vikram Singh", "Pooja Desai"]
TITLES = ["Chief Technology Officer", "Head of Business Development", "Senior Engineer", "Research Scientist",
          "Partnership Manager", "VLSI Design Lead", "Product Manager", "Director, International Affairs"]
EXPERTISE = ["power semiconductor packaging", "embedded firmware for IoT sensors", "LLM evaluation and red-teaming",
             "UPI and digital payments integration", "EUV lithography materials", "HPC cluster operations",
             "quantum error correction", "zero-trust network security", "display driver ICs",
             "agritech data platforms"]


def load(session: Session, options: DemoOptions) -> None:
    """Create `options.people` staff profiles spread over the demo organisations (idempotent)."""
    if options.people <= 0:
        return
    rng = random.Random(options.seed + 101)
    orgs = [*_orgs(session, "JP"), *_orgs(session, "IN")]
    if not orgs:
        return
    existing = set(session.scalars(select(User.email).where(User.email.like("%@people.demo.example"))))
    now = utcnow()
    for n in range(options.people):
        email = f"person{n + 1}@people.demo.example"
        if email in existing:
            continue
        org_id, country = orgs[n % len(orgs)]
        session.add(_person(rng, email, org_id, country, now))
        if n % 200 == 0:
            options.progress(n, options.people, "demo people")
            session.flush()
    options.progress(options.people, options.people, "demo people")


def _orgs(session: Session, country: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for kind in ("company", "startup", "university", "research_institute"):
        page = registry.search(session, country=country, kind=kind, size=100)
        found.extend((org.id, country) for org in page.items)
    return found


def _person(rng: random.Random, email: str, org_id: int, country: str, now: dt.datetime) -> User:
    if country == "JP":
        family, given = rng.choice(JP_FAMILY), rng.choice(JP_GIVEN)
        name, name_ja = f"{family[0]} {given[0]}", f"{family[1]} {given[1]}"
        languages, jlpt = ["ja", "en"], None
    else:
        name, name_ja = rng.choice(IN_NAMES), None
        languages = ["en", "hi"] + (["ja"] if rng.random() < 0.3 else [])
        jlpt = rng.choice(["N1", "N2", "N3", "N4", "N5"]) if "ja" in languages else None
    return User(
        email=email, name=name, name_ja=name_ja, password_hash=None, role=Role.ORG_MEMBER.value, org_id=org_id,
        title=rng.choice(TITLES), languages=languages, jlpt_level=jlpt, expertise=rng.choice(EXPERTISE),
        is_active=True, created_at=now,
    )
