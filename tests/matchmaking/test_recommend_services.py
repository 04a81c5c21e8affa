"""Recommender use cases against the real database: embedding on save, recommending, feedback, sync."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kakehashi.identity.models import User
from kakehashi.kernel.authz import SYSTEM, Actor, Ministry, Role, Side
from kakehashi.kernel.errors import Forbidden, NotFound
from kakehashi.matchmaking.recommend import Embedder, ReasonCode, Verdict
from kakehashi.matchmaking.recommend.errors import SelfFeedback
from kakehashi.matchmaking.recommend.models import RecoEmbedding, RecoProfile, RecoText
from kakehashi.matchmaking.recommend.services import (
    give_feedback,
    profile_lines,
    recommend_partners,
    refresh_profile,
    set_stage,
    sync_profiles,
    withdraw_feedback,
)
from kakehashi.registry.models import Organisation
from tests.factories.identity import make_user
from tests.factories.registry import make_org

ROBOTS_JA = "自動車工場向けの産業用ロボットを製造しています。"
SENSORS_JA = "高精度センサーも提供しています。"
AI_SEEK_EN = "We are looking for AI software that predicts machine failures."
AI_OFFER_HI = "हम मशीनों की खराबी का पूर्वानुमान लगाने वाला एआई सॉफ्टवेयर बनाते हैं।"
ROBOTS_SEEK_HI = "हमें कार कारखानों के लिए औद्योगिक रोबोट चाहिए।"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def actor_of(user: User) -> Actor:
    return Actor(user_id=user.id, role=Role(user.role), side=Side(user.side) if user.side else None,
                 org_id=user.org_id, name=user.name)


def pair(db: Session) -> tuple[Organisation, Organisation, Organisation]:
    jp = make_org(db, country="JP", offers=f"- {ROBOTS_JA}\n- {SENSORS_JA}", seeks=AI_SEEK_EN,
                  sectors=("ai.applications", "corp.electronics"))
    partner = make_org(db, country="IN", offers=AI_OFFER_HI, seeks=ROBOTS_SEEK_HI, sectors=("ai.applications",))
    other = make_org(db, country="IN", offers="We export cotton textiles.", seeks="We need dyeing machines.",
                     sectors=("corp.it_services",))
    return jp, partner, other


def test_profile_fields_split_into_lines_without_bullets() -> None:
    assert profile_lines("- Robots\n\n • Sensors \n3) Motors") == ["Robots", "Sensors", "Motors"]
    assert profile_lines("") == []
    assert len(profile_lines("\n".join(f"line {i}" for i in range(20)))) == 8


def test_refreshing_a_profile_stores_one_vector_per_line(db: Session, embedder: Embedder) -> None:
    jp, _, _ = pair(db)
    profile = refresh_profile(db, jp.id, actor=SYSTEM, embedder=embedder)
    texts = db.scalars(select(RecoText).where(RecoText.org_id == jp.id).order_by(RecoText.position)).all()
    assert [(t.side, t.text) for t in texts] == [("offer", ROBOTS_JA), ("offer", SENSORS_JA), ("seek", AI_SEEK_EN)]
    assert all(len(t.vector) == 384 * 4 for t in texts)
    assert (profile.country, profile.kind, profile.sectors) == ("JP", "company", ["ai.applications", "corp.electronics"])
    assert profile.source_version == jp.version


def test_texts_seen_before_are_not_embedded_again(db: Session, embedder: Embedder) -> None:
    jp, _, _ = pair(db)
    refresh_profile(db, jp.id, actor=SYSTEM, embedder=embedder)
    cached = db.scalar(select(func.count()).select_from(RecoEmbedding))
    fresh = Embedder(embedder.encoder)
    twin = make_org(db, country="JP", offers=ROBOTS_JA, seeks=AI_SEEK_EN)
    refresh_profile(db, twin.id, actor=SYSTEM, embedder=fresh)
    assert fresh.embedded_count == 0
    assert db.scalar(select(func.count()).select_from(RecoEmbedding)) == cached


def test_partners_written_in_other_languages_are_recommended_with_reasons(db: Session, embedder: Embedder) -> None:
    jp, partner, other = pair(db)
    member = make_user(db, role=Role.ORG_MEMBER, org_id=jp.id)
    for org in (partner, other):
        refresh_profile(db, org.id, actor=SYSTEM, embedder=embedder)
    suggestions = recommend_partners(db, jp.id, actor=actor_of(member), embedder=embedder)
    assert [s.organisation.id for s in suggestions] == [partner.id, other.id]
    reasons = {r.code: r.values for r in suggestions[0].recommendation.reasons}
    assert reasons[ReasonCode.SEEK_OFFER] == (AI_SEEK_EN, AI_OFFER_HI)
    assert reasons[ReasonCode.SHARED_SECTORS] == ("ai.applications",)
    assert db.get(RecoProfile, partner.id).exposure == 1  # type: ignore[union-attr]


def test_a_profile_saved_again_is_re_embedded_before_recommending(db: Session, embedder: Embedder) -> None:
    jp, partner, other = pair(db)
    extras = [make_org(db, country="IN", offers=offer, seeks=seek) for offer, seek in
              [("We run tea plantations.", "We need tea buyers."), ("We build payment apps.", "We need investors."),
               ("We make bicycles.", "We need steel tubes.")]]
    for org in (jp, partner, other, *extras):
        refresh_profile(db, org.id, actor=SYSTEM, embedder=embedder)
    admin = actor_of(make_user(db, role=Role.PLATFORM_ADMIN))
    assert recommend_partners(db, jp.id, actor=admin, embedder=embedder)[0].organisation.id == partner.id
    jp.seeks = "We want to buy cotton fabric for uniforms."
    db.flush()
    top = recommend_partners(db, jp.id, actor=admin, count_impressions=False, embedder=embedder)[0]
    assert top.organisation.id == other.id
    assert (ReasonCode.SEEK_OFFER, (jp.seeks, "We export cotton textiles.")) in [
        (r.code, r.values) for r in top.recommendation.reasons]


def test_only_members_officers_and_admins_see_an_organisations_recommendations(db: Session, embedder: Embedder) -> None:
    jp, partner, _ = pair(db)
    refresh_profile(db, partner.id, actor=SYSTEM, embedder=embedder)
    outsider = make_user(db, role=Role.ORG_MEMBER, org_id=partner.id)
    with pytest.raises(Forbidden):
        recommend_partners(db, jp.id, actor=actor_of(outsider), embedder=embedder)
    officer = make_user(db, role=Role.NODAL_OFFICER, side=Side.IN, ministry=Ministry.MEITY, email="officer-reco@example.in")
    assert recommend_partners(db, jp.id, actor=actor_of(officer), count_impressions=False, embedder=embedder)
    with pytest.raises(Forbidden):
        give_feedback(db, jp.id, partner.id, Verdict.NOT_INTERESTED, actor=actor_of(officer))


def test_not_interested_hides_a_partner_until_withdrawn(db: Session, embedder: Embedder) -> None:
    jp, partner, other = pair(db)
    for org in (jp, partner, other):
        refresh_profile(db, org.id, actor=SYSTEM, embedder=embedder)
    me = actor_of(make_user(db, role=Role.ORG_ADMIN, org_id=jp.id))
    give_feedback(db, jp.id, partner.id, Verdict.NOT_INTERESTED, actor=me)
    assert [s.organisation.id for s in recommend_partners(db, jp.id, actor=me, embedder=embedder)] == [other.id]
    give_feedback(db, jp.id, partner.id, Verdict.REQUEST_MEETING, actor=me)
    assert partner.id in [s.organisation.id for s in recommend_partners(db, jp.id, actor=me, embedder=embedder)]
    give_feedback(db, jp.id, partner.id, Verdict.NOT_INTERESTED, actor=me)
    withdraw_feedback(db, jp.id, partner.id, actor=me)
    assert partner.id in [s.organisation.id for s in recommend_partners(db, jp.id, actor=me, embedder=embedder)]


def test_feedback_on_oneself_or_an_unknown_partner_is_refused(db: Session, embedder: Embedder) -> None:
    jp, _, _ = pair(db)
    me = actor_of(make_user(db, role=Role.ORG_MEMBER, org_id=jp.id))
    with pytest.raises(SelfFeedback):
        give_feedback(db, jp.id, jp.id, Verdict.REQUEST_MEETING, actor=me)
    with pytest.raises(NotFound):
        give_feedback(db, jp.id, 10_000_000, Verdict.REQUEST_MEETING, actor=me)


def test_sync_embeds_new_and_changed_profiles_and_drops_deleted_ones(db: Session, embedder: Embedder) -> None:
    jp, partner, other = pair(db)
    assert sync_profiles(db, embedder=embedder) >= 3
    assert sync_profiles(db, embedder=embedder) == 0
    other.offers = "We export silk."
    db.delete(partner)
    db.flush()
    assert sync_profiles(db, embedder=embedder) == 2
    assert db.get(RecoProfile, partner.id) is None
    assert db.scalar(select(RecoText.text).where(RecoText.org_id == other.id, RecoText.side == "offer")) == "We export silk."


def test_a_startup_stage_survives_a_refresh_and_gates_investors(db: Session, embedder: Embedder) -> None:
    startup = make_org(db, country="IN", kind="startup", offers=AI_OFFER_HI, seeks="We seek seed investors.")
    fund = make_org(db, country="JP", kind="investor", offers="We invest in Indian AI startups.", seeks="")
    for org in (startup, fund):
        refresh_profile(db, org.id, actor=SYSTEM, embedder=embedder)
    set_stage(db, startup.id, actor=SYSTEM, stage="seed")
    set_stage(db, fund.id, actor=SYSTEM, investment_stages=["growth"])
    refresh_profile(db, startup.id, actor=SYSTEM, embedder=embedder)
    assert db.get(RecoProfile, startup.id).stage == "seed"  # type: ignore[union-attr]
    found = recommend_partners(db, startup.id, actor=SYSTEM, kinds={"investor"}, embedder=embedder)
    assert fund.id not in [s.organisation.id for s in found]
    set_stage(db, fund.id, actor=SYSTEM, investment_stages=["seed", "series-a"])
    found = recommend_partners(db, startup.id, actor=SYSTEM, kinds={"investor"}, embedder=embedder)
    assert [s.organisation.id for s in found] == [fund.id]
