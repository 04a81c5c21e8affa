"""What may reach the database: no control characters in text, no integer the column cannot hold.

Checked in one place for every route (and anything else using the app's sessions), so no form or API
handler can forget: at flush time per attribute (the field's own message, so a form redisplays with it), and
at statement time for every bound parameter (text used only in a lookup, a number used only in a filter).
A refused value raises ValidationFailed (422); PostgreSQL would otherwise answer a 500.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import JSON, Engine, String, event, inspect
from sqlalchemy.orm import Session

from kakehashi.kernel.errors import ValidationFailed
from kakehashi.kernel.i18n import N_

# C0 controls except tab, newline and carriage return, and DEL.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = N_("Remove the control characters (such as NUL) from this text.")
NUMBER_MESSAGE = N_("This number is out of range.")
INT64 = (-(2**63), 2**63 - 1)


def _has_control(value: Any, *, json: bool = False) -> bool:
    """Text with a control character; in JSON values, NUL anywhere (PostgreSQL's jsonb refuses it)."""
    if isinstance(value, str):
        return bool(CONTROL.search(value)) if not json else "\x00" in value
    if json and isinstance(value, dict):
        return any(_has_control(k, json=True) or _has_control(v, json=True) for k, v in value.items())
    if json and isinstance(value, list | tuple):
        return any(_has_control(v, json=True) for v in value)
    return False


def _changed(state: Any, key: str, new: bool) -> Iterable[Any]:
    if new:
        return [getattr(state.obj(), key, None)]
    return state.attrs[key].history.added or ()


def check_flush(session: Session, flush_context: object, instances: object) -> None:
    """Refuse new or changed text attributes holding control characters, naming each attribute."""
    errors: dict[str, str] = {}
    for obj in [*session.new, *session.dirty]:
        state = inspect(obj)
        for column_attr in state.mapper.column_attrs:
            column_type = column_attr.columns[0].type
            json = isinstance(column_type, JSON) or isinstance(getattr(column_type, "impl", None), JSON)
            if not json and not isinstance(column_type, String):
                continue
            if any(_has_control(v, json=json) for v in _changed(state, column_attr.key, obj in session.new)):
                errors[column_attr.key] = CONTROL_MESSAGE
    if errors:
        raise ValidationFailed(errors)


def _bound_values(parameters: Any, name: object = "value") -> Iterator[tuple[object, Any]]:
    """(name, value) of every bound scalar, whatever shape the driver's parameters take (dict, tuple, many)."""
    if isinstance(parameters, dict):
        for key, value in parameters.items():
            yield from _bound_values(value, key)
    elif isinstance(parameters, list | tuple):
        for value in parameters:
            yield from _bound_values(value, name)
    else:
        yield name, parameters


def check_statement(conn: object, cursor: object, statement: str, parameters: Any, context: object,
                    executemany: bool) -> None:
    """Refuse a bound text with control characters or an integer beyond 64 bits, whatever the statement."""
    for name, value in _bound_values(parameters):
        if isinstance(value, str) and CONTROL.search(value):
            raise ValidationFailed({_field(name): CONTROL_MESSAGE})
        if isinstance(value, int) and not isinstance(value, bool) and not INT64[0] <= value <= INT64[1]:
            raise ValidationFailed({_field(name): NUMBER_MESSAGE})


def _field(name: object) -> str:
    """`email_1` (a lookup's bound name) → `email`; positional parameters have no field name."""
    return re.sub(r"_\d+$", "", name) if isinstance(name, str) else "value"


def install() -> None:
    """Listen on every session and engine (idempotent)."""
    if not event.contains(Session, "before_flush", check_flush):
        event.listen(Session, "before_flush", check_flush)
    if not event.contains(Engine, "before_cursor_execute", check_statement):
        event.listen(Engine, "before_cursor_execute", check_statement)
