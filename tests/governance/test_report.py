"""The yearly bilingual PDF report: Japanese is really rendered (fonts embedded, text present, glyph pixels drawn)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from kakehashi.governance.consultations import minutes
from kakehashi.governance.consultations import services as consultations
from kakehashi.governance.dashboard import report
from kakehashi.governance.training.certificates import render_pdf as certificate_pdf
from kakehashi.governance.training.models import Certificate
from kakehashi.kernel.authz import SYSTEM
from tests.fixtures.actors import Cast
from tests.governance.conftest import first_of
from tests.governance.factories import make_activity

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def pdf(db: Session, cast: Cast, moc: list, tmp_path: Path) -> Path:
    make_activity(db, cast.meti_officer.actor(), first_of(moc, "ai").id, progress=60, title="AI safety evaluation study",
                  title_ja="AI安全性評価の共同研究")
    start = dt.datetime(2026, 7, 7, 4, 30, tzinfo=dt.UTC)
    meeting = consultations.schedule_meeting(db, consultations.MeetingFields(
        title="Seventh JWG", title_ja="第7回合同作業部会", mode="video", starts_at=start,
        ends_at=start + dt.timedelta(hours=2), video_url="https://meet.example.org/7"),
        attendee_ids=[cast.meti_officer.id], actor=cast.meity_officer.actor(), now=start)
    consultations.record_attendance(db, meeting.id, {cast.meti_officer.id, cast.meity_officer.id},
                                    actor=cast.meity_officer.actor(), now=start + dt.timedelta(hours=2))
    consultations.record_decision(db, meeting.id, text="Start the joint AI evaluation study.",
                                  text_ja="AI評価の共同研究を開始する。", actor=cast.meity_officer.actor())
    minutes.draft_minutes(db, meeting.id, language="ja", body="議事録", expected_version=None,
                          actor=cast.meti_officer.actor(), now=start)
    path = tmp_path / "report.pdf"
    path.write_bytes(report.render_pdf(db, 2026, actor=SYSTEM, today=TODAY))
    return path


def test_the_report_embeds_a_japanese_font_and_holds_the_japanese_text(pdf: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "IPAGothic" in fonts
    ipa = [line for line in fonts.splitlines() if "IPAGothic" in line]
    assert all(" yes " in line for line in ipa)  # embedded
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for phrase in ("進捗報告書", "人工知能", "AI評価の共同研究を開始する。", "第7回合同作業部会", "Progress report 2026"):
        assert phrase in text


def test_the_first_page_rendered_to_png_shows_japanese_glyphs(pdf: Path, tmp_path: Path) -> None:
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "72", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    # where is the Japanese title? pdftotext -bbox gives its box in points (72 dpi = pixels here)
    boxes = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    line = next(row for row in boxes.splitlines() if "進捗報告書" in row)
    attrs = dict(part.split("=", 1) for part in line.split(">")[0].split()[1:])
    box = tuple(round(float(attrs[k].strip('"'))) for k in ("xMin", "yMin", "xMax", "yMax"))
    region = image.crop(box)
    dark = sum(region.histogram()[:128])  # pixels darker than mid-grey
    assert dark > 0.05 * region.width * region.height  # glyphs drawn, not blank boxes or nothing
    blank = image.crop((box[0], image.height - 60, box[2], image.height - 40))
    assert sum(blank.histogram()[:128]) < dark  # and the check can tell ink from paper


def test_the_report_of_a_year_without_anything_still_renders(db: Session, moc: list) -> None:
    assert report.render_pdf(db, 2025, actor=SYSTEM, today=TODAY).startswith(b"%PDF")


def test_a_certificate_pdf_carries_its_code_and_the_japanese_course_title(tmp_path: Path) -> None:
    certificate = Certificate(code="KKH-ABCD-EFGH-JKLM", registration_id=1, holder_name="Priya Sharma",
                              course_title="Incident response", course_title_ja="インシデント対応",
                              held_on=dt.datetime(2026, 4, 6, 3, 30, tzinfo=dt.UTC),
                              issued_at=dt.datetime(2026, 4, 7, tzinfo=dt.UTC))
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate_pdf(certificate, verify_url="https://k.example/governance/certificates?code=KKH-ABCD-EFGH-JKLM"))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "KKH-ABCD-EFGH-JKLM" in text and "インシデント対応" in text and "Priya Sharma" in text
