"""Jobs of the exchange: erase content whose retention date has passed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from kakehashi.exchange import services
from kakehashi.kernel.authz import SYSTEM


def purge_expired(session: Session, now: dt.datetime) -> int:
    """Erase the content of items past retention (the decision log and metadata stay)."""
    return services.purge_expired(session, actor=SYSTEM, now=now)


JOBS = {"purge_expired": purge_expired}
