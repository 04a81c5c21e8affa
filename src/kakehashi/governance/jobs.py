"""Governance jobs: reminders for due and overdue action items, and the daily progress snapshot."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from kakehashi.governance.consultations.reminders import remind
from kakehashi.governance.register import queries, services
from kakehashi.kernel.clock import JST


def snapshot(session: Session, now: dt.datetime) -> int:
    """Record today's roll-up (JST date) for the progress-over-time charts; returns rows written."""
    return services.take_snapshots(session, now.astimezone(JST).date(), queries.progress(session))


JOBS = {"action_reminders": remind, "progress_snapshot": snapshot}
