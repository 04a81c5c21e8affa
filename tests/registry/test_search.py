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


def test_a_probe_is_made_for_grams_unlike_to_occur_together_and_only_when_it_removes_enough() -> None:
    counts = {"ch": 33_780, "hi": 28_611, "ip": 4_141, "de": 23_650, "es": 25_640, "si": 11_737, "ig": 4_506,
              "gn": 3_012, "pu": 10_527, "un": 12_650, "ne": 14_469}
    # "gn" is rarest: the rarest gram of "chip", then of "design" the rarest not overlapping "gn" ("ig" does)
    assert search_plan.worth_probing("gn", ["chip", "design"], counts, 100_000) == ["ip", "si"]
    assert search_plan.worth_probing("pu", ["pune"], counts, 100_000) == ["ne"]  # "un" overlaps "pu"
    assert search_plan.worth_probing("pu", ["pun"], counts, 100_000) == []
    # a gram in most documents removes too few candidates to pay for the probe
    assert search_plan.worth_probing("pu", ["pune"], {**counts, "ne": 90_000}, 100_000) == []


def test_candidates_are_read_in_id_order_from_the_rarest_posting_list(db: Session) -> None:
    first, second = make_org(db, name_en="Zeta Kikaku Rare"), make_org(db, name_en="Alpha Kikaku Rare")
    found = search_plan.candidates(db, ["kikaku"])
    assert found is not None and not found.is_every_document
    ids = list(db.scalars(select(found.key).select_from(found.source).where(*found.conditions)
                          .order_by(found.key)))
    assert [first.id, second.id] == [i for i in ids if i in (first.id, second.id)]
    assert search_plan.candidates(db, ["zzqx"]) is None
    every = search_plan.candidates(db, ["蓮"])
    assert every is not None and every.is_every_document


def test_past_the_cap_the_total_is_a_lower_bound_and_the_first_matches_found_are_paged_best_first(
    db: Session, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(queries, "RESULT_CAP", 5)
    made = [make_org(db, name_en=f"{letter} Capword Org") for letter in "HGFEDCB"]  # ids ascend, names descend
    best = make_org(db, name_en="Capword First")  # starts with the word, but found after the cap: not shown
    page = queries.search(db, "capword", size=2)
    assert (page.total, page.total_is_lower_bound, page.pages) == (5, True, 3)
    window = sorted(made[:5], key=lambda org: org.name_en)  # the first five found, by name
    pages = [queries.search(db, "capword", page=n, size=2) for n in (1, 2, 3)]
    assert [org.id for p in pages for org in p.items] == [org.id for org in window]
    assert all(p.total_is_lower_bound and p.total == 5 for p in pages)
    beyond = queries.search(db, "capword", page=9, size=2)
    assert beyond.page == 3 and [org.id for org in beyond.items] == [window[4].id]
    assert best.id not in {org.id for p in pages for org in p.items}
    # narrowed to five or fewer, the count is exact again and the best match ranks first
    narrowed = queries.search(db, "capword first")
    assert (narrowed.total, narrowed.total_is_lower_bound, names(narrowed)) == (1, False, ["Capword First"])
    monkeypatch.setattr(queries, "RESULT_CAP", 8)
    exact = queries.search(db, "capword", size=20)
    assert (exact.total, exact.total_is_lower_bound) == (8, False)
    assert names(exact)[0] == "Capword First" and names(exact)[1:] == sorted(org.name_en for org in made)


def test_a_filter_applies_before_the_cap(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "RESULT_CAP", 3)
    for n in range(4):
        make_org(db, name_en=f"Filtercap JP {n}", country="JP")
    indian = [make_org(db, name_en=f"Filtercap IN {n}", country="IN") for n in range(2)]
    page = queries.search(db, "filtercap", country="IN")
    assert (page.total, page.total_is_lower_bound) == (2, False)
    assert [org.id for org in page.items] == [org.id for org in indian]


def test_list_pages_from_either_end_cover_every_organisation_once_in_name_order(db: Session, cast: Cast) -> None:
    for n in range(5):
        make_org(db, name_en=f"Lister {n}", country="IN", kind="investor")
    everything = queries.search(db, "", size=200)
    assert everything.total <= 200
    paged = [queries.search(db, "", page=n, size=3) for n in range(1, -(-everything.total // 3) + 1)]
    assert [org.id for p in paged for org in p.items] == [org.id for org in everything.items]
    investors = [queries.search(db, "", kind="investor", country="IN", page=n, size=2) for n in (1, 2, 3, 4)]
    assert [len(p.items) for p in investors][:3] == [2, 2, 1] and investors[3].page == 3
    assert [org.name_en for p in investors[:3] for org in p.items] == [f"Lister {n}" for n in range(5)]


def test_area_counts_count_each_organisation_once_per_area_and_country(db: Session) -> None:
    before = queries.area_counts(db)
    make_org(db, country="JP", sectors=("semi.fab", "semi.display", "ai.models"))
    make_org(db, country="IN", sectors=("ai.models",))
    after = queries.area_counts(db)

    def grew(area: str, country: str) -> int:
        return after.get(area, {}).get(country, 0) - before.get(area, {}).get(country, 0)

    assert (grew("semiconductors", "JP"), grew("ai", "JP"), grew("ai", "IN"), grew("dpi", "IN")) == (1, 1, 1, 0)
