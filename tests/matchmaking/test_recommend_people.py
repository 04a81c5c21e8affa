"""Recommendations for a person: expertise embedded on profile save, ranked partners, their own feedback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.identity import services as identity_services
from kakehashi.identity.models import User
from kakehashi.kernel.authz import SYSTEM, Actor, Ministry, Role, Side
from kakehashi.kernel.errors import Forbidden, NotFound
from kakehashi.matchmaking.recommend import (
    Embedder,
    InvalidLimit,
    ReasonCode,
    Verdict,
    give_person_feedback,
    recommend_for_person,
    recommend_partners,
    refresh_profile,
    sync_people,
    withdraw_person_feedback,
)
from kakehashi.matchmaking.recommend.errors import SelfFeedback
from kakehashi.matchmaking.recommend.models import RecoPerson, RecoPersonText
from kakehashi.registry.models import Organisation
from tests.factories.identity import make_user
from tests.factories.registry import make_org

# The person's organisation makes robots and seeks predictive-maintenance AI; the person's own expertise
# (in Japanese) is power-semiconductor packaging, which one Indian firm offers in English and another
# in Hindi.
EXPERTISE_JA = "電気自動車のインバーター向けパワー半導体モジュールの組立と試験"
PACKAGING_EN = "We assemble and test power semiconductor modules for electric vehicle inverters."
PACKAGING_SEEK_HI = "हमें पावर सेमीकंडक्टर मॉड्यूल की असेंबली में अनुभवी जापानी विशेषज्ञों की ज़रूरत है।"
THERMAL_HI = "हम पावर मॉड्यूल के लिए हीट सिंक और थर्मल प्रबंधन समाधान बनाते हैं।"
ROBOTS_JA = "自動車工場向けの産業用ロボットを製造しています。"
AI_SEEK_EN = "We are looking for AI software that predicts machine failures."
AI_OFFER_HI = "हम मशीनों की खराबी का पूर्वानुमान लगाने वाला एआई सॉफ्टवेयर बनाते हैं।"
ROBOTS_SEEK_HI = "हमें कार कारखानों के लिए औद्योगिक रोबोट चाहिए।"
VISION_HI = "हम कारखानों में गुणवत्ता जाँच के लिए मशीन विज़न एआई सॉफ़्टवेयर बनाते हैं।"
DISTRACTORS = [
    ("We export cotton textiles and garments.", "We need dyeing machines."),
    ("हम चाय बागान चलाते हैं और चाय निर्यात करते हैं।", "We need tea buyers in Japan."),
    ("We build UPI payment apps for small shops.", "हमें फिनटेक निवेशक चाहिए।"),
    ("We localise video games into Hindi and Tamil.", "We are looking for mobile game studios."),
    ("हम अस्पतालों को चिकित्सा उपकरण वितरित करते हैं।", "We seek makers of portable ultrasound scanners."),
    ("We run Japanese language schools in Pune.", "हमें जापान में नौकरी के अवसर चाहिए।"),
]


@dataclass
class World:
    jp: Organisation
    packaging: Organisation
    thermal: Organisation
    ai: Organisation
    vision: Organisation
    jp_rival: Organisation
    person: User


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def actor_of(user: User) -> Actor:
    return user.actor()


def save_expertise(db: Session, user: User, expertise: str) -> None:
    """Save the person's profile through identity, as the profile page does (the hook embeds it)."""
    identity_services.update_profile(db, actor=user.actor(), title=None, languages=["ja", "en"], jlpt_level=None,
                                     expertise=expertise, preferred_locale=None, preferred_timezone=None)


@pytest.fixture
def world(db: Session, embedder: Embedder) -> World:
    jp = make_org(db, country="JP", name_en="Sakura Robotics", offers=ROBOTS_JA, seeks=AI_SEEK_EN,
                  sectors=("corp.electronics",))
    packaging = make_org(db, country="IN", name_en="Pune Power Modules", offers=PACKAGING_EN,
                         seeks=PACKAGING_SEEK_HI)
    thermal = make_org(db, country="IN", name_en="Chennai Thermal", offers=THERMAL_HI,
                       seeks="We want to export to Japanese automakers.")
    ai = make_org(db, country="IN", name_en="Pune Predictive AI", offers=AI_OFFER_HI, seeks=ROBOTS_SEEK_HI)
    vision = make_org(db, country="IN", name_en="Noida Vision", offers=VISION_HI, seeks="We need camera makers.")
    jp_rival = make_org(db, country="JP", name_en="Osaka Packaging", offers="パワー半導体のパッケージングを受託しています。",
                        seeks="パワー半導体の技術者を探しています。")
    others = [make_org(db, country="IN", offers=offer, seeks=seek) for offer, seek in DISTRACTORS]
    for org in (jp, packaging, thermal, ai, vision, jp_rival, *others):
        refresh_profile(db, org.id, actor=SYSTEM, embedder=embedder)
    person = make_user(db, role=Role.ORG_MEMBER, org_id=jp.id, name="Kobayashi Ren")
    save_expertise(db, person, EXPERTISE_JA)
    return World(jp, packaging, thermal, ai, vision, jp_rival, person)


