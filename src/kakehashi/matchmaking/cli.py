"""`kakehashi matchmaking ...`: the scheduler on a JSON file, and an event's instance/schedule from the database."""

from __future__ import annotations

import sys

import orjson
import typer

from kakehashi.cli_support import fail, session_scope
from kakehashi.kernel.authz import SYSTEM
from kakehashi.kernel.errors import DomainError
from kakehashi.matchmaking import events, planning
from kakehashi.matchmaking.scheduling.cli import schedule

app = typer.Typer(help="Matchmaking: meeting scheduler and events.", no_args_is_help=True)
app.command("schedule")(schedule)


@app.command("export")
def export(event_id: int = typer.Argument(..., help="Event id."),
           what: str = typer.Option("instance", help="instance (for `schedule`) or schedule (the current one).")) -> None:
    """Print an event as INSTANCE JSON, or its current schedule as SCHEDULE JSON."""
    try:
        with session_scope() as session:
            event = events.get_event(session, event_id)
            data = planning.export_instance(session, event) if what == "instance" else planning.export_schedule(session, event)
    except DomainError as exc:
        fail(exc)
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


@app.command("solve")
def solve(event_id: int = typer.Argument(..., help="Event id."),
          time_limit: float = typer.Option(30.0, "--time-limit", min=0.1, help="Seconds to search.")) -> None:
    """Schedule an event in the database (as the platform), keeping existing meetings where it can."""
    try:
        with session_scope() as session:
            run = planning.solve_event(session, event_id, actor=SYSTEM, time_limit=time_limit)
            ratio = f"{run.ratio:.4f}" if run.ratio is not None else "-"
            typer.echo(f"{run.meetings} meetings, value {run.objective:g} / bound {run.upper_bound} (ratio {ratio}), "
                       f"{run.seconds:.1f} s, status {run.status}")
    except DomainError as exc:
        fail(exc)


COMMANDS = {"matchmaking": app}
