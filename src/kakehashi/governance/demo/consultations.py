"""Demo consultations: five Joint Working Group meetings held (minutes approved by both sides, the last awaiting
METI's signature), one scheduled; decisions, and action items some done, some open, some overdue."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy.orm import Session

from kakehashi.governance import ledger
from kakehashi.governance.consultations import minutes, services
from kakehashi.governance.demo.people import Cast
from kakehashi.kernel.clock import utcnow

MEETINGS: tuple[dict[str, Any], ...] = (
    {"n": 1, "when": "2025-10-15T01:00", "mode": "physical", "venue": "METI, Kasumigaseki, Tokyo", "organiser": "meti",
     "agenda": ["P2(i).1", "P2(ii).2", "P2(v).1"],
     "decisions": [("Launch the joint advanced-packaging research programme.",
                    "先端パッケージング共同研究プログラムを開始する。", "P2(i).1"),
                   ("Coordinate positions ahead of the GPAI Ministerial Council.",
                    "GPAI閣僚理事会に向けて立場を調整する。", "P2(ii).2")],
     "actions": [("Circulate the packaging research roadmap", "meti", 30, "P2(i).1", "done"),
                 ("Nominate trainers for the semiconductor workforce programme", "meity", 45, "P2(v).1", "done")],
     "language": "en"},
    {"n": 2, "when": "2026-01-20T05:30", "mode": "video", "organiser": "meity",
     "agenda": ["P2(iii).1", "P2(iv).2", "P2(viii).2"],
     "decisions": [("Hold the India–Japan matchmaking in Bengaluru in December.",
                    "12月にベンガルールで日印マッチングを開催する。", "P2(iii).1"),
                   ("Start the CERT-to-CERT indicator exchange.", "CERT間の指標交換を開始する。", "P2(viii).2")],
     "actions": [("Share the consent-based data sharing architecture note", "meity", 40, "P2(iv).2", "done"),
                 ("Agree the TLP handling rules with JPCERT/CC and CERT-In", "mic", 60, "P2(viii).2", "done")],
     "language": "ja"},
    {"n": 3, "when": "2026-04-14T04:30", "mode": "physical", "venue": "Electronics Niketan, MeitY, New Delhi",
     "organiser": "meity", "agenda": ["P2(ii).5", "P2(v).4", "P2(vii).2"],
     "decisions": [("Set up a joint working team on AI evaluation benchmarks.",
                    "AI評価ベンチマークの共同作業チームを設置する。", "P2(ii).5"),
                   ("Send a Japanese investor mission to Bengaluru in March.",
                    "3月にベンガルールへ日本の投資家ミッションを派遣する。", "P2(vii).2")],
     "actions": [("Draft the terms of reference for the AI evaluation team", "meti", 35, "P2(ii).5", "done"),
                 ("Confirm the investor mission's delegation list", "meity", 50, "P2(vii).2", "open")],
     "language": "en"},
    {"n": 4, "when": "2026-07-07T04:30", "mode": "video", "organiser": "meti",
     "agenda": ["P2(i).3", "P2(iii).2", "P2(viii).3"],
     "decisions": [("Drop the storage consortium and fold it into the IoT initiative.",
                     "ストレージ・コンソーシアムを中止しIoT事業に統合する。", "P2(iii).2"),
                   ("Compare IoT security conformity schemes before the next meeting.",
                                   "次回会合までにIoTセキュリティ適合性制度を比較する。", "P2(viii).3")],
     "actions": [("Prepare the comparison of IoT security conformity schemes", "dot", 70, "P2(viii).3", "open"),
                 ("Publish the supply-chain resilience mapping summary", "meti", 60, "P2(i).3", "done")],
     "language": "ja"},
    {"n": 5, "when": "2026-10-13T02:00", "mode": "hybrid", "venue": "Japan House, Tokyo", "organiser": "meti",
     "agenda": ["P2(ii).3", "P2(vi).2", "P2(v).7"],
     "decisions": [("Open the joint call on HPC, quantum and IoT research in January.",
                     "1月にHPC・量子・IoT研究の共同公募を開始する。", "P2(vi).2")],
     "actions": [("Finalise the joint call text", "meti", 30, "P2(vi).2", "open"),
                 ("Propose dates for the next AI workshop", "meity", 75, "P2(v).7", "open"),
                 ("Nominate industry speakers for the co-creation labs", "org", 20, "P2(iii).3", "open")],
     "language": "en", "approved_by": ("MEITY",)},
    {"n": 6, "when": "2027-01-19T05:30", "mode": "video", "organiser": "meity", "agenda": ["P2(i).1", "P2(vii).1"],
     "decisions": [], "actions": [], "language": "en", "scheduled": True},
)


def _title(n: int) -> tuple[str, str]:
    return f"Joint Working Group consultation no. {n}", f"第{n}回 合同作業部会"


def _minutes_text(meeting: dict[str, Any]) -> str:
    if meeting["language"] == "ja":
        return ("出席：経済産業省、インド電子情報技術省、関係省庁。\n議題に沿って進捗を確認し、以下の決定事項と"
                "アクションに合意した。次回会合はビデオ会議で開催する。")
    return ("Present: METI, MeitY and related ministries of both sides.\nThe meeting reviewed progress on each agenda "
            "item and agreed the decisions and action items below. The next consultation will be held by video.")


def _hold(session: Session, cast: Cast, refs: dict[str, int], titles: dict[str, str], spec: dict[str, Any],
          rng: random.Random) -> None:
    starts = dt.datetime.fromisoformat(spec["when"]).replace(tzinfo=dt.UTC)
    organiser = cast.actor(spec["organiser"])
    title, title_ja = _title(spec["n"])
    fields = services.MeetingFields(
        title=title, title_ja=title_ja, mode=spec["mode"], starts_at=starts, ends_at=starts + dt.timedelta(hours=3),
        venue=spec.get("venue"), video_url="https://meet.demo.example/jwg" if spec["mode"] != "physical" else None,
        is_public=True, agenda=tuple((titles.get(ref, ref), refs.get(ref)) for ref in spec["agenda"]))
    invited = [uid for key in ("meti", "meity", "mic", "dot") if (uid := cast.id(key)) is not None]
    meeting = services.schedule_meeting(session, fields, attendee_ids=invited, actor=organiser,
                                        now=starts - dt.timedelta(days=21))
    if spec.get("scheduled"):
        return
    came = {uid for uid in invited if rng.random() > 0.1 or uid in (cast.id("meti"), cast.id("meity"))}
    services.record_attendance(session, meeting.id, came, actor=organiser, now=starts + dt.timedelta(hours=3))
    for text, text_ja, ref in spec["decisions"]:
        services.record_decision(session, meeting.id, text=text, text_ja=text_ja, commitment_id=refs.get(ref),
                                 actor=organiser)
    for title_text, owner, days, ref, status in spec["actions"]:
        owner_org = cast.sakura_org_id if owner == "org" else None
        item = services.add_action_item(
            session, title=title_text, due_on=(starts + dt.timedelta(days=days)).date(),
            owner_user_id=None if owner == "org" else cast.id(owner), owner_org_id=owner_org, meeting_id=meeting.id,
            commitment_id=refs.get(ref), actor=organiser, now=starts + dt.timedelta(hours=4))
        if status == "done":
            services.set_action_status(session, item.id, "done", actor=organiser,
                                       now=starts + dt.timedelta(days=days - 3))
    _approve(session, cast, meeting.id, spec, starts)


def _approve(session: Session, cast: Cast, meeting_id: int, spec: dict[str, Any], starts: dt.datetime) -> None:
    drafted = starts + dt.timedelta(days=2)
    minutes.draft_minutes(session, meeting_id, language=spec["language"], body=_minutes_text(spec), expected_version=None,
                          actor=cast.actor(spec["organiser"]), now=drafted)
    if cast.id("meti") is None or cast.id("meity") is None:
        return  # without both officers (and their demo keys) the minutes stay a draft
    minutes.submit_for_approval(session, meeting_id, actor=cast.actor(spec["organiser"]), now=drafted)
    for number, (code, key) in enumerate((("MEITY", "meity"), ("METI", "meti")), start=1):
        if code in spec.get("approved_by", ("MEITY", "METI")):
            minutes.sign_minutes(session, meeting_id, actor=cast.actor(key), now=drafted + dt.timedelta(days=number * 3),
                                 demo_keys=True)


def load(session: Session, cast: Cast, commitments: list[ledger.CommitmentRef], rng: random.Random) -> None:
    """Create the demo's consultations (the scheduled one only if it is still in the future)."""
    refs = {c.ref: c.id for c in commitments}
    titles = {c.ref: f"Progress on {c.title}" for c in commitments}
    for spec in MEETINGS:
        if spec.get("scheduled") and dt.datetime.fromisoformat(spec["when"]).replace(tzinfo=dt.UTC) < utcnow():
            continue
        _hold(session, cast, refs, titles, spec, rng)
