"""iCalendar (RFC 5545) feed of consultations, for the officers' own calendar programs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Event

from kakehashi.governance.consultations.models import Meeting, MeetingStatus, Mode

PRODID = "-//Kakehashi//Joint Working Group consultations//EN"


def meeting_event(meeting: Meeting, *, base_url: str, stamp: dt.datetime) -> Event:
    """One consultation as a VEVENT: UTC times, venue and/or video link, cancelled ones marked so."""
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title if not meeting.title_ja else f"{meeting.title} / {meeting.title_ja}")
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    event.add("url", f"{base_url}/governance/consultations/{meeting.id}")
    where = [part for part in (meeting.venue, meeting.video_url if meeting.mode != Mode.PHYSICAL else None) if part]
    if where:
        event.add("location", " · ".join(where))
    description = [f"Mode: {meeting.mode}"]
    if meeting.video_url:
        description.append(f"Video: {meeting.video_url}")
    event.add("description", "\n".join(description))
    return event


def feed(meetings: Iterable[Meeting], *, base_url: str, stamp: dt.datetime) -> bytes:
    """A VCALENDAR holding every given consultation."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Kakehashi JWG consultations")
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, base_url=base_url, stamp=stamp))
    data: bytes = calendar.to_ical()
    return data
