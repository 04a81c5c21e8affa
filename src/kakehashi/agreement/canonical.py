"""RFC 8785 (JCS) canonical JSON: the only byte form an instrument payload may take.

Signatures cover bytes, so two serialisations of the same object are two different
documents. Accepting only the canonical form means a payload that was re-serialised
(keys reordered, spaces added, numbers rewritten) is rejected instead of silently trusted.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import orjson
import rfc8785

_MAX_SAFE_INTEGER = 2**53 - 1


class NotCanonicalError(ValueError):
    """Bytes are not the RFC 8785 canonical JSON form of an object; the message says why."""


def _simple(value: Any) -> bool:
    """True when orjson's sorted output is exactly RFC 8785's: no floats, safe integers, ASCII keys."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            for key, child in item.items():
                if type(key) is not str or not key.isascii():  # non-ASCII keys: JCS sorts by UTF-16 units
                    return False
                stack.append(child)
        elif kind is list or kind is tuple:
            stack.extend(item)
        elif kind is int:
            if not -_MAX_SAFE_INTEGER <= item <= _MAX_SAFE_INTEGER:
                return False
        elif not (kind is str or kind is bool or item is None):
            return False  # floats (JCS number formatting) and anything else take the reference path
    return True


def canonicalize(value: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of a JSON-compatible value.

    Values without floats, with safe integers and ASCII member names are serialised by orjson (sorted
    keys, same escaping: ~100 times faster, which the log's append rate needs); the rest by `rfc8785`.
    A property test checks both agree.
    """
    if _simple(value):
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:
            pass  # e.g. lone surrogates: let the reference implementation say what is wrong
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise NotCanonicalError(f"value cannot be canonicalised: {exc}") from exc


def sha256_hex(data: bytes) -> str:
    """Return the lowercase hex SHA-256 of bytes (digests of texts and payloads)."""
    return hashlib.sha256(data).hexdigest()


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise NotCanonicalError(f"duplicate member name {key!r}")
        result[key] = value
    return result


def _reject_constant(name: str) -> None:
    raise NotCanonicalError(f"{name} is not valid JSON")


def parse_canonical(data: bytes) -> dict[str, Any]:
    """Parse a canonical JSON object; raise NotCanonicalError if the bytes are anything else."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotCanonicalError("payload is not UTF-8") from exc
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise NotCanonicalError(f"payload is not JSON: {exc.msg}") from exc
    if not isinstance(value, dict):
        raise NotCanonicalError("payload is not a JSON object")
    if canonicalize(value) != data:
        raise NotCanonicalError("payload is not in RFC 8785 canonical form (was it re-serialised?)")
    return value
