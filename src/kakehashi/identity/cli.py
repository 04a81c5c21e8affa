"""CLI: `kakehashi users create` and `kakehashi tokens create`."""

from __future__ import annotations

from pathlib import Path

import typer

from kakehashi.cli_support import fail, session_scope
from kakehashi.identity import services
from kakehashi.kernel.authz import Ministry, Role, Side
from kakehashi.kernel.errors import DomainError

users = typer.Typer(help="Manage accounts.", no_args_is_help=True)
tokens = typer.Typer(help="Manage API tokens.", no_args_is_help=True)


@users.command("create")
def create_user(
    email: str = typer.Option(..., help="E-mail address (the sign-in name)."),
    role: Role = typer.Option(..., help="Role of the account."),
    password_file: Path = typer.Option(..., exists=True, dir_okay=False, help="File holding the password."),
    name: str = typer.Option("", help="Display name (defaults to the e-mail's local part)."),
    side: Side | None = typer.Option(None, help="JP or IN, for roles tied to a side."),
    ministry: Ministry | None = typer.Option(None, help="Ministry, for officers and liaisons."),
    org_id: int | None = typer.Option(None, help="Organisation id, for organisation roles."),
) -> None:
    """Create an account with a role (passwords come from a file, never the command line)."""
    password = password_file.read_text(encoding="utf-8").strip()
    try:
        with session_scope() as session:
            user = services.create_user(session, email=email, name=name or email.split("@")[0], password=password,
                                        spec=services.RoleSpec(role, side, ministry, org_id))
            typer.echo(f"created user {user.id} <{user.email}> as {user.role}")
    except DomainError as exc:
        fail(exc)


@tokens.command("create")
def create_token(
    email: str = typer.Option(..., help="Whose token."), name: str = typer.Option("cli", help="A label."),
) -> None:
    """Print a new API token for a user (shown once; only its hash is stored)."""
    with session_scope() as session:
        user = services.find_user_by_email(session, email)
        if user is None:
            typer.echo(f"error: no user with e-mail {email}", err=True)
            raise typer.Exit(2)
        typer.echo(services.create_api_token(session, user=user, name=name))


COMMANDS = {"users": users, "tokens": tokens}
