"""HTTP tests of the consultation and training pages: the whole consultation journey through forms, and training."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.governance.consultations.models import Meeting
from kakehashi.governance.training import services as training
from kakehashi.kernel.clock import IST, utcnow
from tests.fixtures.actors import Cast
from tests.governance.conftest import first_of


def test_a_consultation_goes_from_form_to_minutes_approved_by_both(db: Session, cast: Cast, moc: list, login) -> None:
    packaging = first_of(moc, "semiconductors")
    client = login(cast.meity_officer)
    starts = utcnow().astimezone(IST) - dt.timedelta(minutes=10)
    response = client.post_form("/governance/consultations", {
        "title": "JWG video call", "mode": "video", "video_url": "https://meet.example.org/jwg",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "ends_at": (starts + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "zone": "Asia/Kolkata", "attendees": "meti@example.jp", "agenda": f"Packaging research|{packaging.id}\nAOB"})
    assert response.status_code == 303
    meeting = db.scalar(select(Meeting).where(Meeting.title == "JWG video call"))
    url = f"/governance/consultations/{meeting.id}"
    page = client.get(url)
    assert page.status_code == 200 and "JST" in page.text and "IST" in page.text and "Packaging research" in page.text

    steps = [
        ("/attendance", {"attended": [str(cast.meti_officer.id), str(cast.meity_officer.id)]}),
        ("/decisions", {"text": "Exchange researchers.", "decision_commitment_id": str(packaging.id)}),
        ("/actions", {"title": "Share the roadmap", "owner_email": "meti@example.jp", "due_on": "2026-12-15",
                      "commitment_id": str(packaging.id)}),
        ("/minutes", {"language": "en", "body": "Both sides reviewed the research."}),
        ("/minutes/submit", {}),
        ("/minutes/sign", {}),
    ]
    for path, data in steps:
        assert client.post_form(url + path, data).status_code == 303, path
    page = client.get(url)
    assert "Both sides attended" in page.text and "Awaiting signatures" in page.text

    client.cookies.clear()
    meti = login(cast.meti_officer)
    assert meti.post_form(url + "/minutes/sign").status_code == 303
    assert "Approved by both sides" in meti.get(url).text
    assert "Share the roadmap" in meti.get("/governance/todo").text
    assert "Share the roadmap" in meti.get(f"/governance/commitments/{packaging.id}").text
    assert meti.get(f"{url}.ics").content.startswith(b"BEGIN:VCALENDAR")


def test_a_bad_consultation_form_names_each_problem(db: Session, cast: Cast, moc: list, login) -> None:
    db.commit()
    response = login(cast.meity_officer).post_form("/governance/consultations", {
        "title": "Bad", "mode": "physical", "venue": "", "starts_at": "2026-05-01T10:00", "ends_at": "2026-05-01T09:00",
        "zone": "Asia/Tokyo", "attendees": "nobody@nowhere.example"})
    assert response.status_code == 422
    assert "No account has this e-mail: nobody@nowhere.example" in response.text


def test_a_visitor_sees_the_public_catalogue_and_can_verify_a_certificate(db: Session, cast: Cast, client) -> None:
    starts = utcnow() + dt.timedelta(days=20)
    course = training.create_course(db, training.CourseFields(
        topic="dpi", kind="seminar", title="Consent managers", title_ja="同意管理", mode="video", starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2), capacity=10, video_url="https://meet.example.org/dpi"),
        actor=cast.meti_officer.actor(), now=utcnow())
    assert "Consent managers" in client.get("/governance/training").text
    assert client.get(f"/governance/training/{course.id}").status_code == 200
    checked = client.get("/governance/certificates?code=KKH-NOPE-NOPE-NOPE")
    assert checked.status_code == 404 and "No valid certificate has this code." in checked.text


def test_a_person_registers_then_gets_a_certificate_they_can_download(db: Session, cast: Cast, login) -> None:
    starts = utcnow() + dt.timedelta(days=20)
    course = training.create_course(db, training.CourseFields(
        topic="ai", kind="workshop", title="Red-teaming AI", mode="physical", venue="IISc", starts_at=starts,
        ends_at=starts + dt.timedelta(hours=4), capacity=1), actor=cast.meti_officer.actor(), now=utcnow())
    client = login(cast.in_org_member)
    assert client.post_form(f"/governance/training/{course.id}/register").status_code == 303
    assert "You have a seat" in client.get(f"/governance/training/{course.id}").text
    training.record_attendance(db, course.id, {cast.in_org_member.id}, actor=cast.meti_officer.actor(), now=starts)
    certificate = training.issue_certificates(db, course.id, actor=cast.meti_officer.actor(), now=starts)[0]
    assert certificate.code in client.get("/governance/training/mine").text
    pdf = client.get(f"/governance/certificates/{certificate.code}.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(f"/api/v1/governance/certificates/{certificate.code}").json()["holder"] == "Silicon Member"
