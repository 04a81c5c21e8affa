"""What every CLI command shares: settings, one transaction per command, and clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import typer
from sqlalchemy.orm import Session, sessionmaker

from kakehashi import agreement
from kakehashi.contexts import register_log_facts
from kakehashi.db import make_engine, make_sessionmaker, mark_writing
from kakehashi.identity import passwords
from kakehashi.kernel.errors import DomainError, ValidationFailed
from kakehashi.settings import Settings, load_settings


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Settings for this CLI process (read once)."""
    loaded = load_settings()
    passwords.configure(loaded.password_hash_profile)
    return loaded


@lru_cache(maxsize=1)
def sessions() -> sessionmaker[Session]:
    """The CLI's sessions; checkpoints signed by a command are also appended to the checkpoint file."""
    made = make_sessionmaker(make_engine(settings().database_url))
    register_log_facts()
    path = settings().checkpoint_path()
    if path is not None:
        agreement.publish_checkpoints_to(made, path)
    return made


@contextmanager
def session_scope() -> Iterator[Session]:
    """One durable transaction: committed if the command succeeds, rolled back otherwise."""
    with sessions()() as session:
        mark_writing(session)
        with session.begin():
            yield session


def fail(exc: DomainError) -> None:
    """Print a domain error the way people read it, and exit with status 2."""
    if isinstance(exc, ValidationFailed):
        for field, message in exc.errors.items():
            typer.echo(f"error: {field}: {message}", err=True)
    else:
        prefix = f"{exc.field}: " if exc.field else ""
        typer.echo(f"error: {prefix}{exc.message}", err=True)
    raise typer.Exit(2)
