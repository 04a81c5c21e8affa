"""Export of the commitment register as CSV (UTF-8 with BOM, so spreadsheet programs read Japanese) or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.governance import ledger
from kakehashi.governance.register import queries as register
from kakehashi.governance.register.models import ActivityOwner
from kakehashi.kernel.areas import BY_CODE

COLUMNS = (
    "area", "paragraph", "commitment", "commitment_ja", "commitment_progress", "activity_id", "parent_id", "kind",
    "title", "title_ja", "status", "progress", "weight", "rolled_up_progress", "start_on", "end_on", "owners", "public",
)


def rows(session: Session, *, public_only: bool = False) -> Iterator[list[object]]:
    """One row per activity (and one per commitment without any), in the agreement's order."""
    commitments = ledger.commitments(session)
    figures = register.progress(session, commitments)
    owners: dict[int, list[str]] = {}
    for owner in session.scalars(select(ActivityOwner).order_by(ActivityOwner.id)):
        owners.setdefault(owner.activity_id, []).append(f"{owner.side}:{owner.ministry or f'org {owner.org_id}'}")
    for commitment in commitments:
        area = BY_CODE[commitment.area].en if commitment.area in BY_CODE else ""
        head = [area, commitment.ref, commitment.title, commitment.title_ja or "", figures.commitments[commitment.id]]
        activities = register.activities(session, commitment_id=commitment.id, public_only=public_only)
        if not activities:
            yield [*head, *[""] * (len(COLUMNS) - len(head))]
        for a in activities:
            rolled = figures.activities.get(a.id)
            yield [*head, a.id, a.parent_id or "", a.kind, a.title, a.title_ja or "", a.status, a.progress, a.weight,
                   "" if rolled is None else rolled, a.start_on.isoformat() if a.start_on else "",
                   a.end_on.isoformat() if a.end_on else "", "; ".join(owners.get(a.id, [])), "yes" if a.is_public else "no"]


def to_csv(session: Session, *, public_only: bool = False) -> bytes:
    """The register as CSV bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows(session, public_only=public_only):
        writer.writerow([str(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(session: Session, *, public_only: bool = False) -> bytes:
    """The register as an XLSX workbook (numbers stay numbers; progress as a 0–100 figure)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Register"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(session, public_only=public_only):
        # weights and percentages (two decimals) become spreadsheet numbers; no money is exported here
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
