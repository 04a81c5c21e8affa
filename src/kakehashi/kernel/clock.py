"""Time: one place to ask for "now" (UTC, aware) and the two zones the partnership lives in."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")
IST = ZoneInfo("Asia/Kolkata")
ZONES = {"Asia/Tokyo": JST, "Asia/Kolkata": IST}


def utcnow() -> dt.datetime:
    """The current instant, timezone-aware in UTC."""
    return dt.datetime.now(dt.UTC)


def zone_for_side(side: str | None) -> ZoneInfo:
    """The home zone of a side: JST for Japan, IST for India."""
    return IST if side == "IN" else JST
