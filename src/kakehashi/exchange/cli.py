"""CLI: `kakehashi exchange rotate-master-key` and `kakehashi exchange verify-content`."""

from __future__ import annotations

import typer

from kakehashi.cli_support import fail, session_scope, settings
from kakehashi.exchange import services
from kakehashi.exchange.config import keyring_for
from kakehashi.kernel import audit
from kakehashi.kernel.authz import SYSTEM
from kakehashi.kernel.errors import DomainError

exchange = typer.Typer(help="Confidential exchange: master keys and stored content.", no_args_is_help=True)
COMMANDS = {"exchange": exchange}


@exchange.command("rotate-master-key")
def rotate_master_key(batch: int = typer.Option(500, min=1, help="Items re-wrapped per flush.")) -> None:
    """Re-wrap every item's data key under the current master key; content is not touched.

    Set KAKEHASHI_MASTER_KEY to "NEW,OLD" (current first), run this, then drop OLD. Every new wrapping
    is checked against the old one before it is stored, in one transaction: on any error nothing changes.
    """
    try:
        keyring = keyring_for(settings())
        with session_scope() as session:
            report = services.rotate_master_key(session, keyring=keyring, batch=batch)
            audit.record(session, SYSTEM, "exchange.master_key.rotated", target_type="exchange_master_key",
                         target_id=keyring.current.key_id, details={"rewrapped": report.rewrapped})
    except DomainError as exc:
        fail(exc)
    typer.echo(f"master key {keyring.current.key_id}: re-wrapped {report.rewrapped} item keys, "
               f"{report.already_current} already current")
    if keyring.retired:
        typer.echo("every item key is now under the current key; the retired keys may be removed from settings")


@exchange.command("verify-content")
def verify_content() -> None:
    """Authenticate every stored item (key and ciphertext); exit 1 if any fails (each failure is logged)."""
    try:
        with session_scope() as session:
            failures = services.verify_all_content(session, keyring=keyring_for(settings()), actor=SYSTEM)
    except DomainError as exc:
        fail(exc)
    for item_id, problem in failures:
        typer.echo(f"item {item_id}: {problem}", err=True)
    typer.echo(f"{len(failures)} item(s) failed verification")
    if failures:
        raise typer.Exit(1)
