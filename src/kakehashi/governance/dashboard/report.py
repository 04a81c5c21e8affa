"""The yearly progress report: one bilingual PDF (English with Japanese beside it) of charts, areas, decisions, actions.

`kakehashi governance report --year 2026 --out report.pdf` and the dashboard's button both call `render_pdf`.
The report shows spending only for the sides the requesting actor may see (the CLI acts for the platform and
shows both).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any

import jinja2
from sqlalchemy.orm import Session

from kakehashi import identity, registry
from kakehashi.governance import ledger
from kakehashi.governance.consultations import minutes
from kakehashi.governance.consultations import queries as consultations
from kakehashi.governance.dashboard import charts, figures
from kakehashi.governance.training import queries as training
from kakehashi.kernel.areas import AREAS
from kakehashi.kernel.authz import Actor
from kakehashi.kernel.clock import JST
from kakehashi.kernel.errors import NotFound

STATUS = {"not_started": ("Not started", "未着手"), "limited": ("Limited", "限定的"),
          "substantial": ("Substantial", "相当程度"), "complete": ("Complete", "完了"), "on_hold": ("On hold", "保留"),
          "dropped": ("Dropped", "中止")}
TOPICS = {"semiconductor_workforce": ("Semiconductor workforce", "半導体人材"), "ai": ("Artificial intelligence", "人工知能"),
          "cybersecurity": ("Cybersecurity capacity building", "サイバーセキュリティ能力構築"),
          "dpi": ("Digital public infrastructure", "デジタル公共インフラ")}
MINUTES = {"none": ("No minutes", "議事録なし"), "draft": ("Draft", "草案"), "signing": ("Awaiting signatures", "署名待ち"),
           "approved": ("Approved by both sides", "双方承認済み")}
MODES = {"physical": ("In person", "対面"), "video": ("Video", "ビデオ会議"), "hybrid": ("Hybrid", "ハイブリッド")}


@dataclass(frozen=True)
class Year:
    """A calendar year in JST, the zone in which the partnership's reports are dated."""

    year: int

    @property
    def start(self) -> dt.datetime:
        return dt.datetime(self.year, 1, 1, tzinfo=JST)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime(self.year + 1, 1, 1, tzinfo=JST)


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _owner(session: Session, user_id: int | None, org_id: int | None) -> str:
    """The owner's name: the person, else the organisation."""
    if user_id is not None:
        try:
            return identity.get_user(session, user_id).name
        except NotFound:
            return ""
    org = registry.get_organisation(session, org_id) if org_id is not None else None
    return org.name_en if org is not None else ""


def _charts(board: figures.Dashboard, year: Year) -> dict[str, str]:
    history = [(day, value) for day, value in board.history if day.year == year.year]
    overdue = {f"{a.area.clause} {a.area.en}\n{a.area.ja}": a.overdue for a in board.areas}
    groups: dict[str, dict[str, Any]] = {}
    for side, totals in board.spending.items():
        for (kind, currency), amount in sorted(totals.counted.items(), key=lambda item: (item[0][1], item[0][0] != "planned")):
            groups.setdefault(f"{side} · {currency}", {})[kind] = amount
    return {
        "progress": _data_uri(charts.progress_over_time(history, title="Progress over time / 進捗の推移",
                                                        empty="No figures recorded / 記録なし")),
        "status": _data_uri(charts.status_mix(board.status_mix, {k: f"{en} / {ja}" for k, (en, ja) in STATUS.items()},
                                              title="Status of activities / 活動の状況")),
        "overdue": _data_uri(charts.overdue_actions(overdue, title="Overdue actions / 期限超過のアクション",
                                                    empty="None overdue / 期限超過なし")),
        "spending": _data_uri(charts.spending(groups, {"planned": "Planned / 計画", "actual": "Actual / 実績"},
                                              title="Spending per side / 側ごとの支出", empty="No costs shown / 表示なし")),
    }


def report_context(session: Session, year: int, *, actor: Actor, today: dt.date) -> dict[str, Any]:
    """Everything the report shows for one year."""
    span = Year(year)
    board = figures.build(session, actor=actor, today=today)
    meetings = consultations.meetings_between(session, span.start, span.end)
    return {
        "year": year, "today": today, "jst": JST, "board": board, "charts": _charts(board, span), "areas": AREAS,
        "status": STATUS, "topics": TOPICS, "modes": MODES, "minutes_labels": MINUTES,
        "by_area": {a.code: [c for c in board.commitments if c.commitment.area == a.code] for a in AREAS},
        "meetings": [(m, minutes.state(session, m).status) for m in meetings],
        "decisions": consultations.decisions_between(session, span.start, span.end),
        "actions": [(a, _owner(session, a.owner_user_id, a.owner_org_id), a.due_on < today)
                    for a in consultations.open_actions(session)],
        "training": training.counts_by_topic(session, span.start, span.end),
        "commitments": {c.id: c for c in ledger.commitments(session)},
    }


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("kakehashi.governance", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = lambda value: "—" if value is None else f"{value:.1f}%"
    env.filters["amount"] = lambda value: f"{value:,}"
    return env


def render_html(session: Session, year: int, *, actor: Actor, today: dt.date) -> str:
    """The report as one HTML document (what WeasyPrint lays out)."""
    template = _environment().get_template("governance/report_pdf.html")
    return template.render(**report_context(session, year, actor=actor, today=today))


def render_pdf(session: Session, year: int, *, actor: Actor, today: dt.date) -> bytes:
    """The bilingual yearly report as PDF bytes (fonts: IPA Gothic for Japanese, DejaVu for Latin)."""
    from weasyprint import HTML  # imported late: WeasyPrint loads Pango, which a page view never needs

    pdf: bytes = HTML(string=render_html(session, year, actor=actor, today=today)).write_pdf()
    return pdf
