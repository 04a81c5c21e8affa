"""The process-wide index follows the database: new, changed and deleted profiles, exposure counts."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from kakehashi.kernel.authz import SYSTEM
from kakehashi.matchmaking.recommend import Embedder
from kakehashi.matchmaking.recommend.live import EXPOSURE_RELOAD_SECONDS, FULL_RELOAD_SECONDS, LiveIndex
from kakehashi.matchmaking.recommend.models import RecoProfile
from kakehashi.matchmaking.recommend.services import refresh_profile, sync_profiles
from tests.factories.registry import make_org


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_it_picks_up_new_changed_and_deleted_profiles(db: Session, embedder: Embedder) -> None:
    clock = Clock()
    live = LiveIndex(clock)
    jp = make_org(db, country="JP", offers="We make robots.", seeks="We need AI software.")
    first = make_org(db, country="IN", offers="We build AI software.", seeks="We need robots.")
    for org in (jp, first):
        refresh_profile(db, org.id, actor=SYSTEM, embedder=embedder)
    live.sync(db)
    assert [r.org_id for r in live.index.recommend(jp.id)] == [first.id]
    clock.now += 1
    second = make_org(db, country="IN", offers="We export tea.", seeks="We need tea buyers.")
    refresh_profile(db, second.id, actor=SYSTEM, embedder=embedder)
    first.country = "JP"
    refresh_profile(db, first.id, actor=SYSTEM, embedder=embedder)
    live.sync(db)
    assert [r.org_id for r in live.index.recommend(jp.id)] == [second.id]
    clock.now += 1
    db.delete(second)
    db.flush()
    sync_profiles(db, embedder=embedder)
    live.sync(db)
    assert second.id not in live.index and live.index.recommend(jp.id) == []


def test_exposure_counts_reload_on_their_own_schedule(db: Session, embedder: Embedder) -> None:
    clock = Clock()
    live = LiveIndex(clock)
    org = make_org(db, country="IN", offers="We build AI software.", seeks="We need robots.")
    refresh_profile(db, org.id, actor=SYSTEM, embedder=embedder)
    live.sync(db)
    db.execute(update(RecoProfile).where(RecoProfile.org_id == org.id).values(exposure=7))
    clock.now += EXPOSURE_RELOAD_SECONDS / 2
    live.sync(db)
    assert live.index.exposure_of(org.id) == 0
    clock.now += EXPOSURE_RELOAD_SECONDS
    live.sync(db)
    assert live.index.exposure_of(org.id) == 7
    before = live.index
    clock.now += FULL_RELOAD_SECONDS + 1
    live.sync(db)
    assert live.index is not before and org.id in live.index


def test_a_rolled_back_profile_leaves_the_index_on_the_next_query(db: Session, embedder: Embedder) -> None:
    live = LiveIndex(Clock())
    kept = make_org(db, country="IN", offers="We build AI software.", seeks="We need robots.")
    refresh_profile(db, kept.id, actor=SYSTEM, embedder=embedder)
    live.sync(db)
    savepoint = db.begin_nested()
    ghost = make_org(db, country="IN", offers="We export tea.", seeks="We need buyers.")
    refresh_profile(db, ghost.id, actor=SYSTEM, embedder=embedder)
    live.sync(db)
    assert ghost.id in live.index
    savepoint.rollback()
    live.sync(db)
    assert ghost.id not in live.index and kept.id in live.index
