"""CSV import and export of organisations (UTF-8, one organisation per row, header row first).

Import checks every row with the same rules as the form and reports each bad row with its line number and
field; the person chooses "all-or-nothing" (any bad row: nothing is imported) or "good-rows" (the good rows
are imported). Export writes the same columns (plus id and verification), so an export can be edited and
imported elsewhere. Cells that a spreadsheet would run as a formula are written with a leading apostrophe,
which import removes again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, TextIO

from sqlalchemy.orm import Session

from kakehashi.kernel.authz import Actor, require
from kakehashi.kernel.errors import DomainError, ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.registry import services
from kakehashi.registry.errors import ImportRefused
from kakehashi.registry.models import IdScheme, Organisation
from kakehashi.registry.profile import OrganisationInput
from kakehashi.registry.queries import iter_organisations

Mode = Literal["all-or-nothing", "good-rows"]
MODES: tuple[Mode, ...] = ("all-or-nothing", "good-rows")
PROFILE_COLUMNS = ("kind", "name_en", "name_ja", "name_hi", "country", "region", "city", "size", "founded_year",
                   "website", "sectors", "offers", "seeks", "description")
CONTACT_COLUMNS = ("contact_name", "contact_email", "contact_phone")
COLUMNS = (*PROFILE_COLUMNS, *CONTACT_COLUMNS, *(scheme.value for scheme in IdScheme))
EXPORT_ONLY = ("id", "verified_at")  # written by export, ignored by import
REQUIRED = ("kind", "name_en", "country")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RowError:
    """One problem of one row: the file's line number, the column (or "row"), and what is wrong."""

    line: int
    field: str
    message: str
    detail: str = ""


@dataclass
class ImportReport:
    """What an import did: rows read, organisations created (ids), and every problem found."""

    mode: Mode
    rows: int = 0
    created: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def bad_lines(self) -> list[int]:
        """The line numbers of the rows that were refused."""
        return sorted({error.line for error in self.errors})


def import_csv(
    session: Session, data: bytes, *, mode: Mode, max_bytes: int, actor: Actor,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Create an organisation per good row; in all-or-nothing mode any bad row leaves the registry unchanged."""
    require(actor, "registry.org.import")
    if mode not in MODES:
        raise ImportRefused(N_("Choose all-or-nothing or good-rows."), field="mode")
    text = _decode(data, max_bytes)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = _check_header(next(reader, None))
    total = max(1, text.count("\n"))
    report = ImportReport(mode=mode)
    batch = session.begin_nested()
    line = reader.line_num + 1  # where the next row starts (a quoted cell may span several lines)
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                report.rows += 1
                _import_row(session, header, cells, line, report, actor)
            line = reader.line_num + 1
            if progress is not None:
                progress(min(reader.line_num, total), total)
    except csv.Error as exc:
        report.errors.append(RowError(line, "row", N_("This row is not valid CSV."), str(exc)))
    if report.errors and mode == "all-or-nothing":
        batch.rollback()
        report.created.clear()
    else:
        batch.commit()
    return report


def _decode(data: bytes, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise ImportRefused(N_("The file is larger than the import limit."), field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(N_("The file is not UTF-8 text. Save it as \"CSV UTF-8\" and try again."),
                            field="file") from None


def _check_header(names: list[str] | None) -> list[str]:
    if not names:
        raise ImportRefused(N_("The file is empty: the first line must name the columns."), field="file")
    names = [name.strip() for name in names]
    missing = [column for column in REQUIRED if column not in names]
    unknown = [name for name in names if name not in COLUMNS and name not in EXPORT_ONLY]
    if missing:
        raise ImportRefused(N_("Required columns are missing:"), detail=", ".join(missing), field="file")
    if unknown:
        raise ImportRefused(N_("Unknown columns:"), detail=", ".join(unknown), field="file")
    return names


def _import_row(
    session: Session, header: list[str], cells: list[str], line: int, report: ImportReport, actor: Actor,
) -> None:
    if len(cells) > len(header):
        report.errors.append(RowError(line, "row", N_("This row has more cells than the header has columns.")))
        return
    try:
        with session.begin_nested():
            org = services.create_organisation(session, row_input(dict(zip(header, cells, strict=False))), actor=actor)
        report.created.append(org.id)
    except ValidationFailed as exc:
        report.errors.extend(RowError(line, _column(name), message) for name, message in exc.errors.items())
    except DomainError as exc:
        report.errors.append(RowError(line, _column(exc.field or "row"), exc.message))


def _column(field_name: str) -> str:
    """The CSV column of a service field name (identifiers.lei -> lei, contacts.email -> contact_email)."""
    if field_name.startswith("identifiers."):
        return field_name.split(".", 1)[1]
    if field_name.startswith("contacts."):
        return "contact_" + field_name.split(".", 1)[1]
    return field_name


def _cell(row: dict[str, str], name: str) -> str:
    value = row.get(name) or ""
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_STARTS else value


def row_input(row: dict[str, str]) -> OrganisationInput:
    """The submission a CSV row stands for (sectors separated by ';')."""
    cells = {name: _cell(row, name) for name in COLUMNS}
    return OrganisationInput(
        **{name: cells[name] for name in PROFILE_COLUMNS if name != "sectors"},
        sectors=tuple(code.strip() for code in cells["sectors"].split(";") if code.strip()),
        contacts={key[len("contact_"):]: cells[key] for key in CONTACT_COLUMNS if cells[key]},
        identifiers={scheme.value: cells[scheme.value] for scheme in IdScheme if cells[scheme.value]},
    )


def export_csv(session: Session, stream: TextIO, *, actor: Actor) -> int:
    """Write every organisation to `stream`; returns how many were written."""
    require(actor, "registry.org.export")
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow((*EXPORT_ONLY, *COLUMNS))
    count = 0
    for org in iter_organisations(session):
        writer.writerow(_safe(value) for value in export_row(org))
        count += 1
    return count


def export_row(org: Organisation) -> list[str]:
    """One organisation as CSV cells, in the export column order."""
    identifiers = {identifier.scheme: identifier.value for identifier in org.identifiers}
    profile = {name: getattr(org, name) for name in PROFILE_COLUMNS if name != "sectors"}
    profile["sectors"] = ";".join(sorted(sector.sector for sector in org.sectors))
    contacts = {f"contact_{key}": value for key, value in (org.contacts or {}).items()}
    values = {**profile, **contacts, **identifiers, "id": org.id,
              "verified_at": org.verified_at.isoformat() if org.verified_at else ""}
    return ["" if values.get(name) is None else str(values.get(name)) for name in (*EXPORT_ONLY, *COLUMNS)]


def _safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value
