"""Reminders for action items: overdue ones (every few days until closed) and ones falling due."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.governance.consultations.models import ActionItem, ActionStatus
from kakehashi.governance.consultations.services import action_recipients
from kakehashi.kernel import notifications
from kakehashi.kernel.clock import IST
from kakehashi.kernel.i18n import N_

REPEAT_EVERY = dt.timedelta(days=3)


def remind(session: Session, now: dt.datetime) -> int:
    """Notify the owners of overdue actions and of actions due today or tomorrow; returns items reminded.

    Each item is reminded at most once per REPEAT_EVERY. "Today" is read in IST, the later of the two zones,
    so an item is called overdue only once its due day has ended on both sides.
    """
    today = now.astimezone(IST).date()
    query = select(ActionItem).where(ActionItem.status == ActionStatus.OPEN.value,
                                     ActionItem.due_on <= today + dt.timedelta(days=1))
    reminded = 0
    for item in session.scalars(query):
        if item.reminded_on is not None and today - item.reminded_on < REPEAT_EVERY:
            continue
        overdue = item.due_on < today
        title = N_("Overdue action: %(title)s") if overdue else N_("Action due soon: %(title)s")
        for user_id in action_recipients(session, item):
            notifications.notify(session, user_id=user_id, kind="governance.action.reminder", title=title,
                                 body=N_("Due on %(due)s."), params={"title": item.title, "due": item.due_on.isoformat()},
                                 link="/governance/todo")
        item.reminded_on = today
        reminded += 1
    session.flush()
    return reminded
