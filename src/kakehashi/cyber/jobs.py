"""Background jobs of the cyber context (run by `kakehashi jobs run`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from kakehashi.cyber import conformity, ledger


def drain_log_outbox(session: Session, now: dt.datetime) -> int:
    """Append any TAXII evidence still queued to the transparency log (the server usually does it at once)."""
    return ledger.drain(session, limit=100_000)


def accreditation_reminders(session: Session, now: dt.datetime) -> int:
    """Expire lapsed accreditations and remind officers of those ending within 90 days."""
    return conformity.send_expiry_reminders(session, now)


JOBS = {"log_outbox": drain_log_outbox, "accreditation_reminders": accreditation_reminders}
