"""Integer path and query parameters stay within what the database's columns hold.

An app-wide dependency (`FastAPI(dependencies=[Depends(check_integers)])`, solved before every route's own
dependencies): a declared `int` path or query parameter outside the 32-bit signed range (PostgreSQL INTEGER,
our ids) is refused as a validation error, 422 problem+json in the API and the error page for pages, before
the handler or the database sees it.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request, params
from fastapi.dependencies.utils import get_flat_params
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.types import Scope

INT_MIN, INT_MAX = -(2**31), 2**31 - 1


def _mentions_int(annotation: Any) -> bool:
    """`int`, `int | None`, `list[int]`, `Annotated[int, ...]` (not bool)."""
    if annotation is int:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _mentions_int(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple, set, frozenset):
        return any(_mentions_int(arg) for arg in typing.get_args(annotation))
    return False


def int_parameters(route: APIRoute) -> list[tuple[str, str]]:
    """(location, name) of each integer path or query parameter of a route, its dependencies' included."""
    found = []
    for field in get_flat_params(route.dependant):
        location = "path" if isinstance(field.field_info, params.Path) else \
            "query" if isinstance(field.field_info, params.Query) else None
        if location and _mentions_int(field.field_info.annotation):
            found.append((location, field.alias))
    return found


def _as_int(text: str) -> int | None:
    """The integer a parameter's text denotes, the way lax validation reads it ("12", " 12 ", "1e3", "12.0")."""
    try:
        return int(text.strip())
    except ValueError:
        pass
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    return int(number) if number.is_finite() and number == number.to_integral_value() else None


def _values(scope: Scope, location: str, name: str) -> Iterator[str]:
    if location == "path":
        value = scope.get("path_params", {}).get(name)
        if isinstance(value, str):
            yield value
        return
    for key, value in parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True):
        if key == name:
            yield value


_known: dict[int, tuple[APIRoute, list[tuple[str, str]]]] = {}


def _parameters_of(route: APIRoute) -> list[tuple[str, str]]:
    known = _known.get(id(route))
    if known is None or known[0] is not route:
        known = _known[id(route)] = (route, int_parameters(route))
    return known[1]


async def check_integers(request: Request) -> None:
    """An app-wide dependency, solved before any other: refuse out-of-range integer path/query parameters."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    errors = []
    for location, name in _parameters_of(route):
        for value in _values(request.scope, location, name):
            number = _as_int(value)
            if number is not None and not INT_MIN <= number <= INT_MAX:
                errors.append({"type": "less_than_equal" if number > 0 else "greater_than_equal",
                               "loc": (location, name), "input": value,
                               "msg": f"Input should be between {INT_MIN} and {INT_MAX}"})
    if errors:
        raise RequestValidationError(errors)
