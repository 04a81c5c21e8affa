"""Reminders shortly before each meeting of a final schedule (a job; each person is told once per slot)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.kernel.i18n import N_
from kakehashi.kernel.notifications import notify
from kakehashi.matchmaking.models import Event, Meeting, Registration, Reminder, Slot
from kakehashi.matchmaking.models.event import Phase
from kakehashi.matchmaking.models.meeting import MeetingStatus

#: How long before a meeting its reminder goes out.
REMINDER_LEAD = dt.timedelta(minutes=30)


def send_reminders(session: Session, now: dt.datetime) -> int:
    """Remind both participants of every final meeting starting within REMINDER_LEAD; returns how many."""
    rows = session.execute(
        select(Meeting, Slot, Event).join(Slot, Slot.id == Meeting.slot_id).join(Event, Event.id == Meeting.event_id)
        .where(Meeting.status == MeetingStatus.SCHEDULED.value, Event.phase == Phase.FINAL.value,
               Slot.starts_at > now, Slot.starts_at <= now + REMINDER_LEAD)
    )
    sent = 0
    for meeting, slot, event in rows:
        for reg_id in (meeting.a_id, meeting.b_id):
            if session.get(Reminder, (meeting.id, reg_id, slot.starts_at)) is not None:
                continue
            reg = session.get(Registration, reg_id)
            if reg is None or not reg.active:
                continue
            where = meeting.video_url or f"#{meeting.table_no}"
            notify(session, user_id=reg.user_id, kind="matchmaking.meeting.reminder", title=N_("Meeting soon"),
                   body=N_("Your meeting at %(event)s starts soon (%(where)s)."),
                   params={"event": event.title, "where": where}, link=f"/matchmaking/agenda?event={event.id}")
            session.add(Reminder(meeting_id=meeting.id, registration_id=reg_id, slot_start=slot.starts_at,
                                 sent_at=now))
            sent += 1
    session.flush()
    return sent
