"""Demo training: courses, workshops and seminars on the four themes; past ones with attendance and certificates,
upcoming ones with registrations (one full, with a waiting list)."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from kakehashi.governance.demo.people import Cast
from kakehashi.governance.training import services
from kakehashi.kernel.clock import utcnow

COURSES = (
    ("semiconductor_workforce", "training", "Cleanroom operations for fab technicians", "ファブ技術者のためのクリーンルーム運用",
     "physical", "IIT Madras Research Park, Chennai", "2025-11-10T03:30", 6, 24),
    ("ai", "workshop", "Evaluating large language models for safety", "大規模言語モデルの安全性評価", "video", None,
     "2025-12-03T05:00", 3, 40),
    ("cybersecurity", "training", "Incident response for CERT teams", "CERTチームのためのインシデント対応", "physical",
     "JPCERT/CC, Tokyo", "2026-01-26T00:30", 7, 20),
    ("dpi", "seminar", "Consent managers and data sharing", "同意管理とデータ共有", "hybrid", "Digital Agency, Tokyo",
     "2026-02-18T05:30", 2, 60),
    ("semiconductor_workforce", "workshop", "Advanced packaging design basics", "先端パッケージング設計の基礎", "physical",
     "AIST Tsukuba", "2026-04-20T01:00", 6, 18),
    ("ai", "seminar", "AI governance frameworks compared", "AIガバナンス枠組みの比較", "video", None,
     "2026-06-09T06:00", 2, 80),
    ("cybersecurity", "workshop", "Threat intelligence sharing with STIX and TAXII", "STIX/TAXIIによる脅威情報共有",
     "video", None, "2026-08-25T05:30", 4, 30),
    ("dpi", "training", "Digital payments interoperability", "デジタル決済の相互運用性", "physical", "NPCI, Mumbai",
     "2026-10-06T04:00", 6, 25),
    ("semiconductor_workforce", "training", "Semiconductor equipment maintenance", "半導体製造装置の保守",
     "physical", "Dholera, Gujarat", "2027-01-12T03:30", 6, 16),
    ("ai", "workshop", "Red-teaming AI systems", "AIシステムのレッドチーミング", "hybrid", "IISc Bengaluru",
     "2027-02-02T04:30", 5, 3),
    ("cybersecurity", "seminar", "IoT security conformity assessment", "IoTセキュリティの適合性評価", "video", None,
     "2027-02-24T05:00", 2, 100),
    ("dpi", "workshop", "DPI in third countries: lessons learnt", "第三国におけるDPI：教訓", "video", None,
     "2027-03-10T05:30", 3, 50),
)


def load(session: Session, cast: Cast, rng: random.Random) -> None:
    """Create the courses; register demo people; record attendance and issue certificates for past ones."""
    now = utcnow()
    organiser = cast.actor("meti")
    for topic, kind, title, title_ja, mode, venue, when, hours, capacity in COURSES:
        starts = dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC)
        course = services.create_course(session, services.CourseFields(
            topic=topic, kind=kind, title=title, title_ja=title_ja, mode=mode, venue=venue,
            video_url="https://meet.demo.example/training" if mode != "physical" else None, starts_at=starts,
            ends_at=starts + dt.timedelta(hours=hours), capacity=capacity,
            description="Organised jointly under the India–Japan Digital Partnership 2.0."),
            actor=organiser, now=starts - dt.timedelta(days=60))
        people = [p for p in cast.everyone if rng.random() < 0.6] if capacity > 3 else cast.everyone[:5]
        for n, person in enumerate(people):
            services.register(session, course.id, actor=person.actor(),
                              now=starts - dt.timedelta(days=30) + dt.timedelta(minutes=n))
        if course.ends_at <= now and people:
            attended = {p.id for p in people if rng.random() < 0.85}
            services.record_attendance(session, course.id, attended, actor=organiser, now=course.ends_at)
            services.issue_certificates(session, course.id, actor=organiser, now=course.ends_at + dt.timedelta(days=1))
