"""Background jobs of matchmaking: request expiry, meeting reminders, opportunity expiry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from kakehashi.matchmaking.opportunities import expire_opportunities
from kakehashi.matchmaking.participation import expire_requests
from kakehashi.matchmaking.reminders import send_reminders

JOBS: dict[str, Callable[[Session, dt.datetime], int]] = {
    "requests.expire": expire_requests,
    "meetings.remind": send_reminders,
    "opportunities.expire": expire_opportunities,
}
