"""Search: partial words in any script, identifiers, filters, ordering and pagination."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.kernel.authz import SYSTEM
from kakehashi.kernel.pagination import Page
from kakehashi.registry import queries, search_plan, services
from kakehashi.registry.models import Organisation, SearchGram
from kakehashi.registry.search_index import bigrams, fold
from tests.factories.registry import make_org, org_input
from tests.fixtures.actors import Cast


def names(page: Page[Organisation]) -> list[str]:
    return [org.name_en for org in page.items]


def test_folding_unifies_width_case_and_kana() -> None:
    assert fold("ＳＡＫＵＲＡ　ﾃﾞﾊﾞｲｽ") == "sakura でばいす"
    assert fold("  Indus\tSoftware  LABS ") == "indus software labs"
    assert bigrams("ab cde") == {"ab", "cd", "de"}


def test_a_partial_japanese_word_finds_the_organisation(db: Session, cast: Cast) -> None:
    assert names(queries.search(db, "デバイス")) == ["Sakura Devices KK"]
    assert names(queries.search(db, "でばいす")) == ["Sakura Devices KK"]  # hiragana finds katakana
    assert names(queries.search(db, "ｻｸﾗ")) == ["Sakura Devices KK"]  # half-width katakana, folded to さくら
    assert names(queries.search(db, "さくら")) == ["Sakura Devices KK"]


def test_a_katakana_query_finds_a_hiragana_name(db: Session) -> None:
    make_org(db, name_en="Sakura Labs", name_ja="さくらラボ")
    assert names(queries.search(db, "サクラ")) == ["Sakura Labs"]


def test_latin_names_are_found_by_any_part_in_any_case(db: Session, cast: Cast) -> None:
    assert names(queries.search(db, "silicon")) == ["Bengaluru Silicon Pvt Ltd"]
    assert names(queries.search(db, "LURU SILI")) == ["Bengaluru Silicon Pvt Ltd"]
    assert names(queries.search(db, "devices sakura")) == ["Sakura Devices KK"]  # every word, in any order


def test_hindi_names_are_found_by_part(db: Session) -> None:
    org = services.create_organisation(db, org_input(country="IN", name_en="Indus Software Labs Pvt Ltd",
                                                     name_hi="इंडस सॉफ्टवेयर लैब्स", city="Bengaluru"),
                                       actor=SYSTEM)
    assert [o.id for o in queries.search(db, "सॉफ्टवेयर").items] == [org.id]


def test_identifiers_are_found_whole_and_in_part(db: Session) -> None:
    org = make_org(db, country="IN", identifiers={"in_gstin": "27AAACR5055K1Z7", "in_pan": "AAACR5055K"})
    assert [o.id for o in queries.search(db, "27aaacr5055k1z7").items] == [org.id]
    assert [o.id for o in queries.search(db, "AAACR5055").items] == [org.id]


def test_a_city_is_searchable(db: Session) -> None:
    make_org(db, name_en="Kansai Robotics KK", city="Ōsaka")
    assert names(queries.search(db, "ōsaka")) == ["Kansai Robotics KK"]


def test_one_letter_queries_check_the_text_of_every_row(db: Session) -> None:
    make_org(db, name_en="Lotus Q", name_ja="蓮")
    assert names(queries.search(db, "蓮")) == ["Lotus Q"]


def test_bigrams_that_occur_nowhere_find_nothing(db: Session, cast: Cast) -> None:
    page = queries.search(db, "zzqx")
    assert page.items == [] and page.total == 0


def test_like_wildcards_in_a_query_are_taken_literally(db: Session) -> None:
    make_org(db, name_en="100% Yield KK")
    make_org(db, name_en="1000 Yield KK")
    assert names(queries.search(db, "100%")) == ["100% Yield KK"]
    assert names(queries.search(db, "0_y")) == []


def test_a_name_that_starts_with_the_query_ranks_first(db: Session) -> None:
    make_org(db, name_en="Alpha Quantum Labs")
    make_org(db, name_en="Quantum Alpha Labs")
    assert names(queries.search(db, "quantum")) == ["Quantum Alpha Labs", "Alpha Quantum Labs"]


def test_filters_combine_with_the_query(db: Session, cast: Cast) -> None:
    make_org(db, country="IN", name_en="Device Works India", sectors=("semi.packaging",), verified=True)
    make_org(db, country="JP", name_en="Device Works Japan", sectors=("sec.cyber",))
    assert names(queries.search(db, "device", country="IN")) == ["Device Works India"]
    assert names(queries.search(db, "device", area="security")) == ["Device Works Japan"]
    assert names(queries.search(db, "device", sector="semi.packaging")) == ["Device Works India"]
    assert names(queries.search(db, "device", verified=True)) == ["Device Works India"]
    assert "Device Works India" not in names(queries.search(db, "device", verified=False))
    assert names(queries.search(db, "works", kind="university")) == []


def test_pages_split_the_results_and_a_page_past_the_end_shows_the_last(db: Session) -> None:
    for n in range(7):
        make_org(db, name_en=f"Paged Org {n}")
    first = queries.search(db, "paged", size=3)
    assert first.total == 7 and first.pages == 3 and names(first) == ["Paged Org 0", "Paged Org 1", "Paged Org 2"]
    assert names(queries.search(db, "paged", page=3, size=3)) == ["Paged Org 6"]
    beyond = queries.search(db, "paged", page=99, size=3)
    assert beyond.page == 3 and names(beyond) == ["Paged Org 6"]


def test_the_index_follows_renames_and_identifier_changes(db: Session, cast: Cast) -> None:
    org = services.create_organisation(db, org_input(name_en="Old Name KK", identifiers={
        "jp_corporate_number": "1180301018771"}), actor=cast.meti_officer.actor())
    services.update_organisation(db, org.id, org_input(name_en="Fresh Name KK"), expected_version=1,
                                 actor=cast.meti_officer.actor())
    assert names(queries.search(db, "fresh")) == ["Fresh Name KK"]
    assert queries.search(db, "old name").total == 0
    assert queries.search(db, "1180301018771").total == 0
    grams = set(db.scalars(select(SearchGram.gram).where(SearchGram.org_id == org.id)))
    assert grams == bigrams(fold("Fresh Name KK")) | bigrams(fold("Kyoto"))


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_query_lists_everything_by_name(db: Session, cast: Cast, query: str) -> None:
    page = queries.search(db, query, size=200)
    assert names(page) == sorted(names(page), key=fold) and page.total >= 3


def test_numbers_too_common_for_bigrams_are_found_by_the_start_of_an_identifier(
    db: Session, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(search_plan, "SELECTIVE", 0)  # as if every digit pair were in thousands of organisations
    org = make_org(db, identifiers={"jp_corporate_number": "1180301018771"})
    make_org(db, identifiers={"jp_corporate_number": "7000012050002"})
    assert [o.id for o in queries.search(db, "11803010").items] == [org.id]
    assert [o.id for o in queries.search(db, "1180301018771").items] == [org.id]
    assert queries.search(db, "80301018").total == 0  # not the start of an identifier: documented limit


def test_a_common_gram_is_intersected_only_when_it_removes_enough_candidates() -> None:
    counts = {"os": 9_400, "sa": 21_500, "at": 52_600}
    assert search_plan.worth_intersecting(["os", "sa", "at"], counts, 100_000) == ["os", "sa"]
    assert search_plan.worth_intersecting(["os", "sa", "at"], {"os": 10, "sa": 50_000, "at": 60_000}, 100_000) == ["os"]


def test_area_counts_count_each_organisation_once_per_area_and_country(db: Session) -> None:
    before = queries.area_counts(db)
    make_org(db, country="JP", sectors=("semi.fab", "semi.display", "ai.models"))
    make_org(db, country="IN", sectors=("ai.models",))
    after = queries.area_counts(db)

    def grew(area: str, country: str) -> int:
        return after.get(area, {}).get(country, 0) - before.get(area, {}).get(country, 0)

    assert (grew("semiconductors", "JP"), grew("ai", "JP"), grew("ai", "IN"), grew("dpi", "IN")) == (1, 1, 1, 0)
