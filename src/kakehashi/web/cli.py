"""CLI: `kakehashi i18n update|missing` to keep every context's catalogues complete."""

from __future__ import annotations

import typer

from kakehashi import i18n_catalog
from kakehashi.contexts import CONTEXTS

i18n = typer.Typer(help="Translation catalogues (English, Japanese, Hindi).", no_args_is_help=True)
ALL = ("web", *CONTEXTS)


@i18n.command("update")
def update(context: str = typer.Argument(..., help="Context package, e.g. registry, or 'all'.")) -> None:
    """Add new messages to the context's ja/hi catalogues, keeping existing translations."""
    for name in ALL if context == "all" else (context,):
        counts = i18n_catalog.update(name)
        typer.echo(f"{name}: untranslated ja={counts['ja']} hi={counts['hi']}")


@i18n.command("missing")
def missing(locale: str = typer.Option("ja", help="Language to check.")) -> None:
    """List messages with no translation; exits 1 if any."""
    gaps = {name: i18n_catalog.missing(name, locale) for name in ALL}
    for name, messages in gaps.items():
        for message in messages:
            typer.echo(f"{name}: {message}")
    if any(gaps.values()):
        raise typer.Exit(1)


COMMANDS = {"i18n": i18n}
