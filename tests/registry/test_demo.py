"""Demo organisations: valid by the same rules as real ones, deterministic, idempotent, across all areas."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kakehashi.kernel.areas import AREA_CODES
from kakehashi.kernel.demo import DemoOptions
from kakehashi.registry import demo, demo_generator, profile, queries
from kakehashi.registry.models import OrganisationIdentifier, OrgKind, SearchGram
from kakehashi.registry.profile import OrganisationInput
from kakehashi.registry.search_index import bigrams
from kakehashi.registry.taxonomy import area_of


def as_input(org: demo_generator.DemoOrg) -> OrganisationInput:
    return OrganisationInput(
        kind=org.kind, name_en=org.name_en, country=org.country, name_ja=org.name_ja or "", name_hi=org.name_hi or "",
        region=org.region, city=org.city, size=org.size or "", founded_year=org.founded_year, website=org.website,
        offers=org.offers, seeks=org.seeks, description=org.description, sectors=org.sectors,
        contacts=org.contacts, identifiers=org.identifiers,
    )


def test_generated_profiles_pass_every_rule_real_ones_pass() -> None:
    sample = [*demo.anchors(), *(demo_generator.generate(i, 2025) for i in [*range(400), 5_001, 77_777, 99_998])]
    for org in sample:
        cleaned = profile.clean(as_input(org))
        assert cleaned.identifiers == org.identifiers, org.name_en  # already in normal form


def test_the_same_seed_gives_the_same_organisations_and_another_seed_other_texts() -> None:
    assert demo_generator.generate(123, 7) == demo_generator.generate(123, 7)
    assert demo_generator.generate(123, 7).offers != demo_generator.generate(123, 8).offers or \
        demo_generator.generate(123, 7).contacts != demo_generator.generate(123, 8).contacts


def test_names_and_identifiers_never_repeat_across_a_large_run() -> None:
    orgs = list(demo.planned(DemoOptions(orgs=20_000)))
    assert len({org.name_en for org in orgs}) == len(orgs) == 20_000
    values = Counter((scheme, value) for org in orgs for scheme, value in org.identifiers.items())
    assert values.most_common(1)[0][1] == 1


def test_the_default_run_covers_both_countries_every_kind_and_all_eight_areas() -> None:
    orgs = list(demo.planned(DemoOptions()))
    assert len(orgs) == 300
    assert {org.country for org in orgs} == {"JP", "IN"}
    assert {org.kind for org in orgs} == set(OrgKind)
    areas = {area for org in orgs for area in (area_of(code) for code in org.sectors)}
    assert areas == AREA_CODES
    assert any(org.name_hi for org in orgs) and all(org.name_ja for org in orgs if org.country == "JP")


def test_loading_twice_adds_nothing_and_the_anchors_are_findable(db: Session) -> None:
    options = DemoOptions(orgs=60, seed=3)
    demo.load(db, options)
    counts = (queries.count_organisations(db), db.scalar(select(func.count()).select_from(OrganisationIdentifier)),
              db.scalar(select(func.count()).select_from(SearchGram)))
    demo.load(db, options)
    assert (queries.count_organisations(db), db.scalar(select(func.count()).select_from(OrganisationIdentifier)),
            db.scalar(select(func.count()).select_from(SearchGram))) == counts
    for name in (demo.SAKURA, demo.INDUS, demo.IISC, demo.JPCERT, demo.CERT_IN, demo.METI, demo.MEITY):
        assert queries.find_by_name(db, name) is not None
    sakura = queries.find_by_name(db, demo.SAKURA)
    assert sakura is not None and sakura.name_ja == "さくらデバイス株式会社" and sakura.is_verified


def test_bulk_loaded_organisations_are_indexed_like_service_created_ones(db: Session) -> None:
    demo.load(db, DemoOptions(orgs=20, seed=3))
    sakura = queries.find_by_name(db, demo.SAKURA)
    assert sakura is not None
    grams = set(db.scalars(select(SearchGram.gram).where(SearchGram.org_id == sakura.id)))
    assert grams == bigrams(sakura.search_text) and "さくらでばいす株式会社" in sakura.search_text
    assert [org.name_en for org in queries.search(db, "デバイス").items] == [demo.SAKURA]


def test_a_larger_run_extends_a_smaller_one(db: Session) -> None:
    demo.load(db, DemoOptions(orgs=20, seed=3))
    demo.load(db, DemoOptions(orgs=30, seed=3))
    assert queries.count_organisations(db) == 30
