"""Opportunities and startup/investor stages feed the recommender's profiles, and sync notices changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.kernel.clock import utcnow
from kakehashi.matchmaking.models import InvestorProfile, Opportunity, StartupProfile
from kakehashi.matchmaking.recommend import Embedder
from kakehashi.matchmaking.recommend.models import RecoProfile, RecoText
from kakehashi.matchmaking.recommend.services import sync_profiles
from tests.factories.registry import make_org


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def opportunity(db: Session, org_id: int, kind: str, title: str, *, status: str = "published") -> Opportunity:
    now = utcnow()
    row = Opportunity(org_id=org_id, side="JP", kind=kind, title=title, summary="Details inside.", status=status,
                      created_at=now, updated_at=now, published_at=now, expires_at=now + dt.timedelta(days=30))
    db.add(row)
    db.flush()
    return row


def lines(db: Session, org_id: int) -> list[tuple[str, str]]:
    rows = db.scalars(select(RecoText).where(RecoText.org_id == org_id).order_by(RecoText.position))
    return [(row.side, row.text) for row in rows]


def test_live_opportunities_become_offer_and_seek_lines(db: Session, embedder: Embedder) -> None:
    org = make_org(db, country="JP", offers="We make robots.", seeks="")
    opportunity(db, org.id, "technology_offer", "Gripper licence")
    opportunity(db, org.id, "rnd_partner_search", "Partner for soft robotics research")
    opportunity(db, org.id, "business_request", "Distributor wanted", status="draft")
    sync_profiles(db, embedder=embedder)
    assert lines(db, org.id) == [("offer", "We make robots."), ("offer", "Gripper licence. Details inside."),
                                 ("seek", "Partner for soft robotics research. Details inside.")]


def test_sync_re_embeds_when_an_opportunity_is_withdrawn(db: Session, embedder: Embedder) -> None:
    org = make_org(db, country="JP", offers="We make robots.", seeks="")
    offer = opportunity(db, org.id, "technology_offer", "Gripper licence")
    sync_profiles(db, embedder=embedder)
    assert sync_profiles(db, embedder=embedder) == 0
    offer.status = "withdrawn"
    db.flush()
    assert sync_profiles(db, embedder=embedder) == 1
    assert lines(db, org.id) == [("offer", "We make robots.")]


def test_startup_and_investor_profiles_set_the_stages(db: Session, embedder: Embedder) -> None:
    startup = make_org(db, country="IN", kind="startup", offers="We build drones.", seeks="We need seed money.")
    fund = make_org(db, country="JP", kind="investor", offers="We fund drone startups.", seeks="")
    now = utcnow()
    db.add(StartupProfile(org_id=startup.id, stage="seed", funding_to_date=Decimal(0), currency="USD",
                          updated_at=now))
    db.add(InvestorProfile(org_id=fund.id, ticket_min=Decimal(1), ticket_max=Decimal(2), currency="USD",
                           stages=["seed", "series_a"], sectors=[], countries=["IN"], updated_at=now))
    db.flush()
    sync_profiles(db, embedder=embedder)
    assert db.get(RecoProfile, startup.id).stage == "seed"  # type: ignore[union-attr]
    assert db.get(RecoProfile, fund.id).investment_stages == ["seed", "series_a"]  # type: ignore[union-attr]
