"""The `kakehashi` command: serve, migrate, demo data, and every context's sub-commands."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kakehashi import jobs, migrate
from kakehashi.cli_support import session_scope, settings
from kakehashi.contexts import modules, optional_module
from kakehashi.kernel.demo import DEMO_PASSWORD, DemoOptions

app = typer.Typer(help="Kakehashi (架け橋): the India–Japan Digital Partnership 2.0 platform.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
demo_app = typer.Typer(help="Demo dataset.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(jobs.app, name="jobs")
console = Console(stderr=True)

# Demo data is loaded in this order: later contexts build on earlier ones' records.
DEMO_ORDER = ("registry", "identity", "agreement", "exchange", "matchmaking", "cyber", "governance",
              "talent", "research", "supplychain", "ai")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to bind."),
    port: int = typer.Option(8000, help="TCP port."),
    workers: int = typer.Option(1, help="Worker processes (use several behind a proxy in production)."),
    upgrade: bool = typer.Option(True, help="Apply pending migrations first."),
) -> None:
    """Serve the platform over HTTP."""
    import uvicorn

    if upgrade:
        migrate.upgrade(settings().database_url)
    uvicorn.run("kakehashi.main:app_factory", factory=True, host=host, port=port, workers=workers,
                proxy_headers=True, forwarded_allow_ips="127.0.0.1")


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Option("head", help="Target revision.")) -> None:
    """Create or migrate the database schema."""
    migrate.upgrade(settings().database_url, revision)
    typer.echo(f"database at {revision}")


@demo_app.command("load")
def demo_load(
    orgs: int = typer.Option(300, min=10, help="Organisations to generate."),
    people: int = typer.Option(600, min=0, help="People to generate."),
    seed: int = typer.Option(2025, help="Random seed (same seed, same data)."),
) -> None:
    """Load the demo dataset (idempotent: loading twice adds nothing)."""
    migrate.upgrade(settings().database_url)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task("demo", total=1)

        def report(done: int, total: int, label: str) -> None:
            progress.update(task, description=label, completed=done, total=max(total, 1))

        options = DemoOptions(orgs=orgs, people=people, seed=seed, progress=report)
        for context in DEMO_ORDER:
            module = optional_module(context, "demo")
            if module is None:
                continue
            with session_scope() as session:
                module.load(session, options)
    print_demo_logins()


def print_demo_logins() -> None:
    """The demo accounts, one per role, with the shared demo password."""
    module = optional_module("identity", "demo")
    if module is None:
        return
    table = Table(title=f"Demo logins (password: {DEMO_PASSWORD})")
    table.add_column("role")
    table.add_column("e-mail")
    table.add_column("who")
    for login in module.DEMO_LOGINS:
        table.add_row(login.role, login.email, login.description)
    Console(width=140).print(table)


for _context, _module in modules("cli"):
    for _name, _sub in _module.COMMANDS.items():
        app.add_typer(_sub, name=_name)