def ranked(db: Session, world: World, embedder: Embedder, **kwargs: object) -> list[int]:
    found = recommend_for_person(db, world.person.id, actor=actor_of(world.person), limit=20,
                                 count_impressions=False, embedder=embedder, **kwargs)  # type: ignore[arg-type]
    return [s.organisation.id for s in found]


def test_saving_the_profile_embeds_the_persons_expertise_at_once(db: Session, world: World) -> None:
    stored = db.get(RecoPerson, world.person.id)
    assert stored is not None and stored.org_id == world.jp.id
    texts = db.scalars(select(RecoPersonText).where(RecoPersonText.user_id == world.person.id)).all()
    assert [t.text for t in texts] == [EXPERTISE_JA] and len(texts[0].vector) == 384 * 4


def test_japanese_expertise_finds_the_indian_firm_offering_it_in_english(db: Session, world: World,
                                                                         embedder: Embedder) -> None:
    found = recommend_for_person(db, world.person.id, actor=actor_of(world.person), limit=3, embedder=embedder)
    assert world.packaging.id in [s.organisation.id for s in found]
    top = next(s for s in found if s.organisation.id == world.packaging.id)
    reasons = {r.code: r.values for r in top.recommendation.reasons}
    assert reasons[ReasonCode.EXPERTISE_OFFER] == (EXPERTISE_JA, PACKAGING_EN)


def test_the_persons_expertise_lifts_partners_above_the_organisations_own_ranking(
        db: Session, world: World, embedder: Embedder) -> None:
    mine = ranked(db, world, embedder)
    theirs = [s.organisation.id for s in recommend_partners(db, world.jp.id, actor=actor_of(world.person), limit=20,
                                                            count_impressions=False, embedder=embedder)]
    assert theirs[0] == world.ai.id  # the organisation as a whole seeks predictive-maintenance AI
    assert mine[0] == world.packaging.id and theirs.index(world.packaging.id) > 2
    assert world.ai.id in mine[:3]  # the organisation's own needs still count


def test_only_organisations_of_the_other_country_are_suggested(db: Session, world: World, embedder: Embedder) -> None:
    found = recommend_for_person(db, world.person.id, actor=actor_of(world.person), limit=100, embedder=embedder)
    assert found and {s.organisation.country for s in found} == {"IN"}
    assert world.jp_rival.id not in [s.organisation.id for s in found]


def test_not_interested_hides_a_partner_for_that_person_only(db: Session, world: World, embedder: Embedder) -> None:
    me = actor_of(world.person)
    give_person_feedback(db, world.person.id, world.packaging.id, Verdict.NOT_INTERESTED, actor=me)
    assert world.packaging.id not in ranked(db, world, embedder)
    colleague = make_user(db, role=Role.ORG_MEMBER, org_id=world.jp.id)
    colleague_list = recommend_for_person(db, colleague.id, actor=actor_of(colleague), limit=20,
                                          count_impressions=False, embedder=embedder)
    assert world.packaging.id in [s.organisation.id for s in colleague_list]
    org_list = recommend_partners(db, world.jp.id, actor=me, limit=20, count_impressions=False, embedder=embedder)
    assert world.packaging.id in [s.organisation.id for s in org_list]
    withdraw_person_feedback(db, world.person.id, world.packaging.id, actor=me)
    assert world.packaging.id in ranked(db, world, embedder)


def test_requesting_a_meeting_pulls_similar_partners_up(db: Session, world: World, embedder: Embedder) -> None:
    def forward_z() -> dict[int, float]:
        found = recommend_for_person(db, world.person.id, actor=actor_of(world.person), limit=20,
                                     count_impressions=False, embedder=embedder)
        return {s.organisation.id: s.recommendation.parts.forward for s in found}  # type: ignore[union-attr]

    before = forward_z()
    assert ranked(db, world, embedder)[0] == world.packaging.id
    give_person_feedback(db, world.person.id, world.ai.id, Verdict.REQUEST_MEETING, actor=actor_of(world.person))
    after = forward_z()
    assert ranked(db, world, embedder)[0] == world.ai.id
    assert after[world.vision.id] > before[world.vision.id] + 0.2  # another AI offer, pulled up with it
    assert after[world.packaging.id] < before[world.packaging.id]


