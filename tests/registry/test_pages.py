"""Registry pages: list and search, the form with field errors, detail, verification, CSV import/export."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from kakehashi.registry import queries
from tests.factories.registry import make_org
from tests.fixtures.actors import Cast
from tests.fixtures.web import WebClient

VALID = {"kind": "company", "name_en": "Kumamoto Wafer Works KK", "name_ja": "熊本ウエハーワークス株式会社",
         "country": "JP", "city": "Kikuyo", "sectors": ["semi.materials", "semi.equipment"],
         "identifiers.jp_corporate_number": "1180301018771", "contacts.email": "hello@wafer.example"}


def test_signed_out_visitors_are_sent_to_sign_in(client: WebClient) -> None:
    response = client.get("/organisations?q=sakura")
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")


def test_the_list_shows_organisations_with_filters_and_search(db: Session, cast: Cast, login: Any) -> None:
    client = login(cast.in_org_member)
    page = client.get("/organisations")
    assert page.status_code == 200 and "Sakura Devices KK" in page.text and "Bengaluru Silicon Pvt Ltd" in page.text
    found = client.get("/organisations", params={"q": "デバイス", "lang": "ja"})
    assert "さくらデバイス株式会社" in found.text and "Bengaluru Silicon" not in found.text
    assert client.get("/organisations", params={"country": "IN"}).text.count("Sakura Devices KK") == 0


def test_an_htmx_search_gets_only_the_results(db: Session, cast: Cast, login: Any) -> None:
    response = login(cast.in_org_member).get("/organisations?q=silicon", headers={"HX-Request": "true"})
    assert "Bengaluru Silicon Pvt Ltd" in response.text and "<html" not in response.text


def test_an_empty_search_says_what_to_do(db: Session, cast: Cast, login: Any) -> None:
    response = login(cast.in_org_member).get("/organisations?q=zzqqxx")
    assert "Nothing matches" in response.text and "Clear the filters" in response.text


def test_past_the_cap_the_count_says_how_many_at_least_in_english_and_japanese(
    db: Session, cast: Cast, login: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(queries, "RESULT_CAP", 1000)
    client = login(cast.in_org_member)
    for n in range(3):
        make_org(db, name_en=f"Manyhits Org {n}")
    assert "3 organisations" in client.get("/organisations?q=manyhits").text
    monkeypatch.setattr(queries, "RESULT_CAP", 2)
    english = client.get("/organisations?q=manyhits&lang=en").text
    assert "2+ organisations" in english and "Showing the first 2 found" in english
    japanese = client.get("/organisations?q=manyhits&lang=ja").text
    assert "2 件以上の組織" in japanese and "最初の 2 件" in japanese


def test_registering_with_a_valid_corporate_number_shows_the_new_organisation(db: Session, cast: Cast,
                                                                              login: Any) -> None:
    client = login(cast.jp_org_admin)
    response = client.post_form("/organisations/new", VALID)
    assert response.status_code == 303
    detail = client.get(response.headers["location"])
    assert "熊本ウエハーワークス株式会社" in detail.text and "1180301018771" in detail.text
    assert "Not verified yet" in detail.text


def test_an_invalid_corporate_number_is_named_and_nothing_typed_is_lost(db: Session, cast: Cast, login: Any) -> None:
    client = login(cast.jp_org_admin)
    response = client.post_form("/organisations/new", {**VALID, "identifiers.jp_corporate_number": "1180301018772",
                                                        "offers": "Wafers <b>and</b> more"})
    assert response.status_code == 422
    assert "The check digit (first digit) of this Corporate Number does not match" in response.text
    assert 'aria-invalid="true" aria-describedby="e-identifiers.jp_corporate_number"' in response.text
    assert 'value="熊本ウエハーワークス株式会社"' in response.text and 'value="1180301018772"' in response.text
    assert "Wafers &lt;b&gt;and&lt;/b&gt; more" in response.text
    assert 'value="semi.materials" checked' in response.text
    assert queries.find_by_name(db, VALID["name_en"]) is None


def test_field_errors_are_shown_in_japanese(db: Session, cast: Cast, login: Any) -> None:
    response = login(cast.jp_org_admin).post_form("/organisations/new?lang=ja", {**VALID, "name_en": ""})
    assert "英語" in response.text and response.status_code == 422


def test_a_duplicate_identifier_links_to_the_registered_organisation(db: Session, cast: Cast, login: Any) -> None:
    holder = make_org(db, identifiers={"jp_corporate_number": "1180301018771"})
    response = login(cast.jp_org_admin).post_form("/organisations/new", VALID)
    assert response.status_code == 409 and f'href="/organisations/{holder.id}"' in response.text


def test_html_in_a_name_is_shown_as_text(db: Session, cast: Cast, login: Any) -> None:
    org = make_org(db, name_en="<script>alert(1)</script> KK")
    page = login(cast.in_org_member).get(f"/organisations/{org.id}")
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt; KK" in page.text


def test_the_right_officer_sees_and_uses_the_verify_button(db: Session, cast: Cast, login: Any) -> None:
    client = login(cast.meti_officer)
    page = client.get(f"/organisations/{cast.jp_org.id}")
    assert "Verify this organisation" in page.text
    response = client.post_form(f"/organisations/{cast.jp_org.id}/verify")
    assert response.status_code == 303
    page = client.get(f"/organisations/{cast.jp_org.id}")
    assert "by METI Officer on" in page.text and "JST" in page.text and "IST" in page.text


def test_the_other_sides_officer_gets_no_button_and_a_refusal(db: Session, cast: Cast, login: Any) -> None:
    client = login(cast.meity_officer)
    page = client.get(f"/organisations/{cast.jp_org.id}")
    assert "Verify this organisation" not in page.text and "Only an officer of Japan may verify" in page.text
    assert client.post_form(f"/organisations/{cast.jp_org.id}/verify").status_code == 403
    db.refresh(cast.jp_org)
    assert not cast.jp_org.is_verified


def test_editing_with_a_stale_version_keeps_the_edits_and_explains(db: Session, cast: Cast, login: Any) -> None:
    client = login(cast.jp_org_admin)
    form = client.get(f"/organisations/{cast.jp_org.id}/edit")
    assert 'name="version" value="1"' in form.text
    edited = {**VALID, "name_en": "Sakura Devices Holdings KK", "identifiers.jp_corporate_number": ""}
    assert client.post_form(f"/organisations/{cast.jp_org.id}/edit", {**edited, "version": "1"}).status_code == 303
    stale = client.post_form(f"/organisations/{cast.jp_org.id}/edit", {**edited, "name_en": "Lost KK", "version": "1"})
    assert stale.status_code == 409 and "Someone else changed this organisation" in stale.text
    assert 'value="Lost KK"' in stale.text


def test_an_officer_imports_a_csv_and_every_bad_row_is_reported_by_line(db: Session, cast: Cast, login: Any) -> None:
    body = ("kind,name_en,country,sectors,jp_corporate_number\n"
            "company,CSV Good KK,JP,semi.fab,7000012050002\n"
            "company,CSV Bad KK,JP,semi.fab,7000012050003\n")
    client = login(cast.meti_officer)
    response = client.post("/organisations/import", data={"mode": "good-rows", "csrf_token": client.csrf()},
                           files={"file": ("orgs.csv", body.encode(), "text/csv")})
    assert response.status_code == 200
    assert "2 rows read, 1 organisations imported, 1 rows refused" in response.text
    assert "<td>3</td><td>jp_corporate_number</td>" in response.text
    assert queries.find_by_name(db, "CSV Good KK") is not None


def test_an_oversized_upload_is_refused_with_a_message(db: Session, cast: Cast, login: Any, app: Any) -> None:
    app.state.settings = app.state.settings.model_copy(update={"csv_import_max_bytes": 1024})
    client = login(cast.meti_officer)
    body = "kind,name_en,country\n" + "company,X,JP\n" * 200
    response = client.post("/organisations/import", data={"csrf_token": client.csrf()},
                           files={"file": ("big.csv", body.encode(), "text/csv")})
    assert response.status_code == 422 and "larger than the import limit" in response.text


def test_org_members_may_not_import_or_export(db: Session, cast: Cast, login: Any) -> None:
    client = login(cast.in_org_member)
    assert client.get("/organisations/import").status_code == 403
    assert client.get("/organisations/export.csv").status_code == 403


def test_an_officer_downloads_the_registry_as_csv(db: Session, cast: Cast, login: Any) -> None:
    response = login(cast.meity_officer).get("/organisations/export.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines()[0].startswith("id,verified_at,kind,name_en")
    assert "Sakura Devices KK" in response.text
