"""STIX/TAXII timestamps: "2016-04-06T20:03:48.123Z" with any number of fractional digits (or none).

The store compares them as integer microseconds since the epoch; TAXII headers and `date_added` are
written back with microsecond precision.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_TIMESTAMP = re.compile(
    r"([0-9]{4})-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])"
    r"(?:\.([0-9]+))?Z"
)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@lru_cache(maxsize=8192)
def _read(value: str) -> tuple[int, int] | None:
    """(microseconds since the epoch, fractional digits) of a timestamp; cached: feeds repeat them a lot."""
    match = _TIMESTAMP.fullmatch(value)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction = match.group(7) or ""
    try:
        moment = dt.datetime(year, month, day, hour, minute, second, int(fraction[:6].ljust(6, "0")), tzinfo=dt.UTC)
    except ValueError:  # 30 February and the like
        return None
    return to_micros(moment), len(fraction)


def to_micros(moment: dt.datetime) -> int:
    """Microseconds since the epoch of an aware datetime."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def micros(value: object) -> int | None:
    """Microseconds since the epoch of a STIX timestamp (fraction truncated), or None if malformed."""
    if not isinstance(value, str):
        return None
    read = _read(value)
    return None if read is None else read[0]


def fraction_digits(value: str) -> int:
    """How many fractional-second digits a well-formed timestamp has (-1 when malformed)."""
    read = _read(value)
    return -1 if read is None else read[1]


def parse(value: object) -> dt.datetime | None:
    """The aware UTC datetime of a STIX timestamp, or None if malformed."""
    value_us = micros(value)
    return None if value_us is None else _EPOCH + dt.timedelta(microseconds=value_us)


def format_micros(value: int) -> str:
    """A TAXII timestamp with microsecond precision: "2024-05-01T09:30:00.000123Z"."""
    moment = _EPOCH + dt.timedelta(microseconds=value)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