def test_expertise_saved_again_is_re_embedded_and_re_ranks(db: Session, world: World, embedder: Embedder) -> None:
    save_expertise(db, world.person, "インド市場向けの茶葉の輸入と販売")  # tea import and sales
    texts = db.scalars(select(RecoPersonText.text).where(RecoPersonText.user_id == world.person.id)).all()
    assert texts == ["インド市場向けの茶葉の輸入と販売"]
    found = recommend_for_person(db, world.person.id, actor=actor_of(world.person), limit=3, embedder=embedder)
    tea = db.scalar(select(Organisation.id).where(Organisation.offers == DISTRACTORS[1][0]))
    assert tea in [s.organisation.id for s in found]


def test_who_may_see_and_act_on_a_persons_recommendations(db: Session, world: World, embedder: Embedder) -> None:
    person = world.person.id
    other_org_member = make_user(db, role=Role.ORG_MEMBER, org_id=world.ai.id)
    colleague = make_user(db, role=Role.ORG_MEMBER, org_id=world.jp.id)
    for outsider in (other_org_member, colleague):
        with pytest.raises(Forbidden):
            recommend_for_person(db, person, actor=actor_of(outsider), embedder=embedder)
    org_admin = make_user(db, role=Role.ORG_ADMIN, org_id=world.jp.id)
    officer = make_user(db, role=Role.NODAL_OFFICER, side=Side.IN, ministry=Ministry.MEITY,
                        email="officer-person-reco@example.in")
    for viewer in (org_admin, officer):
        assert recommend_for_person(db, person, actor=actor_of(viewer), count_impressions=False, embedder=embedder)
        with pytest.raises(Forbidden):
            give_person_feedback(db, person, world.packaging.id, Verdict.NOT_INTERESTED, actor=actor_of(viewer))
    with pytest.raises(NotFound):
        recommend_for_person(db, 99_999_999, actor=actor_of(org_admin), embedder=embedder)


def test_bad_requests_are_refused(db: Session, world: World, embedder: Embedder) -> None:
    me = actor_of(world.person)
    for limit in (0, 101):
        with pytest.raises(InvalidLimit):
            recommend_for_person(db, world.person.id, actor=me, limit=limit, embedder=embedder)
    with pytest.raises(SelfFeedback):
        give_person_feedback(db, world.person.id, world.jp.id, Verdict.REQUEST_MEETING, actor=me)
    with pytest.raises(NotFound):
        give_person_feedback(db, world.person.id, 99_999_999, Verdict.REQUEST_MEETING, actor=me)
    officer = make_user(db, role=Role.NODAL_OFFICER, side=Side.JP, ministry=Ministry.METI,
                        email="officer-no-org@example.jp")
    with pytest.raises(NotFound):
        recommend_for_person(db, officer.id, actor=actor_of(officer), embedder=embedder)


def test_sync_embeds_changed_people_and_drops_those_who_left(db: Session, world: World, embedder: Embedder) -> None:
    sync_people(db, embedder=embedder)
    assert sync_people(db, embedder=embedder) == 0
    world.person.expertise = "SiC power device reliability testing"  # changed without the profile page
    db.flush()
    assert sync_people(db, embedder=embedder) == 1
    assert db.scalar(select(RecoPersonText.text).where(RecoPersonText.user_id == world.person.id)) == \
        "SiC power device reliability testing"
    world.person.is_active = False
    db.flush()
    assert sync_people(db, embedder=embedder) == 1
    assert db.get(RecoPerson, world.person.id) is None


# --- over HTTP: the API, the page and its buttons, and the profile page's hook ---------------------------


def test_the_api_ranks_the_planted_partner_first_with_an_expertise_reason(db: Session, login: Any,
                                                                         world: World) -> None:
    client = login(world.person)
    response = client.get(f"/api/v1/people/{world.person.id}/recommendations?limit=5")
    assert response.status_code == 200
    body = response.json()
    assert (body["user_id"], body["org_id"]) == (world.person.id, world.jp.id)
    assert body["items"][0]["org_id"] == world.packaging.id and {i["country"] for i in body["items"]} == {"IN"}
    reason = next(r for r in body["items"][0]["reasons"] if r["code"] == "expertise_offer")
    assert reason["values"] == [EXPERTISE_JA, PACKAGING_EN]
    assert EXPERTISE_JA in reason["text"] and PACKAGING_EN in reason["text"]


@pytest.mark.parametrize("limit", ["0", "101", "many"])
def test_the_api_refuses_a_bad_limit_with_problem_json(db: Session, login: Any, world: World, limit: str) -> None:
    response = login(world.person).get(f"/api/v1/people/{world.person.id}/recommendations?limit={limit}")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "limit" in [error["field"] for error in response.json()["errors"]]


