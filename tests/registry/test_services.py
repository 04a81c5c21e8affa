"""Registry use cases: creating and editing organisations, identifiers, verification, with their audit rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.kernel.audit import AuditEvent, events_for
from kakehashi.kernel.authz import ANONYMOUS, SYSTEM
from kakehashi.kernel.errors import Conflict, Forbidden, Unauthenticated, ValidationFailed
from kakehashi.registry import services
from kakehashi.registry.errors import DuplicateIdentifier, NotOwnSide, StaleVersion
from kakehashi.registry.models import SearchGram
from tests.factories.registry import make_org, org_input
from tests.fixtures.actors import Cast

CN = "1180301018771"
GSTIN = "27AAACR5055K1Z7"


def actions(db: Session, org_id: int) -> list[str]:
    return [event.action for event in reversed(events_for(db, target_type="organisation", target_id=org_id))]


def test_it_creates_an_organisation_with_normalised_identifiers_areas_and_an_audit_row(db: Session, cast: Cast) -> None:
    org = services.create_organisation(db, org_input(
        name_en="Kyoto Photonics KK", name_ja="京都フォトニクス株式会社", sectors=("semi.equipment", "ai.compute"),
        identifiers={"jp_corporate_number": "1-1803-0101-8771", "lei": " 5493006w3qus5lmh6r84 "},
    ), actor=cast.jp_org_admin.actor())
    assert {i.scheme: i.value for i in org.identifiers} == {"jp_corporate_number": CN, "lei": "5493006W3QUS5LMH6R84"}
    assert org.areas == ["ai", "semiconductors"] and not org.is_verified
    assert org.created_by == cast.jp_org_admin.id and org.version == 1
    assert actions(db, org.id) == ["registry.org.created"]
    grams = set(db.scalars(select(SearchGram.gram).where(SearchGram.org_id == org.id)))
    assert {"ふぉ", "とに", "ky", "11"} <= grams  # katakana folded to hiragana, Latin case-folded, identifiers


def test_a_signed_out_visitor_cannot_create(db: Session) -> None:
    with pytest.raises(Unauthenticated):
        services.create_organisation(db, org_input(), actor=ANONYMOUS)


@pytest.mark.parametrize(("overrides", "field"), [
    ({"name_en": ""}, "name_en"),
    ({"name_en": "x" * 201}, "name_en"),
    ({"name_ja": "長" * 201}, "name_ja"),
    ({"name_en": "Nul\x00Byte Ltd"}, "name_en"),
    ({"offers": "Bell\x07"}, "offers"),
    ({"description": "d" * 10001}, "description"),
    ({"kind": "cooperative"}, "kind"),
    ({"country": "US"}, "country"),
    ({"size": "huge"}, "size"),
    ({"founded_year": "3000"}, "founded_year"),
    ({"founded_year": "499"}, "founded_year"),
    ({"founded_year": "nineteen"}, "founded_year"),
    ({"website": "javascript:alert(1)"}, "website"),
    ({"website": "ftp://files.example.jp"}, "website"),
    ({"website": "https://"}, "website"),
    ({"sectors": ()}, "sectors"),
    ({"sectors": ("semi.unknown",)}, "sectors"),
    ({"contacts": {"email": "not-an-email"}}, "contacts.email"),
    ({"contacts": {"phone": "call me maybe"}}, "contacts.phone"),
    ({"contacts": {"fax": "+81 3 1234 5678"}}, "contacts"),
    ({"identifiers": {"jp_corporate_number": "1180301018772"}}, "identifiers.jp_corporate_number"),
    ({"identifiers": {"in_gstin": GSTIN}}, "identifiers.in_gstin"),  # a Japanese org with an Indian GSTIN
    ({"country": "IN", "identifiers": {"in_gstin": GSTIN, "in_pan": "AAACT2727Q"}}, "identifiers.in_gstin"),
])
def test_it_refuses_bad_input_naming_the_field(db: Session, cast: Cast, overrides: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.create_organisation(db, org_input(**overrides), actor=cast.meti_officer.actor())
    assert field in caught.value.errors


def test_it_names_every_bad_field_at_once(db: Session, cast: Cast) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.create_organisation(db, org_input(name_en="", kind="x", website="mailto:a@b.c", sectors=()),
                                     actor=cast.meti_officer.actor())
    assert set(caught.value.errors) == {"name_en", "kind", "website", "sectors"}


def test_html_is_stored_as_the_text_that_was_typed(db: Session, cast: Cast) -> None:
    org = services.create_organisation(db, org_input(name_en="<script>alert('x')</script> KK",
                                                     offers="<b>bold</b> & <i>claims</i>"),
                                       actor=cast.meti_officer.actor())
    assert org.name_en == "<script>alert('x')</script> KK" and org.offers == "<b>bold</b> & <i>claims</i>"


def test_a_duplicate_identifier_is_refused_with_a_link_to_the_holder(db: Session, cast: Cast) -> None:
    first = services.create_organisation(db, org_input(identifiers={"jp_corporate_number": CN}),
                                         actor=cast.meti_officer.actor())
    with pytest.raises(DuplicateIdentifier) as caught:
        services.create_organisation(db, org_input(identifiers={"jp_corporate_number": "1-1803-0101-8771"}),
                                     actor=cast.meti_officer.actor())
    assert isinstance(caught.value, Conflict) and caught.value.existing_org_id == first.id
    assert f"/organisations/{first.id}" in caught.value.message
    assert caught.value.field == "identifiers.jp_corporate_number"


def test_an_update_with_a_stale_version_is_refused(db: Session, cast: Cast) -> None:
    org = services.create_organisation(db, org_input(), actor=cast.meti_officer.actor())
    services.update_organisation(db, org.id, org_input(name_en="Renamed KK"), expected_version=1,
                                 actor=cast.meti_officer.actor())
    assert org.version == 2
    with pytest.raises(StaleVersion) as caught:
        services.update_organisation(db, org.id, org_input(name_en="Lost Update KK"), expected_version=1,
                                     actor=cast.meti_officer.actor())
    assert caught.value.status == 409 and "Reload" in caught.value.message
    assert org.name_en == "Renamed KK"


def test_an_update_that_changes_nothing_keeps_the_version(db: Session, cast: Cast) -> None:
    data = org_input(name_en="Steady KK")
    org = services.create_organisation(db, data, actor=cast.meti_officer.actor())
    services.update_organisation(db, org.id, data, expected_version=1, actor=cast.meti_officer.actor())
    assert org.version == 1 and actions(db, org.id) == ["registry.org.created"]


def test_each_identifier_edit_writes_its_own_audit_row(db: Session, cast: Cast) -> None:
    org = services.create_organisation(db, org_input(country="IN", identifiers={"in_pan": "AAACR5055K"}),
                                       actor=cast.meity_officer.actor())
    services.set_identifiers(db, org.id, {"in_pan": "", "in_gstin": "27AAACT2727Q1ZW", "lei": "506700GE1G29325QX363"},
                             actor=cast.meity_officer.actor())
    services.set_identifiers(db, org.id, {"in_gstin": "27AAACT2727Q1ZW", "lei": "HWUPKR0MPOU8FGXBT394"},
                             actor=cast.meity_officer.actor())
    events = [e for e in reversed(events_for(db, target_type="organisation", target_id=org.id))
              if e.action.startswith("registry.identifier.")]
    assert [(e.action, e.details["scheme"]) for e in events] == [
        ("registry.identifier.added", "in_gstin"), ("registry.identifier.removed", "in_pan"),
        ("registry.identifier.added", "lei"), ("registry.identifier.changed", "lei"),
    ]
    assert events[-1].details == {"scheme": "lei", "before": "506700GE1G29325QX363", "after": "HWUPKR0MPOU8FGXBT394"}
    assert events[-1].actor_user_id == cast.meity_officer.id


def test_an_officer_of_the_organisations_own_side_verifies_it_and_who_and_when_are_kept(db: Session, cast: Cast) -> None:
    org = services.verify_organisation(db, cast.jp_org.id, actor=cast.meti_officer.actor())
    assert org.is_verified and org.verified_by == cast.meti_officer.id and org.verified_at is not None
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "registry.org.verified")).one()
    assert event.actor_user_id == cast.meti_officer.id and event.details["ministry"] == "METI"
    assert event.side == "JP"


def test_a_related_ministrys_liaison_of_the_same_side_may_verify(db: Session, cast: Cast) -> None:
    assert services.verify_organisation(db, cast.jp_org.id, actor=cast.mic_liaison.actor()).is_verified


@pytest.mark.parametrize(("who", "error"), [
    ("meity_officer", Forbidden), ("admin", NotOwnSide), ("jp_org_admin", Forbidden), ("outsider", Forbidden),
])
def test_nobody_else_may_verify_a_japanese_organisation(db: Session, cast: Cast, who: str, error: type) -> None:
    with pytest.raises(error):
        services.verify_organisation(db, cast.jp_org.id, actor=getattr(cast, who).actor())
    assert not cast.jp_org.is_verified


def test_an_officer_withdraws_a_verification_with_a_reason(db: Session, cast: Cast) -> None:
    services.verify_organisation(db, cast.in_org.id, actor=cast.meity_officer.actor())
    services.unverify_organisation(db, cast.in_org.id, actor=cast.meity_officer.actor(), reason="  merged  ")
    assert not cast.in_org.is_verified
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "registry.org.unverified")).one()
    assert event.details["reason"] == "merged" and event.details["was_verified_by"] == cast.meity_officer.id


def test_an_org_admin_renaming_a_verified_organisation_withdraws_its_verification(db: Session, cast: Cast) -> None:
    services.verify_organisation(db, cast.jp_org.id, actor=cast.meti_officer.actor())
    services.update_organisation(db, cast.jp_org.id, org_input(name_en="Sakura Holdings KK", sectors=("ai.applications",)),
                                 expected_version=cast.jp_org.version, actor=cast.jp_org_admin.actor())
    assert not cast.jp_org.is_verified
    assert actions(db, cast.jp_org.id)[-2:] == ["registry.org.updated", "registry.org.unverified"]


def test_an_org_admin_may_not_edit_another_organisation(db: Session, cast: Cast) -> None:
    other = make_org(db, country="JP")
    with pytest.raises(Forbidden):
        services.update_organisation(db, other.id, org_input(), expected_version=other.version,
                                     actor=cast.jp_org_admin.actor())


def test_the_system_may_verify_for_imports_and_demos(db: Session) -> None:
    org = make_org(db, country="IN")
    assert services.verify_organisation(db, org.id, actor=SYSTEM).verified_by is None


def test_listeners_hear_of_every_saved_profile(db: Session, cast: Cast) -> None:
    heard: list[int] = []
    services.on_profile_saved(lambda _session, org_id: heard.append(org_id))
    try:
        org = services.create_organisation(db, org_input(), actor=cast.meti_officer.actor())
        services.update_organisation(db, org.id, org_input(name_en="Changed KK"), expected_version=1,
                                     actor=cast.meti_officer.actor())
    finally:
        services._listeners.clear()
    assert heard == [org.id, org.id]


def test_an_update_of_fields_and_identifiers_moves_the_version_by_one(db: Session, cast: Cast) -> None:
    org = services.create_organisation(db, org_input(identifiers={"jp_corporate_number": CN}),
                                       actor=cast.meti_officer.actor())
    services.update_organisation(db, org.id, org_input(city="Sendai", identifiers={"lei": "5493006W3QUS5LMH6R84"}),
                                 expected_version=1, actor=cast.meti_officer.actor())
    db.flush()
    db.refresh(org)
    assert org.version == 2 and org.city == "Sendai" and [i.scheme for i in org.identifiers] == ["lei"]
