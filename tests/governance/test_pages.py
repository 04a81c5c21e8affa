"""HTTP tests of the governance pages and API: permissions, forms with errors, locking, charts, feeds, exports."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kakehashi.governance.consultations import services as consultations
from kakehashi.governance.register.models import Activity
from tests.fixtures.actors import Cast
from tests.governance.conftest import first_of
from tests.governance.factories import make_activity


def test_the_dashboard_shows_the_eight_areas_to_a_signed_in_person(db: Session, cast: Cast, moc: list, login) -> None:
    make_activity(db, cast.meti_officer.actor(), first_of(moc, "ai").id, progress=60, title="AI safety evaluation study")
    client = login(cast.in_org_member)
    page = client.get("/governance")
    assert page.status_code == 200
    assert "Security for future networks" in page.text
    assert 'id="overall-progress"' in page.text


def test_the_dashboard_asks_visitors_to_sign_in(client, moc: list) -> None:
    assert client.get("/governance").status_code == 303


def test_the_dashboard_speaks_japanese(db: Session, cast: Cast, moc: list, login) -> None:
    page = login(cast.meti_officer).get("/governance?lang=ja")
    assert "人工知能" in page.text


def test_charts_are_svg_images_labelled_in_the_viewers_language(db: Session, cast: Cast, moc: list, login) -> None:
    make_activity(db, cast.meti_officer.actor(), first_of(moc, "dpi").id, progress=30)
    client = login(cast.meti_officer)
    for name in ("progress", "status", "overdue", "spending"):
        response = client.get(f"/governance/charts/{name}.svg?area=dpi")
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/svg+xml"
        assert response.content.startswith(b"<?xml")
    assert client.get("/governance/charts/nonsense.svg").status_code == 404
    assert client.get("/governance/charts/status.svg?area=moon").status_code == 404


def test_an_officer_creates_an_activity_through_the_form(db: Session, cast: Cast, moc: list, login) -> None:
    client = login(cast.meity_officer)
    commitment = first_of(moc, "talent")
    response = client.post_form("/governance/activities", {
        "commitment_id": str(commitment.id), "kind": "programme", "title": "Semiconductor skills programme",
        "title_ja": "半導体スキルプログラム", "status": "limited", "progress": "20", "weight": "2",
        "owners": "IN:MEITY, JP:METI", "start_on": "2026-01-01", "end_on": "2026-12-31",
    })
    assert response.status_code == 303
    activity = db.scalar(select(Activity).where(Activity.title == "Semiconductor skills programme"))
    assert activity.weight == D("2.00")
    assert client.get(response.headers["location"]).status_code == 200


def test_a_bad_form_shows_each_message_and_saves_nothing(db: Session, cast: Cast, moc: list, login) -> None:
    client = login(cast.meity_officer)
    db.commit()
    response = client.post_form("/governance/activities", {
        "commitment_id": str(moc[0].id), "kind": "study", "title": "Dates wrong", "status": "complete", "progress": "40",
        "start_on": "2026-05-01", "end_on": "2026-04-01", "weight": "1",
    })
    assert response.status_code == 422
    assert "The end date is before the start date." in response.text
    assert "A complete activity is at 100%." in response.text
    assert db.scalar(select(func.count()).select_from(Activity)) == 0


def test_a_form_without_the_csrf_token_is_refused(db: Session, cast: Cast, moc: list, login) -> None:
    client = login(cast.meity_officer)
    response = client.post("/governance/activities", data={"commitment_id": str(moc[0].id), "kind": "study", "title": "x"})
    assert response.status_code == 403


def test_a_stale_edit_form_is_refused_with_a_clear_message_and_the_other_save_shown(db: Session, cast: Cast, moc: list,
                                                                                     login) -> None:
    activity = make_activity(db, cast.meti_officer.actor(), moc[0].id, progress=10, title="Original title")
    db.commit()  # the page rolls back its own failed write; keep the set-up (a savepoint in tests)
    client = login(cast.meity_officer)
    form = {"commitment_id": str(moc[0].id), "kind": "initiative", "status": "limited", "progress": "10", "weight": "1",
            "version": str(activity.version)}
    assert client.post_form(f"/governance/activities/{activity.id}/edit", {**form, "title": "First save"}).status_code == 303
    second = client.post_form(f"/governance/activities/{activity.id}/edit", {**form, "title": "Second save"})
    assert second.status_code == 409
    assert "Someone else saved this activity after you opened it." in second.text
    assert "First save" in second.text  # what the other officer saved
    assert 'value="Second save"' in second.text  # this officer's text is kept in the form


def test_an_organisation_member_cannot_open_the_activity_form(db: Session, cast: Cast, moc: list, login) -> None:
    assert login(cast.in_org_member).get(f"/governance/activities/new?commitment_id={moc[0].id}").status_code == 403


def test_each_side_sees_only_its_own_costs_on_the_activity_page(db: Session, cast: Cast, moc: list, login) -> None:
    activity = make_activity(db, cast.meti_officer.actor(), moc[0].id, progress=10)
    client = login(cast.meti_officer)
    assert client.post_form(f"/governance/activities/{activity.id}/costs", {
        "side": "JP", "kind": "actual", "currency": "JPY", "amount": "1234567", "incurred_on": "2026-02-01",
        "description": "Tokyo venue hire"}).status_code == 303
    mine = client.get(f"/governance/activities/{activity.id}")
    assert "Tokyo venue hire" in mine.text and "1,234,567" in mine.text
    client.cookies.clear()
    theirs = login(cast.meity_officer).get(f"/governance/activities/{activity.id}")
    assert "Tokyo venue hire" not in theirs.text


def test_a_cost_with_wrong_precision_is_shown_as_a_field_error(db: Session, cast: Cast, moc: list, login) -> None:
    activity = make_activity(db, cast.meti_officer.actor(), moc[0].id, progress=10)
    db.commit()  # the page rolls back its own failed write; keep the set-up (a savepoint in tests)
    response = login(cast.meti_officer).post_form(f"/governance/activities/{activity.id}/costs", {
        "side": "JP", "kind": "actual", "currency": "JPY", "amount": "100.50", "incurred_on": "2026-02-01"})
    assert response.status_code == 422
    assert "Yen amounts have no decimals." in response.text


def test_the_calendar_feed_is_icalendar(db: Session, cast: Cast, moc: list, login) -> None:
    start = dt.datetime(2026, 6, 1, 4, 30, tzinfo=dt.UTC)
    consultations.schedule_meeting(db, consultations.MeetingFields(
        title="JWG 5", mode="video", starts_at=start, ends_at=start + dt.timedelta(hours=1),
        video_url="https://meet.example.org/5"), attendee_ids=[], actor=cast.meity_officer.actor(), now=start)
    response = login(cast.meti_officer).get("/governance/consultations.ics")
    assert response.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content and b"SUMMARY:JWG 5" in response.content


def test_the_register_exports_as_csv_and_xlsx(db: Session, cast: Cast, moc: list, login) -> None:
    make_activity(db, cast.meti_officer.actor(), first_of(moc, "rnd").id, progress=50, title="Quantum exchange",
                  title_ja="量子交流")
    client = login(cast.meti_officer)
    csv_text = client.get("/governance/export.csv").content.decode("utf-8-sig")
    assert "Quantum exchange" in csv_text and "量子交流" in csv_text
    assert len(csv_text.strip().splitlines()) == 1 + 39  # one line per commitment, this one with its single activity
    book = load_workbook(io.BytesIO(client.get("/governance/export.xlsx").content))
    titles = [row[8] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert "Quantum exchange" in titles


def test_the_public_view_shows_only_what_officers_mark_public(db: Session, cast: Cast, moc: list, client) -> None:
    make_activity(db, cast.meti_officer.actor(), moc[0].id, progress=20, title="Open packaging roadmap", is_public=True)
    hidden = make_activity(db, cast.meti_officer.actor(), moc[0].id, progress=20, title="Internal negotiation")
    page = client.get("/public/governance")
    assert page.status_code == 200
    assert "Open packaging roadmap" in page.text and "Internal negotiation" not in page.text
    assert client.get(f"/public/governance/activities/{hidden.id}").status_code == 404
    assert client.get("/public/governance/charts/spending.svg").status_code == 404


def test_the_api_rolls_up_and_refuses_stale_versions(db: Session, cast: Cast, moc: list, bearer, client) -> None:
    headers = bearer(cast.meity_officer)
    created = client.post("/api/v1/governance/activities", headers=headers, json={
        "commitment_id": moc[0].id, "kind": "pilot", "title": "Pilot line", "status": "substantial", "progress": 60,
        "weight": "1.5"})
    assert created.status_code == 201
    body = created.json()
    assert body["weight"] == "1.50" and body["rolled_up_progress"] == "60.00"
    edit = {k: body[k] for k in ("commitment_id", "kind", "title", "status", "progress", "weight", "version")}
    assert client.put(f"/api/v1/governance/activities/{body['id']}", headers=headers, json=edit).status_code == 200
    stale = client.put(f"/api/v1/governance/activities/{body['id']}", headers=headers, json=edit)
    assert stale.status_code == 409 and stale.headers["content-type"] == "application/problem+json"
    progress = client.get("/api/v1/governance/progress", headers=headers).json()
    assert progress["commitments"][0]["progress"] == "60.00"


def test_the_api_names_the_field_of_a_refused_activity(db: Session, cast: Cast, moc: list, bearer, client) -> None:
    response = client.post("/api/v1/governance/activities", headers=bearer(cast.meity_officer), json={
        "commitment_id": moc[0].id, "kind": "pilot", "title": "Zero", "weight": "0"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "weight"


def test_every_page_renders_in_japanese(db: Session, cast: Cast, moc: list, login) -> None:
    activity = make_activity(db, cast.meti_officer.actor(), first_of(moc, "ai").id, progress=40, title="AI study",
                             title_ja="AI調査", is_public=True)
    start = dt.datetime(2026, 6, 1, 4, 30, tzinfo=dt.UTC)
    meeting = consultations.schedule_meeting(db, consultations.MeetingFields(
        title="JWG", title_ja="合同作業部会", mode="hybrid", venue="Tokyo", starts_at=start,
        ends_at=start + dt.timedelta(hours=1), video_url="https://meet.example.org/5"), attendee_ids=[],
        actor=cast.meity_officer.actor(), now=start)
    client = login(cast.meti_officer)
    pages = ["/governance", "/governance/areas/ai", f"/governance/commitments/{activity.commitment_id}",
             f"/governance/activities/{activity.id}", f"/governance/activities/{activity.id}/edit",
             f"/governance/activities/new?commitment_id={activity.commitment_id}", "/governance/consultations",
             "/governance/consultations/new", f"/governance/consultations/{meeting.id}", "/governance/todo",
             "/governance/training", "/governance/training/new", "/governance/training/mine", "/governance/funding",
             "/governance/certificates", "/public/governance", f"/public/governance/activities/{activity.id}"]
    for path in pages:
        response = client.get(path + ("&" if "?" in path else "?") + "lang=ja")
        assert response.status_code == 200, path
        assert 'lang="ja"' in response.text
    assert "進捗" in client.get("/governance?lang=ja").text


def test_the_report_button_downloads_the_years_pdf(db: Session, cast: Cast, moc: list, login) -> None:
    client = login(cast.meity_officer)
    response = client.get("/governance/report/2026.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert client.get("/governance/report/1999.pdf").status_code == 404
