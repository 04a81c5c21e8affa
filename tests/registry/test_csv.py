"""CSV import (all-or-nothing or good rows, every bad row by line and column) and export round trips."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from kakehashi.kernel.authz import SYSTEM
from kakehashi.kernel.errors import Forbidden
from kakehashi.registry import csvfile, queries
from kakehashi.registry.errors import ImportRefused
from tests.factories.registry import make_org
from tests.fixtures.actors import Cast

HEADER = "kind,name_en,name_ja,country,sectors,jp_corporate_number,in_gstin,website\n"
GOOD = "company,Good One KK,グッドワン株式会社,JP,semi.fab;ai.compute,1180301018771,,https://good.example\n"
GOOD_IN = 'startup,"Good Two, Pvt Ltd",,IN,corp.it_services,,27AAACR5055K1Z7,\n'
BAD = ("company,,,JP,semi.fab,1180301018772,,javascript:alert(1)\n"        # line 4: three problems
       'cooperative,"Multi\nLine Co",,JP,semi.fab,,,\n'                    # line 5: spans two lines
       "company,Bad Sector KK,,JP,semi.nonsense,,,\n")                     # line 7
LIMIT = 1_000_000


def run(db: Session, text: str, mode: csvfile.Mode = "all-or-nothing") -> csvfile.ImportReport:
    return csvfile.import_csv(db, text.encode(), mode=mode, max_bytes=LIMIT, actor=SYSTEM)


def test_a_clean_file_imports_every_row(db: Session) -> None:
    report = run(db, HEADER + GOOD + GOOD_IN)
    assert report.rows == 2 and len(report.created) == 2 and report.errors == []
    good = queries.find_by_name(db, "Good One KK")
    assert good is not None and good.name_ja == "グッドワン株式会社" and good.areas == ["ai", "semiconductors"]
    assert queries.find_by_name(db, "Good Two, Pvt Ltd") is not None


def test_every_bad_row_is_reported_with_its_line_and_column_and_nothing_is_imported(db: Session) -> None:
    report = run(db, HEADER + GOOD + GOOD_IN + BAD)
    assert report.created == [] and queries.find_by_name(db, "Good One KK") is None
    found = {(error.line, error.field) for error in report.errors}
    assert {(4, "name_en"), (4, "jp_corporate_number"), (4, "website"), (5, "kind"), (7, "sectors")} <= found
    assert report.bad_lines == [4, 5, 7]


def test_good_rows_mode_imports_the_good_rows_and_reports_the_rest(db: Session) -> None:
    report = run(db, HEADER + GOOD + BAD + GOOD_IN, mode="good-rows")
    assert len(report.created) == 2 and report.bad_lines == [3, 4, 6]
    assert queries.find_by_name(db, "Good Two, Pvt Ltd") is not None


def test_a_row_repeating_an_identifier_is_refused_with_a_link(db: Session) -> None:
    report = run(db, HEADER + GOOD + GOOD.replace("Good One KK", "Good Again KK"), mode="good-rows")
    assert len(report.created) == 1
    (error,) = report.errors
    assert (error.line, error.field) == (3, "jp_corporate_number")
    assert f"/organisations/{report.created[0]}" in error.message


def test_a_row_with_more_cells_than_the_header_is_refused(db: Session) -> None:
    report = run(db, HEADER + GOOD.rstrip("\n") + ",extra\n", mode="good-rows")
    assert report.created == [] and report.errors[0].field == "row"


def test_blank_lines_are_skipped_but_counted_in_line_numbers(db: Session) -> None:
    report = run(db, HEADER + "\n\n" + BAD.splitlines()[-1] + "\n", mode="good-rows")
    assert report.bad_lines == [4]


@pytest.mark.parametrize(("data", "fragment"), [
    (b"kind,name_en,country\n" + b"company,X,JP\n" * 100_000, "larger than the import limit"),
    ("kind,name_en,country\ncompany,Caf\u00e9,JP\n".encode("latin-1"), "not UTF-8"),
    (b"", "empty"),
    (b"name_en,country\nX,JP\n", "missing: kind"),
    (b"kind,name_en,country,colour\ncompany,X,JP,red\n", "Unknown columns: colour"),
])
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(db: Session, data: bytes, fragment: str) -> None:
    with pytest.raises(ImportRefused) as caught:
        csvfile.import_csv(db, data, mode="good-rows", max_bytes=LIMIT, actor=SYSTEM)
    assert fragment in caught.value.message and caught.value.field == "file"


def test_only_officers_may_import(db: Session, cast: Cast) -> None:
    with pytest.raises(Forbidden):
        csvfile.import_csv(db, (HEADER + GOOD).encode(), mode="good-rows", max_bytes=LIMIT,
                           actor=cast.jp_org_admin.actor())


def test_an_export_imports_again_elsewhere_and_defuses_formulas(db: Session) -> None:
    make_org(db, name_en="=HYPERLINK(\"http://evil.example\") KK", identifiers={"jp_corporate_number": "7000012050002"},
             sectors=("sec.cyber", "ai.safety"))
    stream = io.StringIO()
    count = csvfile.export_csv(db, stream, actor=SYSTEM)
    text = stream.getvalue()
    assert count >= 1 and "'=HYPERLINK" in text
    row = next(line for line in text.splitlines() if "HYPERLINK" in line)
    assert "7000012050002" in row and "ai.safety;sec.cyber" in row
    cells = dict(zip(text.splitlines()[0].split(","), next(csv.reader([row])), strict=True))
    assert csvfile.row_input(cells).name_en.startswith("=HYPERLINK")


def test_the_cli_imports_and_exports(db: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kakehashi import cli_support
    from kakehashi.registry.cli import orgs

    monkeypatch.setattr(cli_support, "sessions", lambda: _bound(db))
    source = tmp_path / "in.csv"
    source.write_text(HEADER + GOOD + BAD, encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(orgs, ["import", str(source)])
    assert refused.exit_code == 1 and "line 3: jp_corporate_number:" in refused.output
    assert "0 organisations imported" in refused.output
    partial = runner.invoke(orgs, ["import", str(source), "--mode", "good-rows"])
    assert partial.exit_code == 1 and "1 organisations imported, 3 rows refused" in partial.output
    target = tmp_path / "out.csv"
    exported = runner.invoke(orgs, ["export", str(target)])
    assert exported.exit_code == 0 and "Good One KK" in target.read_text(encoding="utf-8")


def _bound(db: Session):  # type: ignore[no-untyped-def]
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(bind=db.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False)