def test_the_api_keeps_a_persons_recommendations_private(db: Session, login: Any, cast: Any, world: World) -> None:
    url = f"/api/v1/people/{world.person.id}/recommendations"
    assert login(make_user(db, role=Role.ORG_MEMBER, org_id=world.ai.id)).get(url).status_code == 403
    assert login(make_user(db, role=Role.ORG_MEMBER, org_id=world.jp.id)).get(url).status_code == 403
    forbidden = login(make_user(db, role=Role.ORG_MEMBER, org_id=world.ai.id)).get(url)
    assert forbidden.headers["content-type"].startswith("application/problem+json")
    assert login(make_user(db, role=Role.ORG_ADMIN, org_id=world.jp.id)).get(url).status_code == 200
    assert login(cast.meity_officer).get(url).status_code == 200
    assert login(world.person).get("/api/v1/people/99999999/recommendations").status_code == 404


def test_api_feedback_hides_a_partner_for_the_person_and_can_be_withdrawn(db: Session, login: Any,
                                                                         world: World) -> None:
    url = f"/api/v1/people/{world.person.id}/recommendations"
    feedback = f"{url}/{world.packaging.id}/feedback"
    admin = login(make_user(db, role=Role.ORG_ADMIN, org_id=world.jp.id))  # sees the list, cannot act for them
    assert admin.api("PUT", feedback, json={"verdict": "not_interested"}).status_code == 403
    client = login(world.person)
    assert client.api("PUT", feedback, json={"verdict": "not_interested"}).status_code == 204
    assert world.packaging.id not in [item["org_id"] for item in client.get(url).json()["items"]]
    assert client.api("PUT", feedback, json={"verdict": "maybe"}).status_code == 422
    assert client.api("DELETE", feedback).status_code == 204
    assert client.get(url).json()["items"][0]["org_id"] == world.packaging.id


def test_signed_out_visitors_are_refused(client: Any, world: World) -> None:
    assert client.get(f"/api/v1/people/{world.person.id}/recommendations").status_code == 401


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_page_lists_partners_with_reasons_and_buttons(db: Session, login: Any, world: World, lang: str) -> None:
    client = login(world.person)
    response = client.get("/people/me/recommendations")
    assert response.status_code == 303 and response.headers["location"] == f"/people/{world.person.id}/recommendations"
    page = client.get(response.headers["location"], params={"lang": lang})
    assert page.status_code == 200 and f'lang="{lang}"' in page.text
    assert "Pune Power Modules" in page.text and PACKAGING_EN in page.text and EXPERTISE_JA in page.text
    if lang == "en":
        assert "Partners for your expertise" in page.text and "Request a meeting" in page.text
        assert "Your expertise in" in page.text
        assert '<span class="badge">Company</span>' in page.text  # the kind's name, not its code
    else:
        assert "あなたの専門に合うパートナー" in page.text and "面談を申し込む" in page.text
        assert "あなたの専門「" in page.text
        assert '<span class="badge">企業</span>' in page.text and '<span class="badge">company</span>' not in page.text


def test_the_page_buttons_record_the_persons_feedback(db: Session, login: Any, world: World) -> None:
    client = login(world.person)
    base = f"/people/{world.person.id}/recommendations"
    partial = client.post_form(f"{base}/{world.packaging.id}/feedback", {"verdict": "request_meeting"},
                               headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "Meeting requested" in partial.text and "<html" not in partial.text
    assert f'action="{base}/{world.packaging.id}/feedback"' in partial.text
    redirected = client.post_form(f"{base}/{world.ai.id}/feedback", {"verdict": "not_interested"})
    assert redirected.status_code == 303 and redirected.headers["location"] == base
    page = client.get(base).text
    assert "Meeting requested" in page and "Pune Predictive AI" not in page
    assert client.post_form(f"{base}/{world.ai.id}/feedback", {"verdict": "perhaps"}).status_code == 422


def test_others_see_the_page_without_buttons_or_not_at_all(db: Session, login: Any, cast: Any, world: World) -> None:
    url = f"/people/{world.person.id}/recommendations"
    page = login(make_user(db, role=Role.ORG_ADMIN, org_id=world.jp.id)).get(url)
    assert page.status_code == 200 and "Pune Power Modules" in page.text and "Request a meeting" not in page.text
    assert login(make_user(db, role=Role.ORG_MEMBER, org_id=world.ai.id)).get(url).status_code == 403


def test_saving_expertise_on_the_profile_page_embeds_it(db: Session, login: Any, world: World) -> None:
    client = login(world.person)
    assert 'href="/people/me/recommendations"' in client.get("/profile").text
    response = client.post_form("/profile", {"title": "", "languages": "ja, en", "jlpt_level": "",
                                             "expertise": "インド向けの茶葉の輸入", "preferred_locale": "",
                                             "preferred_timezone": ""})
    assert response.status_code == 303
    db.expire_all()
    assert db.scalars(select(RecoPersonText.text).where(RecoPersonText.user_id == world.person.id)).all() == [
        "インド向けの茶葉の輸入"]
