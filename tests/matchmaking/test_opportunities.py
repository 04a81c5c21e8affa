"""Partnering opportunities: review by the owner's side, expiry and renewal, anonymity, interest, search."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from kakehashi import matchmaking
from kakehashi.kernel.authz import Role
from kakehashi.kernel.errors import Conflict, Forbidden, ValidationFailed
from kakehashi.matchmaking import opportunities, queries
from kakehashi.matchmaking.errors import ReviewRefused
from kakehashi.matchmaking.opportunities import OpportunitySpec
from tests.factories.identity import make_user
from tests.fixtures.actors import Cast

SPEC = OpportunitySpec(kind="technology_offer", title="MEMS pressure sensors for agritech",
                       summary="低消費電力のMEMS圧力センサーを提供します。インドの農業IoTパートナーを探しています。",
                       language="ja", sectors=("corp.iot",))


def published(db: Session, cast: Cast, spec: OpportunitySpec = SPEC):  # type: ignore[no-untyped-def]
    item = opportunities.create_opportunity(db, spec, actor=cast.jp_org_admin.actor())
    opportunities.submit_opportunity(db, item.id, actor=cast.jp_org_admin.actor())
    return opportunities.review_opportunity(db, item.id, actor=cast.meti_officer.actor(), approve=True)


def test_an_officer_of_the_owners_side_publishes_it_for_a_year(db: Session, cast: Cast) -> None:
    item = published(db, cast)
    assert item.status == "published" and item.reference.startswith("TOJP")  # type: ignore[union-attr]
    assert item.expires_at - item.published_at == dt.timedelta(days=365)  # type: ignore[operator]


def test_an_officer_of_the_other_side_may_not_review(db: Session, cast: Cast) -> None:
    item = opportunities.create_opportunity(db, SPEC, actor=cast.jp_org_admin.actor())
    opportunities.submit_opportunity(db, item.id, actor=cast.jp_org_admin.actor())
    with pytest.raises(Forbidden):
        opportunities.review_opportunity(db, item.id, actor=cast.meity_officer.actor(), approve=True)


def test_a_draft_is_not_reviewable_and_a_rejection_needs_a_reason(db: Session, cast: Cast) -> None:
    item = opportunities.create_opportunity(db, SPEC, actor=cast.jp_org_admin.actor())
    with pytest.raises(ReviewRefused):
        opportunities.review_opportunity(db, item.id, actor=cast.meti_officer.actor(), approve=True)
    opportunities.submit_opportunity(db, item.id, actor=cast.jp_org_admin.actor())
    with pytest.raises(ValidationFailed):
        opportunities.review_opportunity(db, item.id, actor=cast.meti_officer.actor(), approve=False)
    opportunities.review_opportunity(db, item.id, actor=cast.meti_officer.actor(), approve=False, note="Add the TRL")
    assert item.status == "rejected"
    opportunities.submit_opportunity(db, item.id, actor=cast.jp_org_admin.actor())
    assert item.status == "submitted"


def test_it_names_every_bad_field(db: Session, cast: Cast) -> None:
    bad = OpportunitySpec(kind="gift", title="", summary="short", language="fr", sectors=("nope",))
    with pytest.raises(ValidationFailed) as caught:
        opportunities.create_opportunity(db, bad, actor=cast.jp_org_admin.actor())
    assert set(caught.value.errors) == {"kind", "title", "summary", "language", "sectors"}


def test_a_person_without_an_organisation_cannot_create_one(db: Session, cast: Cast) -> None:
    with pytest.raises(Forbidden):
        opportunities.create_opportunity(db, SPEC, actor=cast.meti_officer.actor())


def test_expiry_hides_it_and_renewal_brings_it_back(db: Session, cast: Cast) -> None:
    item = published(db, cast)
    assert opportunities.expire_opportunities(db, item.expires_at - dt.timedelta(seconds=1)) == 0  # type: ignore[operator]
    assert opportunities.expire_opportunities(db, item.expires_at) == 1  # type: ignore[arg-type]
    assert queries.search_opportunities(db, q="MEMS").total == 0
    opportunities.renew_opportunity(db, item.id, actor=cast.jp_org_admin.actor())
    assert item.status == "published" and item.renewals == 1
    assert queries.search_opportunities(db, q="mems").total == 1


def test_editing_a_published_opportunity_sends_it_back_to_review(db: Session, cast: Cast) -> None:
    item = published(db, cast)
    opportunities.update_opportunity(db, item.id, SPEC, actor=cast.jp_org_admin.actor())
    assert item.status == "submitted"
    with pytest.raises(Forbidden):
        opportunities.update_opportunity(db, item.id, SPEC, actor=cast.in_org_member.actor())


def test_search_finds_text_in_any_script_and_filters(db: Session, cast: Cast) -> None:
    published(db, cast)
    assert queries.search_opportunities(db, q="圧力センサー").total == 1
    assert queries.search_opportunities(db, q="ＭＥＭＳ").total == 1  # full-width letters fold (NFKC)
    assert queries.search_opportunities(db, kind="business_request").total == 0
    assert queries.search_opportunities(db, side="JP", sector="corp.iot").total == 1
    assert queries.search_opportunities(db, sector="ai.models").total == 0


def test_an_anonymous_owner_is_disclosed_only_after_accepting_interest(db: Session, cast: Cast) -> None:
    item = published(db, cast, OpportunitySpec(**{**SPEC.__dict__, "anonymous": True}))
    reader = cast.in_org_member.actor()
    assert not opportunities.contact_visible(db, item, actor=reader)
    interest = opportunities.express_interest(db, item.id, actor=reader, message="We build agri-IoT apps")
    with pytest.raises(Conflict):
        opportunities.express_interest(db, item.id, actor=reader)
    with pytest.raises(Forbidden):
        opportunities.decide_interest(db, interest.id, actor=reader, accept=True)
    opportunities.decide_interest(db, interest.id, actor=cast.jp_org_admin.actor(), accept=True)
    assert opportunities.contact_visible(db, item, actor=reader)
    assert not opportunities.contact_visible(db, item, actor=cast.outsider.actor())


def test_the_owner_cannot_express_interest_in_their_own(db: Session, cast: Cast) -> None:
    item = published(db, cast)
    colleague = make_user(db, role=Role.ORG_MEMBER, org_id=cast.jp_org.id)
    with pytest.raises(Forbidden):
        opportunities.express_interest(db, item.id, actor=colleague.actor())


def test_the_recommender_gets_the_texts_of_live_opportunities_only(db: Session, cast: Cast) -> None:
    item = published(db, cast)
    opportunities.create_opportunity(db, SPEC, actor=cast.jp_org_admin.actor())  # a draft: not fed
    texts = matchmaking.published_opportunity_texts(db)
    assert texts == [(cast.jp_org.id, "technology_offer", f"{item.title}. {item.summary}")]
    assert "technology_offer" in matchmaking.OFFER_KINDS and "technology_request" not in matchmaking.OFFER_KINDS
    assert matchmaking.published_opportunity_texts(db, now=item.expires_at) == []


def test_the_pages_hide_an_anonymous_owner_and_show_the_review_queue(login: object, db: Session, cast: Cast) -> None:
    item = opportunities.create_opportunity(db, OpportunitySpec(**{**SPEC.__dict__, "anonymous": True}),
                                            actor=cast.jp_org_admin.actor())
    opportunities.submit_opportunity(db, item.id, actor=cast.jp_org_admin.actor())
    officer = login(cast.meti_officer)  # type: ignore[operator]
    assert item.title in officer.get("/matchmaking/opportunities").text
    assert officer.post_form(f"/matchmaking/opportunities/{item.id}/approve").status_code == 303
    reader = login(cast.in_org_member)  # type: ignore[operator]
    page = reader.get(f"/matchmaking/opportunities/{item.id}")
    assert page.status_code == 200 and "Sakura" not in page.text and "An organisation from Japan" in page.text
