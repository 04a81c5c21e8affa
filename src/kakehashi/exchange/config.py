"""What the exchange's entry points (pages, API, CLI, jobs) read from settings and hand to services."""

from __future__ import annotations

from kakehashi.exchange.crypto import Keyring, parse_keyring
from kakehashi.exchange.screening import ScreeningLimits
from kakehashi.settings import Settings


def keyring_for(settings: Settings) -> Keyring:
    """KAKEHASHI_MASTER_KEY (or _FILE): the current key, then retired ones, comma-separated."""
    return parse_keyring(settings.master_key)


def limits_for(settings: Settings) -> ScreeningLimits:
    """Upload limits: the size from KAKEHASHI_UPLOAD_MAX_BYTES, the archive bounds fixed."""
    return ScreeningLimits(max_upload_bytes=settings.upload_max_bytes)
