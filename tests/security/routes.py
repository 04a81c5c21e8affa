"""The app's route table, as the security tests walk it: every route with its full path and methods."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, params
from fastapi.dependencies.utils import get_flat_params
from fastapi.routing import APIRoute, iter_route_contexts


@dataclass(frozen=True)
class RouteInfo:
    path: str
    methods: frozenset[str]
    route: APIRoute

    @property
    def path_names(self) -> list[str]:
        return re.findall(r"{(\w+)(?::\w+)?}", self.path)

    def parameters(self, location: str) -> list[tuple[str, Any]]:
        """(name, annotation) of the route's path or query parameters, its dependencies' included."""
        kind = params.Path if location == "path" else params.Query
        return [(f.alias, f.field_info.annotation) for f in get_flat_params(self.route.dependant)
                if isinstance(f.field_info, kind)]

    def int_parameters(self) -> list[tuple[str, str]]:
        return [(location, name) for location in ("path", "query")
                for name, annotation in self.parameters(location) if is_int(annotation)]

    @property
    def is_html_page(self) -> bool:
        return not self.path.startswith(("/api/", "/taxii2", "/static")) and "GET" in self.methods


def is_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    return any(is_int(arg) for arg in typing.get_args(annotation)) if typing.get_origin(annotation) in (
        typing.Union, types.UnionType, typing.Annotated, list) else False


def routes(app: FastAPI) -> Iterator[RouteInfo]:
    """Every APIRoute of the app, however deeply its router was included."""
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute) and context.path:
            yield RouteInfo(context.path, frozenset(context.methods or ()), context.original_route)


def fill(path: str, values: dict[str, Any]) -> str:
    """The path with each `{name}` (or `{name:convertor}`) replaced by `values[name]`."""
    return re.sub(r"{(\w+)(?::\w+)?}", lambda m: str(values[m.group(1)]), path)
