"""`kakehashi matchmaking schedule INSTANCE.json [--time-limit S] > SCHEDULE.json` (to be registered).

The lead wires it with ``matchmaking_app.command("schedule")(schedule)``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import orjson
import typer

from .errors import SchedulingInputError
from .interchange import solve_json


def schedule(
    instance: Annotated[Path, typer.Argument(help="Instance JSON exported by an event.")],
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, help="Seconds to search before answering.")] = 30.0,
    seed: Annotated[int, typer.Option(help="Tie-break seed: another seed gives an equally good variant.")] = 0,
) -> None:
    """Schedule 1:1 meetings; prints the schedule JSON on stdout, errors on stderr (exit 2)."""
    try:
        data = json.loads(instance.read_text(encoding="utf-8"))
    except OSError as exc:
        _fail(f"cannot read {instance}: {exc.strerror or exc}")
    except json.JSONDecodeError as exc:
        _fail(f"{instance} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    try:
        result = solve_json(data, time_limit=time_limit, seed=seed)
    except SchedulingInputError as exc:
        _fail(f"invalid instance at {exc.field} [{exc.code}]: {exc.message}")
    sys.stdout.write(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() + "\n")


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)
