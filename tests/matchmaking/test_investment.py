"""Startups and investors: exact amounts, pitch decks judged by their bytes, funds, missions, pitches."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from kakehashi.kernel.authz import Role
from kakehashi.kernel.errors import Conflict, Forbidden, ValidationFailed
from kakehashi.matchmaking import events, investment, pitches, queries
from kakehashi.matchmaking.decks import sniff_deck
from kakehashi.matchmaking.errors import UploadRejected
from kakehashi.matchmaking.investment import FundSpec, InvestorSpec
from kakehashi.matchmaking.recommend.models import RecoProfile
from tests.factories.identity import make_user
from tests.factories.matchmaking import DAY, make_event
from tests.factories.registry import make_org
from tests.fixtures.actors import Cast

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def pptx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    return buffer.getvalue()


def startup(db: Session, *, country: str = "IN"):  # type: ignore[no-untyped-def]
    org = make_org(db, country=country, kind="startup", name_en="Chennai Sensors Pvt Ltd")
    founder = make_user(db, role=Role.ORG_ADMIN, org_id=org.id)
    return org, founder


def test_a_startup_records_exact_amounts_in_its_currency(db: Session) -> None:
    org, founder = startup(db)
    profile = investment.save_startup(db, org.id, actor=founder.actor(), stage="seed",
                                      funding_to_date=Decimal("15000000.50"), currency="INR",
                                      raising=Decimal("80000000"), traction="12 pilots", team_size=14)
    db.flush()
    db.expire(profile)
    assert profile.funding_to_date == Decimal("15000000.50") and profile.currency == "INR"


def test_stages_reach_the_recommenders_stage_fit_rule(db: Session) -> None:
    org, founder = startup(db)
    investment.save_startup(db, org.id, actor=founder.actor(), stage="series_a", funding_to_date=Decimal(0),
                            currency="INR")
    fund_org = make_org(db, country="JP", kind="investor")
    investor = make_user(db, role=Role.ORG_ADMIN, org_id=fund_org.id)
    investment.save_investor(db, fund_org.id, InvestorSpec(ticket_min=Decimal(1), ticket_max=Decimal(2), currency="JPY",
                                                          stages=("seed",)), actor=investor.actor())
    assert db.get(RecoProfile, org.id).stage == "series_a"  # type: ignore[union-attr]
    assert db.get(RecoProfile, fund_org.id).investment_stages == ["seed"]  # type: ignore[union-attr]


def test_bad_profile_fields_are_named(db: Session) -> None:
    org, founder = startup(db)
    with pytest.raises(ValidationFailed) as caught:
        investment.save_startup(db, org.id, actor=founder.actor(), stage="unicorn", funding_to_date=Decimal("-1"),
                                currency="EUR", raising=Decimal("1.001"), team_size=0)
    assert set(caught.value.errors) == {"stage", "funding_to_date", "currency", "raising", "team_size"}


def test_only_members_edit_a_startup_profile(db: Session, cast: Cast) -> None:
    org, _founder = startup(db)
    with pytest.raises(Forbidden):
        investment.save_startup(db, org.id, actor=cast.in_org_member.actor(), stage="seed",
                                funding_to_date=Decimal(0), currency="INR")


def test_decks_are_judged_by_their_bytes() -> None:
    assert sniff_deck(PDF) == "application/pdf"
    assert sniff_deck(pptx()).endswith("presentationml.presentation")
    for data in (b"", b"MZ\x90\x00 not a deck", b"PK\x03\x04broken zip", b"<html>"):
        with pytest.raises(UploadRejected):
            sniff_deck(data)
    with pytest.raises(UploadRejected):
        sniff_deck(PDF + b"x" * 100, max_bytes=50)


def test_a_deck_is_stored_and_shared_with_investors_only(db: Session, cast: Cast) -> None:
    org, founder = startup(db)
    investment.save_startup(db, org.id, actor=founder.actor(), stage="seed", funding_to_date=Decimal(0),
                            currency="INR")
    deck = investment.upload_pitch_deck(db, org.id, actor=founder.actor(), filename="../../deck v2.PDF", data=PDF)
    assert (deck.filename, deck.size) == ("deck v2.pdf", len(PDF))
    with pytest.raises(Forbidden):
        investment.pitch_deck_for(db, deck.id, actor=cast.outsider.actor())
    fund_org = make_org(db, country="JP", kind="investor")
    investor = make_user(db, role=Role.ORG_ADMIN, org_id=fund_org.id)
    investment.save_investor(db, fund_org.id, InvestorSpec(ticket_min=Decimal(50_000_000), ticket_max=Decimal(300_000_000),
                                                          currency="JPY", stages=("seed", "series_a"),
                                                          countries=("IN",)), actor=investor.actor())
    assert investment.pitch_deck_for(db, deck.id, actor=investor.actor()).data == PDF


def test_an_investor_ticket_range_must_be_ordered(db: Session) -> None:
    org = make_org(db, country="JP", kind="investor")
    admin = make_user(db, role=Role.ORG_ADMIN, org_id=org.id)
    with pytest.raises(ValidationFailed) as caught:
        investment.save_investor(db, org.id, InvestorSpec(ticket_min=Decimal(10), ticket_max=Decimal(5), currency="JPY",
                                                          stages=(), countries=("CN",)), actor=admin.actor())
    assert set(caught.value.errors) == {"ticket_max", "stages", "countries"}
    profile = investment.save_investor(db, org.id, InvestorSpec(ticket_min=Decimal(5), ticket_max=Decimal(10),
                                                                currency="JPY", stages=("seed",)), actor=admin.actor())
    assert queries.list_investors(db, stage="seed", country="IN")[0][0].id == profile.id


def test_the_fund_registry_finds_japanese_players_investing_in_india(db: Session, cast: Cast) -> None:
    officer = cast.meti_officer.actor()
    investment.save_fund(db, FundSpec(name="Sakura–Ganga Fund I", manager_name="Sakura Ventures", domicile="JP",
                                      currency="JPY", invests_in=("IN",), size=Decimal("10000000000"),
                                      japanese_backers=("A Japanese bank",)), actor=officer)
    investment.save_fund(db, FundSpec(name="Domestic Fund", manager_name="X", domicile="IN", currency="INR",
                                      invests_in=("IN",)), actor=officer)
    assert [f.name for f in queries.list_funds(db, corridor=True).items] == ["Sakura–Ganga Fund I"]
    with pytest.raises(Conflict):
        investment.save_fund(db, FundSpec(name="Domestic Fund", manager_name="Y", domicile="IN", currency="INR",
                                          invests_in=("IN",)), actor=officer)
    with pytest.raises(Forbidden):
        investment.save_fund(db, FundSpec(name="Z", manager_name="Z", domicile="IN", currency="INR",
                                          invests_in=("IN",)), actor=cast.in_org_member.actor())


def test_missions_take_organisations_of_their_origin(db: Session, cast: Cast) -> None:
    mission = investment.create_mission(db, actor=cast.meti_officer.actor(), title="Japan startup mission to Bengaluru",
                                        origin="JP", destination="IN", starts_on=dt.date(2031, 3, 9),
                                        ends_on=dt.date(2031, 3, 12), cities="Bengaluru")
    investment.join_mission(db, mission.id, actor=cast.jp_org_admin.actor(), role="company")
    with pytest.raises(ValidationFailed):
        investment.join_mission(db, mission.id, actor=cast.in_org_member.actor(), role="company")
    assert [org.name_en for _m, org in queries.mission_members(db, mission.id)] == ["Sakura Devices KK"]
    with pytest.raises(ValidationFailed):
        investment.create_mission(db, actor=cast.meti_officer.actor(), title="Loop", origin="JP", destination="JP",
                                  starts_on=dt.date(2031, 3, 9), ends_on=dt.date(2031, 3, 1))


def test_startups_pitch_in_turns_within_a_pitch_session(db: Session, cast: Cast) -> None:
    event = make_event(db, cast.meti_officer)
    officer = cast.meti_officer.actor()
    stage = events.add_session(db, event.id, actor=officer, name="Startup pitches", kind="pitch",
                               starts_at=DAY.replace(hour=15), ends_at=DAY.replace(hour=16))
    org, founder = startup(db)
    investment.save_startup(db, org.id, actor=founder.actor(), stage="seed", funding_to_date=Decimal(0),
                            currency="INR")
    pitches.add_pitch(db, event.id, stage.id, actor=officer, org_id=org.id, title="Sensors for farms",
                      starts_at=DAY.replace(hour=15), minutes=10)
    with pytest.raises(ValidationFailed):
        pitches.add_pitch(db, event.id, stage.id, actor=officer, org_id=cast.jp_org.id, title="Overlap",
                          starts_at=DAY.replace(hour=15, minute=5), minutes=10)
    assert [p.title for p in pitches.pitches_of(db, stage.id)] == ["Sensors for farms"]
    assert len(events.slots_of(db, event.id)) == 4  # a pitch session adds no meeting slots


def test_the_profile_page_shows_amounts_in_the_viewers_format(login: object, db: Session) -> None:
    org, founder = startup(db)
    investment.save_startup(db, org.id, actor=founder.actor(), stage="seed", funding_to_date=Decimal("1234567.50"),
                            currency="INR")
    browser = login(founder)  # type: ignore[operator]
    db.commit()  # the refused upload rolls back the request's work; keep the set-up
    page = browser.get(f"/matchmaking/profiles/{org.id}")
    assert page.status_code == 200 and "₹12,34,567.50" in page.text
    refused = browser.post(f"/matchmaking/profiles/{org.id}/deck", data={"csrf_token": browser.csrf()},
                           files={"deck": ("deck.pdf", b"MZ\x90\x00", "application/pdf")})
    assert refused.status_code == 422 and "PDF" in refused.text


def test_officers_edit_startup_profiles_and_funds_of_their_own_side_only(db: Session, cast: Cast) -> None:
    org, _founder = startup(db, country="IN")
    with pytest.raises(Forbidden):  # a METI officer may not rewrite an Indian start-up's profile
        investment.save_startup(db, org.id, actor=cast.meti_officer.actor(), stage="seed",
                                funding_to_date=Decimal(0), currency="INR")
    investment.save_startup(db, org.id, actor=cast.meity_officer.actor(), stage="seed",
                            funding_to_date=Decimal(0), currency="INR")
    fund = FundSpec(name="Bharat Deep Tech Fund", manager_name="Bharat Capital", domicile="IN", currency="INR",
                    invests_in=("JP",), manager_org_id=org.id)
    with pytest.raises(Forbidden):
        investment.save_fund(db, fund, actor=cast.meti_officer.actor())
    assert investment.save_fund(db, fund, actor=cast.meity_officer.actor()).manager_org_id == org.id
