"""CLI: `kakehashi cyber ...` — collections and grants, the evidence outbox, accreditation reminders, and an
offline check of a STIX bundle."""

from __future__ import annotations

from pathlib import Path

import orjson
import typer

from kakehashi import identity
from kakehashi.cli_support import fail, session_scope
from kakehashi.cyber import conformity, ledger, services, validation
from kakehashi.cyber.tlp import Tlp
from kakehashi.kernel.authz import SYSTEM
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import DomainError

app = typer.Typer(help="CERT-to-CERT exchange (TAXII) and the conformity register.", no_args_is_help=True)


def _level(value: str) -> Tlp:
    try:
        return Tlp.from_slug(value)
    except ValueError:
        raise typer.BadParameter("one of clear, green, amber, amber+strict, red") from None


@app.command("collections")
def list_collections() -> None:
    """List every collection with its TAXII id and owner."""
    with session_scope() as session:
        for collection, _access in services.collections_for(session, actor=SYSTEM):
            typer.echo(f"{collection.uid}  org {collection.owner_org_id}  {collection.title}")


@app.command("collection-create")
def create_collection(
    title: str = typer.Option(..., help="Title shown to clients."),
    owner_org: int = typer.Option(..., help="Registry id of the owning CERT."),
    alias: str | None = typer.Option(None, help="Optional short alias."),
    default_tlp: str = typer.Option("green", help="TLP level of unmarked objects."),
) -> None:
    """Open a collection owned by a CERT."""
    try:
        with session_scope() as session:
            collection = services.create_collection(session, title=title, alias=alias, owner_org_id=owner_org,
                                                    default_tlp=_level(default_tlp), actor=SYSTEM)
            typer.echo(collection.uid)
    except DomainError as exc:
        fail(exc)


@app.command("grant")
def grant(
    collection: str = typer.Argument(..., help="TAXII id of the collection."),
    org: int = typer.Option(..., help="Registry id of the organisation."),
    write: bool = typer.Option(False, help="May also write."),
    max_tlp: str = typer.Option("green", help="Highest TLP level it receives (clear … amber+strict)."),
) -> None:
    """Give an organisation read (and perhaps write) rights up to a TLP level."""
    try:
        with session_scope() as session:
            services.grant_access(session, collection, org_id=org, can_write=write, max_tlp=_level(max_tlp),
                                  actor=SYSTEM)
    except DomainError as exc:
        fail(exc)


@app.command("name-red")
def name_red(collection: str = typer.Argument(...), email: str = typer.Option(..., help="The person's e-mail.")) -> None:
    """Name a person who may receive the collection's TLP:RED content."""
    try:
        with session_scope() as session:
            user = identity.find_user_by_email(session, email)
            if user is None:
                typer.echo(f"error: no user with e-mail {email}", err=True)
                raise typer.Exit(2)
            services.name_red_recipient(session, collection, user_id=user.id, actor=SYSTEM)
    except DomainError as exc:
        fail(exc)


@app.command("drain-log")
def drain_log() -> None:
    """Append TAXII evidence still queued to the transparency log."""
    with session_scope() as session:
        typer.echo(f"appended {ledger.drain(session, limit=100_000)} entries")


@app.command("reminders")
def reminders() -> None:
    """Expire lapsed accreditations and remind officers of those ending within 90 days."""
    with session_scope() as session:
        typer.echo(f"handled {conformity.send_expiry_reminders(session, utcnow())} accreditations")


@app.command("validate")
def validate(bundle: Path = typer.Argument(..., exists=True, dir_okay=False, help="A STIX bundle or TAXII envelope.")) -> None:
    """Check every object of a bundle as the server would (exit 1 if any is invalid)."""
    objects = orjson.loads(bundle.read_bytes()).get("objects", [])
    bad = 0
    for obj in objects:
        problems = validation.errors(obj)
        if problems:
            bad += 1
            typer.echo(f"{obj.get('id', '?') if isinstance(obj, dict) else '?'}: {'; '.join(problems[:3])}")
    typer.echo(f"{len(objects) - bad} valid, {bad} invalid")
    raise typer.Exit(1 if bad else 0)


COMMANDS = {"cyber": app}
