"""Opaque, signed `next` cursors for keyset pagination.

A cursor holds the position after the last row served (date_added, row id) and a fingerprint of the
request it continues (collection, endpoint, filters, reader). It is signed with HMAC-SHA-256 under a key
the caller passes in, so a client can neither forge a position nor replay a cursor under other filters:
any change is refused as a bad request. The server keeps no state per cursor.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
from collections.abc import Iterable

from kakehashi.cyber.errors import BadRequest
from kakehashi.kernel.i18n import N_

_LAYOUT = struct.Struct(">qq8s")
_MAC_BYTES = 16


def fingerprint(parts: Iterable[str]) -> bytes:
    """8 bytes identifying the request a cursor belongs to."""
    return hashlib.sha256("\x1f".join(parts).encode()).digest()[:8]


def encode(key: bytes, added_us: int, row_id: int, request: bytes) -> str:
    """The `next` token for the position after (added_us, row_id) in the request `request`."""
    body = _LAYOUT.pack(added_us, row_id, request)
    mac = hmac.new(key, body, hashlib.sha256).digest()[:_MAC_BYTES]
    return base64.urlsafe_b64encode(body + mac).decode().rstrip("=")


def decode(key: bytes, token: str, request: bytes) -> tuple[int, int]:
    """The (added_us, row_id) of a token made by `encode` for the same request; BadRequest otherwise."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, TypeError):
        raw = b""
    if len(raw) != _LAYOUT.size + _MAC_BYTES:
        raise BadRequest(N_("The next cursor is not valid."), field="next")
    body, mac = raw[: _LAYOUT.size], raw[_LAYOUT.size :]
    if not hmac.compare_digest(mac, hmac.new(key, body, hashlib.sha256).digest()[:_MAC_BYTES]):
        raise BadRequest(N_("The next cursor is not valid."), field="next")
    added_us, row_id, bound_to = _LAYOUT.unpack(body)
    if not hmac.compare_digest(bound_to, request):
        raise BadRequest(N_("The next cursor belongs to another request (filters changed)."), field="next")
    return added_us, row_id
