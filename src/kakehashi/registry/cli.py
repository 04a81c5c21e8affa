"""CLI: `kakehashi orgs import FILE.csv [--mode ...]` and `kakehashi orgs export FILE.csv`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from kakehashi.cli_support import fail, session_scope, settings
from kakehashi.kernel.authz import SYSTEM
from kakehashi.kernel.errors import DomainError
from kakehashi.registry import csvfile

orgs = typer.Typer(help="Organisation registry: CSV import and export.", no_args_is_help=True)
console = Console(stderr=True)


@orgs.command("import")
def import_file(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="UTF-8 CSV file with a header row."),
    mode: str = typer.Option("all-or-nothing", help="all-or-nothing: any bad row imports nothing; "
                                                     "good-rows: import the good rows."),
) -> None:
    """Import organisations; every bad row is reported with its line number. Exit 1 if rows were refused."""
    limit = settings().csv_import_max_bytes
    if path.stat().st_size > limit:
        typer.echo(f"error: file: {path} is larger than the import limit ({limit:,} bytes)", err=True)
        raise typer.Exit(2)
    if mode not in csvfile.MODES:
        typer.echo("error: mode: choose all-or-nothing or good-rows", err=True)
        raise typer.Exit(2)
    data = path.read_bytes()
    try:
        with Progress(TextColumn("import"), BarColumn(), TextColumn("{task.completed}/{task.total} lines"),
                      TimeElapsedColumn(), console=console) as progress:
            task = progress.add_task("import", total=max(1, data.count(b"\n")))
            with session_scope() as session:
                report = csvfile.import_csv(
                    session, data, mode=mode, max_bytes=limit, actor=SYSTEM,
                    progress=lambda done, total: progress.update(task, completed=done, total=total))
    except DomainError as exc:
        fail(exc)
    for error in report.errors:
        detail = f" ({error.detail})" if error.detail else ""
        typer.echo(f"line {error.line}: {error.field}: {error.message}{detail}", err=True)
    typer.echo(f"{report.rows} rows read, {len(report.created)} organisations imported, "
               f"{len(report.bad_lines)} rows refused ({mode})")
    if report.errors:
        raise typer.Exit(1)


@orgs.command("export")
def export_file(path: Path = typer.Argument(..., dir_okay=False, help="CSV file to write.")) -> None:
    """Export every organisation (same columns as import, plus id and verification time)."""
    with session_scope() as session, path.open("w", encoding="utf-8", newline="") as stream:
        count = csvfile.export_csv(session, stream, actor=SYSTEM)
    typer.echo(f"{count} organisations written to {path}")


COMMANDS = {"orgs": orgs}
