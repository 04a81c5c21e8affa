"""Read functions of consultations: meeting lists, a person's to-do list, actions per commitment, overdue items."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kakehashi.governance.consultations.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendee,
    Decision,
    Meeting,
    MeetingStatus,
)
from kakehashi.kernel.authz import Actor
from kakehashi.kernel.pagination import Page, clamp


def meetings(session: Session, *, page: int = 1, size: int = 20, public_only: bool = False) -> Page[Meeting]:
    """Consultations, newest first."""
    page, size, offset = clamp(page, size)
    query = select(Meeting)
    if public_only:
        query = query.where(Meeting.is_public.is_(True), Meeting.status != MeetingStatus.CANCELLED.value)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = list(session.scalars(query.order_by(Meeting.starts_at.desc()).offset(offset).limit(size)))
    return Page(items, total, page, size)


def meetings_between(session: Session, start: dt.datetime, end: dt.datetime) -> list[Meeting]:
    """Consultations starting within [start, end), oldest first (calendar feeds, the report)."""
    query = select(Meeting).where(Meeting.starts_at >= start, Meeting.starts_at < end).order_by(Meeting.starts_at)
    return list(session.scalars(query))


@dataclass
class MeetingDetail:
    """A meeting with its agenda, attendees, decisions and actions."""

    meeting: Meeting
    agenda: list[AgendaItem]
    attendees: list[Attendee]
    decisions: list[Decision]
    actions: list[ActionItem]

    def sides_present(self) -> set[str]:
        """The sides of the people who attended."""
        return {a.side for a in self.attendees if a.attended and a.side}

    def both_sides_attended(self) -> bool:
        """Whether people of both Japan and India attended."""
        return self.sides_present() == {"JP", "IN"}


def detail(session: Session, meeting: Meeting) -> MeetingDetail:
    """Everything shown on a meeting's page."""
    return MeetingDetail(
        meeting=meeting,
        agenda=list(session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                                    .order_by(AgendaItem.position))),
        attendees=list(session.scalars(select(Attendee).where(Attendee.meeting_id == meeting.id)
                                       .order_by(Attendee.side, Attendee.name))),
        decisions=list(session.scalars(select(Decision).where(Decision.meeting_id == meeting.id).order_by(Decision.id))),
        actions=list(session.scalars(select(ActionItem).where(ActionItem.meeting_id == meeting.id).order_by(ActionItem.id))),
    )


def todo(session: Session, actor: Actor, *, include_closed: bool = False) -> list[ActionItem]:
    """The actor's to-do list: actions they own, or their organisation owns, soonest due first."""
    if actor.user_id is None:
        return []
    owners = [ActionItem.owner_user_id == actor.user_id]
    if actor.org_id is not None:
        owners.append(ActionItem.owner_org_id == actor.org_id)
    query = select(ActionItem).where(or_(*owners))
    if not include_closed:
        query = query.where(ActionItem.status == ActionStatus.OPEN.value)
    return list(session.scalars(query.order_by(ActionItem.due_on, ActionItem.id)))


def actions_for_commitment(session: Session, commitment_id: int) -> list[ActionItem]:
    """The action items concerning one commitment, open ones first."""
    query = select(ActionItem).where(ActionItem.commitment_id == commitment_id)
    rows = list(session.scalars(query.order_by(ActionItem.due_on)))
    return sorted(rows, key=lambda a: a.status != ActionStatus.OPEN)


def decisions_for_commitment(session: Session, commitment_id: int) -> list[tuple[Decision, Meeting]]:
    """Decisions about one commitment, with their meeting, newest first."""
    query = (select(Decision, Meeting).join(Meeting, Meeting.id == Decision.meeting_id)
             .where(Decision.commitment_id == commitment_id).order_by(Meeting.starts_at.desc()))
    return [(decision, meeting) for decision, meeting in session.execute(query)]


def overdue(session: Session, today: dt.date) -> list[ActionItem]:
    """Open actions past their due date, oldest due first."""
    query = select(ActionItem).where(ActionItem.status == ActionStatus.OPEN.value, ActionItem.due_on < today)
    return list(session.scalars(query.order_by(ActionItem.due_on)))


def overdue_by_commitment(session: Session, today: dt.date) -> Counter[int | None]:
    """How many overdue actions each commitment has (None: actions about no commitment)."""
    return Counter(item.commitment_id for item in overdue(session, today))


def decisions_between(session: Session, start: dt.datetime, end: dt.datetime) -> list[tuple[Decision, Meeting]]:
    """Decisions of meetings held within [start, end), oldest first (the yearly report)."""
    query = (select(Decision, Meeting).join(Meeting, Meeting.id == Decision.meeting_id)
             .where(Meeting.starts_at >= start, Meeting.starts_at < end).order_by(Meeting.starts_at, Decision.id))
    return [(decision, meeting) for decision, meeting in session.execute(query)]


def open_actions(session: Session) -> list[ActionItem]:
    """Every open action, soonest due first."""
    query = select(ActionItem).where(ActionItem.status == ActionStatus.OPEN.value)
    return list(session.scalars(query.order_by(ActionItem.due_on)))
