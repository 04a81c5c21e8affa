"""TAXII 2.1 filters (`added_after`, `match[...]`, `limit`) read from query parameters into plain values."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from kakehashi.cyber import timestamps
from kakehashi.cyber.errors import BadRequest
from kakehashi.kernel.i18n import N_

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
_TYPE = re.compile(r"[a-z0-9][a-z0-9-]{0,249}")
_STIX_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,249}--[0-9a-fA-F-]{36}")
KNOWN = frozenset({"added_after", "limit", "next", "match[id]", "match[type]", "match[version]",
                   "match[spec_version]"})


@dataclass(frozen=True)
class ObjectFilter:
    """The filters of one TAXII request; versions hold "first", "last", "all" and/or microsecond stamps."""

    added_after: int | None = None
    ids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    versions: tuple[str | int, ...] = ()
    spec_versions: tuple[str, ...] = ()

    def fingerprint_parts(self) -> list[str]:
        """Stable text of the filters, for binding `next` cursors to them."""
        return [str(self.added_after), ",".join(sorted(self.ids)), ",".join(sorted(self.types)),
                ",".join(sorted(map(str, self.versions))), ",".join(sorted(self.spec_versions))]


def _values(raw: str | None, name: str, pattern: re.Pattern[str] | None = None) -> tuple[str, ...]:
    if raw is None:
        return ()
    values = tuple(v.strip() for v in raw.split(",") if v.strip())
    if not values or len(values) > 100:
        raise BadRequest(N_("A match filter takes 1 to 100 comma-separated values."), field=name)
    if pattern is not None and any(pattern.fullmatch(v) is None for v in values):
        raise BadRequest(N_("A match filter value is malformed."), field=name)
    return values


def _versions(raw: str | None) -> tuple[str | int, ...]:
    parsed: list[str | int] = []
    for value in _values(raw, "match[version]"):
        if value in ("first", "last", "all"):
            parsed.append(value)
            continue
        stamp = timestamps.micros(value)
        if stamp is None:
            raise BadRequest(N_("match[version] takes first, last, all or timestamps."), field="match[version]")
        parsed.append(stamp)
    return tuple(parsed)


def parse(params: Mapping[str, str], *, allowed: frozenset[str]) -> ObjectFilter:
    """Read the filters an endpoint allows; BadRequest for malformed values or filters it does not take."""
    for name in params:
        if name.startswith("match[") and name not in allowed:
            raise BadRequest(N_("This endpoint does not support that filter."), field=name)
    added_after = None
    if params.get("added_after") is not None and "added_after" in allowed:
        added_after = timestamps.micros(params["added_after"])
        if added_after is None:
            raise BadRequest(N_("added_after must be a timestamp like 2024-05-01T00:00:00Z."), field="added_after")
    return ObjectFilter(
        added_after=added_after,
        ids=_values(params.get("match[id]"), "match[id]", _STIX_ID),
        types=_values(params.get("match[type]"), "match[type]", _TYPE),
        versions=_versions(params.get("match[version]")),
        spec_versions=_values(params.get("match[spec_version]"), "match[spec_version]"),
    )


def limit(raw: str | None) -> int:
    """The page size asked for, capped at MAX_LIMIT; BadRequest when not a positive integer."""
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest(N_("limit must be a positive integer."), field="limit")
    return min(int(raw), MAX_LIMIT)
