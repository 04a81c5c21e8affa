"""Background jobs of matchmaking: request expiry, meeting reminders, opportunity expiry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from kakehashi.matchmaking.opportunities import expire_opportunities
from kakehashi.matchmaking.participation import expire_requests
from kakehashi.matchmaking.recommend import sync_people, sync_profiles
from kakehashi.matchmaking.reminders import send_reminders


def sync_recommendation_profiles(session: Session, now: dt.datetime) -> int:
    """Embed organisations whose profile changed since they were last embedded (the recommender's index)."""
    return sync_profiles(session)


def sync_recommendation_people(session: Session, now: dt.datetime) -> int:
    """Embed people whose expertise or organisation changed (a backstop for identity's profile-save hook)."""
    return sync_people(session)


JOBS: dict[str, Callable[[Session, dt.datetime], int]] = {
    "requests.expire": expire_requests,
    "meetings.remind": send_reminders,
    "opportunities.expire": expire_opportunities,
    "profiles.sync": sync_recommendation_profiles,
    "people.sync": sync_recommendation_people,
}
