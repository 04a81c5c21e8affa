"""A tiny job runner: each context's `jobs.py` exposes JOBS = {name: fn(session, now) -> int}.

`kakehashi jobs run` runs every job once (cron-friendly); `--loop` keeps running them every interval.
Each job runs in its own transaction, so one failing job never undoes another's work.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

import typer
from sqlalchemy.orm import Session, sessionmaker

from kakehashi.contexts import modules
from kakehashi.db import unit_of_work
from kakehashi.kernel.clock import utcnow

Job = Callable[[Session, dt.datetime], int]
log = logging.getLogger("kakehashi.jobs")


def registry() -> dict[str, Job]:
    """Every job of every context, named `<context>.<job>`, plus e-mail delivery."""
    from kakehashi import mail
    from kakehashi.cli_support import settings

    found: dict[str, Job] = {"mail.send": lambda session, now: mail.send_pending(session, settings(), now)}
    for context, module in modules("jobs"):
        for name, job in module.JOBS.items():
            found[f"{context}.{name}"] = job
    return found


def run_once(sessions: sessionmaker[Session], names: list[str] | None = None) -> dict[str, int]:
    """Run the named jobs (default: all) once; returns how many items each handled."""
    results: dict[str, int] = {}
    for name, job in registry().items():
        if names and name not in names:
            continue
        try:
            with unit_of_work(sessions) as session:  # a writer: on SQLite it takes the write lock up front
                results[name] = job(session, utcnow())
        except Exception:
            log.exception("job %s failed", name)
            results[name] = -1
    return results


app = typer.Typer(help="Background jobs (reminders, expiry, e-mail).", no_args_is_help=True)


@app.command("list")
def list_jobs() -> None:
    """List the registered jobs."""
    for name in registry():
        typer.echo(name)


@app.command("run")
def run(
    names: list[str] = typer.Argument(None, help="Jobs to run (default: all)."),
    loop: bool = typer.Option(False, help="Keep running every --interval seconds."),
    interval: int = typer.Option(60, min=5, help="Seconds between rounds with --loop."),
) -> None:
    """Run jobs once (for cron) or in a loop (for a worker process)."""
    from kakehashi.cli_support import sessions

    while True:
        for name, count in run_once(sessions(), names or None).items():
            typer.echo(f"{name}: {'failed' if count < 0 else count}")
        if not loop:
            return
        time.sleep(interval)
