"""CLI: `kakehashi governance report|export|remind|snapshot`."""

from __future__ import annotations

from pathlib import Path

import typer

from kakehashi.cli_support import session_scope
from kakehashi.governance import jobs
from kakehashi.governance.dashboard import export, report
from kakehashi.kernel.authz import SYSTEM
from kakehashi.kernel.clock import JST, utcnow

governance = typer.Typer(help="Commitment register, consultations, funding, training and reports.", no_args_is_help=True)


@governance.command("report")
def yearly_report(
    year: int = typer.Option(..., min=2025, max=2100, help="Calendar year of the report (JST)."),
    out: Path = typer.Option(Path("report.pdf"), dir_okay=False, help="Where to write the PDF."),
) -> None:
    """Write the bilingual (English/Japanese) yearly progress report as PDF, with both sides' spending."""
    with session_scope() as session:
        pdf = report.render_pdf(session, year, actor=SYSTEM, today=utcnow().astimezone(JST).date())
    out.write_bytes(pdf)
    typer.echo(f"wrote {out} ({len(pdf):,} bytes)")


@governance.command("export")
def export_register(
    out: Path = typer.Option(..., dir_okay=False, help="Output file: .csv or .xlsx."),
    public_only: bool = typer.Option(False, help="Only the activities marked public."),
) -> None:
    """Export the commitment register as CSV or XLSX."""
    if out.suffix not in (".csv", ".xlsx"):
        typer.echo("error: out: the file name must end in .csv or .xlsx", err=True)
        raise typer.Exit(2)
    with session_scope() as session:
        data = export.to_csv(session, public_only=public_only) if out.suffix == ".csv" else \
            export.to_xlsx(session, public_only=public_only)
    out.write_bytes(data)
    typer.echo(f"wrote {out}")


@governance.command("remind")
def remind() -> None:
    """Send reminders for overdue action items and those falling due now (also the `governance.action_reminders` job)."""
    with session_scope() as session:
        count = jobs.JOBS["action_reminders"](session, utcnow())
    typer.echo(f"reminded {count} action item(s)")


@governance.command("snapshot")
def snapshot() -> None:
    """Record today's progress figures for the charts (also the `governance.progress_snapshot` job)."""
    with session_scope() as session:
        count = jobs.snapshot(session, utcnow())
    typer.echo(f"recorded {count} figure(s)")


COMMANDS = {"governance": governance}
