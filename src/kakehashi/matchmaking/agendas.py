"""Personal agendas: a person's scheduled meetings across events, their iCalendar feed and its secret URL.

The feed URL carries `<user id>-<token>` where the token is an HMAC (under the platform's secret key,
passed in by the caller) of a random nonce stored per person, so calendar apps subscribe without a
session, a database copy alone does not reveal any URL, and rotating the nonce revokes the old URL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as VEvent
from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi import identity, registry
from kakehashi.kernel.clock import utcnow, zone_for_side
from kakehashi.matchmaking.models import (
    CalendarFeed,
    Event,
    EventSession,
    Meeting,
    MeetingFeedback,
    MeetingRequest,
    Registration,
    Slot,
)
from kakehashi.matchmaking.models.event import Phase
from kakehashi.matchmaking.models.meeting import MeetingStatus

VISIBLE_PHASES = (Phase.PROVISIONAL.value, Phase.FINAL.value)


@dataclass(frozen=True)
class AgendaItem:
    """One meeting as its participant sees it."""

    meeting_id: int
    event_id: int
    event_title: str
    venue: str
    final: bool
    starts_at: dt.datetime
    ends_at: dt.datetime
    table_no: int
    room: str
    virtual: bool
    video_url: str
    counterpart_name: str
    counterpart_org: Any  # registry.Organisation or None
    counterpart_side: str
    message: str
    checked_in: bool
    feedback_given: bool
    sequence: int


def agenda_for(session: Session, user_id: int, *, event_id: int | None = None) -> list[AgendaItem]:
    """The person's meetings in events whose schedule is out (provisional or final), in time order."""
    query = (select(Registration, Event).join(Event, Event.id == Registration.event_id)
             .where(Registration.user_id == user_id, Registration.active.is_(True), Event.phase.in_(VISIBLE_PHASES)))
    if event_id is not None:
        query = query.where(Event.id == event_id)
    items: list[AgendaItem] = []
    for reg, event in session.execute(query):
        meetings = session.scalars(select(Meeting).where(
            Meeting.event_id == event.id, Meeting.status == MeetingStatus.SCHEDULED.value,
            (Meeting.a_id == reg.id) | (Meeting.b_id == reg.id)))
        items.extend(_item(session, event, reg, meeting) for meeting in meetings)
    return sorted(items, key=lambda item: (item.starts_at, item.meeting_id))


def _item(session: Session, event: Event, reg: Registration, meeting: Meeting) -> AgendaItem:
    slot = session.get(Slot, meeting.slot_id)
    assert slot is not None
    block = session.get(EventSession, slot.session_id)
    other = session.get(Registration, meeting.other(reg.id))
    assert other is not None
    person = identity.get_user(session, other.user_id)
    request = session.get(MeetingRequest, meeting.request_id)
    mine_checked = meeting.a_checked_in_at if reg.id == meeting.a_id else meeting.b_checked_in_at
    feedback = session.scalar(select(MeetingFeedback.id).where(
        MeetingFeedback.meeting_id == meeting.id, MeetingFeedback.registration_id == reg.id))
    return AgendaItem(
        meeting_id=meeting.id, event_id=event.id, event_title=event.title, venue=event.venue,
        final=event.phase == Phase.FINAL, starts_at=slot.starts_at, ends_at=slot.ends_at, table_no=meeting.table_no,
        room=block.room if block else "", virtual=slot.tables is None or bool(meeting.video_url),
        video_url=meeting.video_url, counterpart_name=person.name,
        counterpart_org=registry.get_organisation(session, other.org_id) if other.org_id else None,
        counterpart_side=other.side, message=request.message if request else "", checked_in=mine_checked is not None,
        feedback_given=feedback is not None, sequence=event.schedule_version,
    )


def feed_zone(session: Session, user_id: int) -> ZoneInfo:
    """The zone a person's calendar shows: their preference, else their side's (JST or IST)."""
    user = identity.get_user(session, user_id)
    if user.preferred_timezone:
        return ZoneInfo(user.preferred_timezone)
    org = registry.get_organisation(session, user.org_id) if user.org_id else None
    return zone_for_side(org.country if org else user.side)


def calendar_feed(session: Session, user_id: int, *, base_url: str) -> bytes:
    """The person's agenda as an iCalendar document (times carry the person's zone, with VTIMEZONE)."""
    zone = feed_zone(session, user_id)
    calendar = Calendar()
    calendar.add("prodid", "-//Kakehashi//Matchmaking agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Kakehashi meetings")
    calendar.add("x-wr-timezone", zone.key)
    stamp = utcnow()
    for item in agenda_for(session, user_id):
        calendar.add_component(_vevent(item, zone, stamp, base_url))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _vevent(item: AgendaItem, zone: ZoneInfo, stamp: dt.datetime, base_url: str) -> VEvent:
    org = item.counterpart_org
    who = f"{item.counterpart_name} ({org.name_en})" if org is not None else item.counterpart_name
    vevent = VEvent()
    vevent.add("uid", f"meeting-{item.meeting_id}@kakehashi")
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", item.starts_at.astimezone(zone))
    vevent.add("dtend", item.ends_at.astimezone(zone))
    vevent.add("summary", f"Meeting: {who}")
    place = item.video_url or ", ".join(p for p in (f"Table {item.table_no}", item.room, item.venue) if p)
    vevent.add("location", place)
    vevent.add("description", f"{item.event_title}\n{item.message}".strip())
    vevent.add("url", item.video_url or f"{base_url}/matchmaking/agenda?event={item.event_id}")
    vevent.add("status", "CONFIRMED" if item.final else "TENTATIVE")
    vevent.add("sequence", item.sequence)
    return vevent


def feed_nonce(session: Session, user_id: int) -> str:
    """The person's feed nonce, created on first use."""
    feed = session.get(CalendarFeed, user_id)
    if feed is None:
        feed = CalendarFeed(user_id=user_id, nonce=secrets.token_hex(16), created_at=utcnow())
        session.add(feed)
        session.flush()
    return feed.nonce


def rotate_feed(session: Session, user_id: int) -> str:
    """A new nonce: every calendar subscribed with the old URL stops receiving updates."""
    feed = session.get(CalendarFeed, user_id)
    if feed is None:
        return feed_nonce(session, user_id)
    feed.nonce, feed.created_at = secrets.token_hex(16), utcnow()
    return feed.nonce


def feed_token(key: str, user_id: int, nonce: str) -> str:
    """The secret part of a feed URL."""
    return hmac.new(key.encode(), f"calendar:{user_id}:{nonce}".encode(), hashlib.sha256).hexdigest()[:40]


def feed_path(session: Session, user_id: int, *, key: str) -> str:
    """The subscription path of a person's feed."""
    return f"/matchmaking/calendar/{user_id}-{feed_token(key, user_id, feed_nonce(session, user_id))}.ics"


def feed_owner(session: Session, handle: str, *, key: str) -> int | None:
    """The user a feed handle (`<id>-<token>`) belongs to, or None when it is wrong or revoked."""
    user_part, _, token = handle.partition("-")
    if not user_part.isdigit():
        return None
    feed = session.get(CalendarFeed, int(user_part))
    if feed is None or not hmac.compare_digest(feed_token(key, feed.user_id, feed.nonce), token):
        return None
    return feed.user_id
