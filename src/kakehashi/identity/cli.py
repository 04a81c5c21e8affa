"""CLI: `kakehashi users create|review-grants` and `kakehashi tokens create|list|revoke`."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy.orm import Session

from kakehashi.cli_support import fail, session_scope
from kakehashi.identity import services
from kakehashi.identity.models import User
from kakehashi.kernel.authz import Ministry, Role, Side
from kakehashi.kernel.clock import utcnow
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


@users.command("review-grants")
def review_grants() -> None:
    """List accounts whose role was granted by someone who may not grant it (review them; exit code 0)."""
    with session_scope() as session:
        found = services.review_grants(session)
        for item in found:
            user = item.user
            typer.echo(f"user {user.id} <{user.email}> {user.role} side={user.side or '-'} org={user.org_id or '-'}"
                       f" granted by user {item.grantor_id} ({item.grantor_role or 'unknown role'}) via {item.via}")
        typer.echo(f"{len(found)} account(s) to review")


def _user(session: Session, email: str) -> User:
    user = services.find_user_by_email(session, email)
    if user is None:
        typer.echo(f"error: no user with e-mail {email}", err=True)
        raise typer.Exit(2)
    return user


@tokens.command("create")
def create_token(
    email: str = typer.Option(..., help="Whose token."), name: str = typer.Option("cli", help="A label."),
    days: int = typer.Option(services.DEFAULT_TOKEN_DAYS, help=f"Lifetime in days (1 to {services.MAX_TOKEN_DAYS})."),
) -> None:
    """Print a new API token for a user (shown once; only its hash is stored)."""
    try:
        with session_scope() as session:
            token, secret = services.issue_api_token(session, user=_user(session, email), name=name, days=days)
            typer.echo(secret)
            typer.echo(f"token {token.id} '{token.name}' expires {token.expires_at.isoformat()}", err=True)
    except DomainError as exc:
        fail(exc)


@tokens.command("list")
def list_tokens(email: str = typer.Option(..., help="Whose tokens.")) -> None:
    """List a user's API tokens: id, name, prefix, created, last used, expires, status."""
    with session_scope() as session:
        now = utcnow()
        for token in services.list_api_tokens(session, user_id=_user(session, email).id):
            status = "revoked" if token.revoked_at else ("expired" if token.expires_at <= now else "active")
            last = token.last_used_at.isoformat() if token.last_used_at else "never"
            typer.echo(f"{token.id}\t{token.name}\t{token.prefix}\tcreated {token.created_at.isoformat()}"
                       f"\tlast used {last}\texpires {token.expires_at.isoformat()}\t{status}")


@tokens.command("revoke")
def revoke_token(token_id: int = typer.Option(..., "--id", help="The token's id (from `tokens list`).")) -> None:
    """Revoke an API token at once (audited)."""
    try:
        with session_scope() as session:
            token = services.revoke_api_token(session, token_id=token_id)
            typer.echo(f"revoked token {token.id} '{token.name}'")
    except DomainError as exc:
        fail(exc)


COMMANDS = {"users": users, "tokens": tokens}
