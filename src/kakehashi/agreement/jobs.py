"""Jobs of the agreement context: deadline reminders, and the demo witnesses' cosigning round."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.agreement import queries, witnessing
from kakehashi.agreement.lifecycle import LifecycleError
from kakehashi.agreement.models import Reminder, SignerKey
from kakehashi.kernel import audit, notifications
from kakehashi.kernel.authz import SYSTEM
from kakehashi.kernel.clock import JST
from kakehashi.kernel.i18n import N_

REMIND_DAYS = (90, 30, 7, 1)
REMINDED_KINDS = ("expiry", "notice_period_ends", "renewal_window_opens")
TITLES = {
    "expiry": N_("The agreement expires soon"),
    "notice_period_ends": N_("The notice period ends soon"),
    "renewal_window_opens": N_("The renewal window opens soon"),
}


def send_reminders(
    session: Session, *, today: dt.date, now: dt.datetime, days_before: tuple[int, ...] = REMIND_DAYS
) -> list[Reminder]:
    """Record (once) a reminder for each deadline now within one of the `days_before` horizons.

    After downtime only the nearest horizon is sent, not a burst of stale ones. Each signatory with a
    current key is notified in the platform (and by e-mail when SMTP is configured).
    """
    sent: list[Reminder] = []
    signatories = sorted(
        {
            user_id
            for user_id in session.scalars(select(SignerKey.user_id).where(SignerKey.revoked_at.is_(None)))
            if user_id is not None
        }
    )
    for agreement in queries.list_agreements(session):
        try:
            deadlines = queries.timeline(session, agreement).deadlines(today)
        except LifecycleError:
            continue
        for deadline in (d for d in deadlines if d.kind in REMINDED_KINDS):
            due = [d for d in days_before if deadline.on - dt.timedelta(days=d) <= today]
            if not due:
                continue
            horizon = min(due)
            exists = session.scalar(
                select(Reminder.id).where(
                    Reminder.agreement_id == agreement.id,
                    Reminder.kind == deadline.kind,
                    Reminder.due_on == deadline.on,
                    Reminder.days_before == horizon,
                )
            )
            if exists is not None:
                continue
            reminder = Reminder(
                agreement_id=agreement.id, kind=deadline.kind, due_on=deadline.on, days_before=horizon, sent_at=now
            )
            session.add(reminder)
            audit.record(
                session,
                SYSTEM,
                "agreement.reminder",
                target_type="agreement_agreement",
                target_id=agreement.id,
                details={"kind": deadline.kind, "on": deadline.on.isoformat(), "days_before": horizon},
            )
            for user_id in signatories:
                notifications.notify(
                    session,
                    user_id=user_id,
                    kind="agreement.deadline",
                    title=TITLES[deadline.kind],
                    body=N_("%(agreement)s: %(days)s day(s) left, on %(on)s."),
                    params={"agreement": agreement.title, "days": horizon, "on": deadline.on.isoformat()},
                    link=f"/agreement/{agreement.slug}/deadlines",
                )
            sent.append(reminder)
    session.flush()
    return sent


def reminders_job(session: Session, now: dt.datetime) -> int:
    """Daily: reminders for deadlines as of today in Tokyo (the earlier of the two calendars)."""
    return len(send_reminders(session, today=now.astimezone(JST).date(), now=now))


def demo_witnesses_job(session: Session, now: dt.datetime) -> int:
    """DEMO ONLY: the demo witnesses check consistency and cosign the latest checkpoint."""
    return len(witnessing.cosign_with_demo_witnesses(session, now=now))


JOBS = {"reminders": reminders_job, "demo_witnesses": demo_witnesses_job}
