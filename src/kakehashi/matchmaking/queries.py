"""Read functions for the matchmaking pages, API and CLI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from kakehashi import identity, registry
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.pagination import Page, clamp
from kakehashi.matchmaking.models import (
    Event,
    Fund,
    Interest,
    InvestorProfile,
    MeetingRequest,
    Mission,
    MissionMember,
    Opportunity,
    Registration,
    RegistrationGroup,
    StartupProfile,
)
from kakehashi.matchmaking.models.opportunity import OpportunityStatus
from kakehashi.matchmaking.opportunities import search_key


def _page(session: Session, query: Select[Any], page: int, size: int) -> Page[Any]:
    page, size, offset = clamp(page, size)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return Page(list(session.scalars(query.limit(size).offset(offset))), total, page, size)


def list_events(session: Session, *, page: int = 1, size: int = 20, past: bool = False, all_drafts: bool = False,
                draft_org_id: int | None = None, now: dt.datetime | None = None) -> Page[Event]:
    """Upcoming (or past) events, soonest first; drafts only for who may organise them."""
    now = now or utcnow()
    query = select(Event).where(Event.ends_at < now if past else Event.ends_at >= now)
    if not all_drafts:
        query = query.where(or_(Event.phase != "draft", Event.organiser_org_id == draft_org_id))
    return _page(session, query.order_by(Event.ends_at.desc() if past else Event.starts_at), page, size)


@dataclass(frozen=True)
class Participant:
    """A registration with the person's name and organisation, for lists."""

    registration: Registration
    name: str
    org: Any  # registry.Organisation or None
    group: RegistrationGroup | None


def participants(session: Session, event_id: int, *, q: str = "", side: str = "",
                 org_ids: set[int] | None = None) -> list[Participant]:
    """Active participants of an event, filtered by name/organisation text, side or organisations."""
    query = select(Registration).where(Registration.event_id == event_id, Registration.active.is_(True))
    if side:
        query = query.where(Registration.side == side)
    if org_ids is not None:
        query = query.where(Registration.org_id.in_(org_ids))
    groups = {g.id: g for g in session.scalars(select(RegistrationGroup).where(RegistrationGroup.event_id == event_id))}
    registrations = list(session.scalars(query.order_by(Registration.id)))
    # Two bulk reads instead of two per row (other contexts' rows by id, no cross-context join).
    users = {u.id: u for u in session.scalars(select(identity.User).where(
        identity.User.id.in_({r.user_id for r in registrations})))}
    orgs = {o.id: o for o in session.scalars(select(registry.Organisation).where(
        registry.Organisation.id.in_({r.org_id for r in registrations if r.org_id is not None})))}
    needle = search_key(q.strip()) if q.strip() else ""
    rows = []
    for reg in registrations:
        user, org = users.get(reg.user_id), orgs.get(reg.org_id or 0)
        name = user.name if user else ""
        if needle:
            texts = [name, reg.pitch, *([org.name_en, org.name_ja or "", org.name_hi or "", org.offers, org.seeks]
                                        if org else [])]
            if needle not in search_key(*texts):
                continue
        rows.append(Participant(reg, name, org, groups.get(reg.group_id) if reg.group_id else None))
    return rows


def requests_of(session: Session, registration_id: int) -> tuple[list[MeetingRequest], list[MeetingRequest]]:
    """(received, sent) requests of one participant, newest first."""
    received = session.scalars(select(MeetingRequest).where(MeetingRequest.recipient_id == registration_id)
                               .order_by(MeetingRequest.id.desc()))
    sent = session.scalars(select(MeetingRequest).where(MeetingRequest.requester_id == registration_id)
                           .order_by(MeetingRequest.id.desc()))
    return list(received), list(sent)


def event_requests(session: Session, event_id: int, *, status: str = "") -> list[MeetingRequest]:
    """All requests of an event (for the organiser), newest first."""
    query = select(MeetingRequest).where(MeetingRequest.event_id == event_id)
    if status:
        query = query.where(MeetingRequest.status == status)
    return list(session.scalars(query.order_by(MeetingRequest.id.desc())))


def registrations_of_user(session: Session, user_id: int) -> list[Registration]:
    """Where a person is registered."""
    return list(session.scalars(select(Registration).where(Registration.user_id == user_id,
                                                           Registration.active.is_(True))))


def search_opportunities(
    session: Session, *, q: str = "", kind: str = "", side: str = "", sector: str = "", page: int = 1,
    size: int = 20, now: dt.datetime | None = None,
) -> Page[Opportunity]:
    """Live opportunities matching a text (any script), type, side and sector; newest first."""
    now = now or utcnow()
    query = select(Opportunity).where(Opportunity.status == OpportunityStatus.PUBLISHED.value,
                                      Opportunity.expires_at > now)
    if q.strip():
        query = query.where(Opportunity.search_text.contains(search_key(q.strip()), autoescape=True))
    if kind:
        query = query.where(Opportunity.kind == kind)
    if side:
        query = query.where(Opportunity.side == side)
    rows = query.order_by(Opportunity.published_at.desc(), Opportunity.id.desc())
    if sector:
        # Sector lists are small JSON arrays; filter them in Python to stay portable across databases.
        matching = [o for o in session.scalars(rows) if sector in o.sectors]
        page, size, offset = clamp(page, size)
        return Page(matching[offset:offset + size], len(matching), page, size)
    return _page(session, rows, page, size)


def opportunities_of_org(session: Session, org_id: int) -> list[Opportunity]:
    """Every opportunity of one organisation, newest first (its members' own list)."""
    return list(session.scalars(select(Opportunity).where(Opportunity.org_id == org_id)
                                .order_by(Opportunity.id.desc())))


def review_queue(session: Session, side: str | None) -> list[Opportunity]:
    """Submitted opportunities waiting for an officer of `side` (all sides when None), oldest first."""
    query = select(Opportunity).where(Opportunity.status == OpportunityStatus.SUBMITTED.value)
    if side:
        query = query.where(Opportunity.side == side)
    return list(session.scalars(query.order_by(Opportunity.submitted_at)))


def interests_in(session: Session, opportunity_id: int) -> list[Interest]:
    """Expressions of interest in an opportunity, oldest first."""
    return list(session.scalars(select(Interest).where(Interest.opportunity_id == opportunity_id)
                                .order_by(Interest.id)))


def interest_of_org(session: Session, opportunity_id: int, org_id: int | None) -> Interest | None:
    """An organisation's own expression of interest, if any."""
    if org_id is None:
        return None
    return session.scalar(select(Interest).where(Interest.opportunity_id == opportunity_id, Interest.org_id == org_id))


def list_funds(session: Session, *, corridor: bool = False, invests_in: str = "", page: int = 1,
               size: int = 50) -> Page[Fund]:
    """The fund registry; `corridor` keeps funds with Japanese players investing in India."""
    funds = list(session.scalars(select(Fund).order_by(Fund.name)))
    if corridor:
        funds = [f for f in funds if f.is_japan_india_corridor]
    if invests_in:
        funds = [f for f in funds if invests_in in f.invests_in]
    page, size, offset = clamp(page, size)
    return Page(funds[offset:offset + size], len(funds), page, size)


def list_startups(session: Session, *, stage: str = "") -> list[tuple[StartupProfile, Any]]:
    """Startup profiles with their organisations, by organisation name."""
    query = select(StartupProfile)
    if stage:
        query = query.where(StartupProfile.stage == stage)
    rows = [(p, registry.get_organisation(session, p.org_id)) for p in session.scalars(query)]
    return sorted([r for r in rows if r[1] is not None], key=lambda r: r[1].sort_name)


def list_investors(session: Session, *, stage: str = "", country: str = "") -> list[tuple[InvestorProfile, Any]]:
    """Investor profiles with their organisations, optionally by a stage or a country they invest in."""
    rows = [(p, registry.get_organisation(session, p.org_id)) for p in session.scalars(select(InvestorProfile))]
    rows = [r for r in rows if r[1] is not None and (not stage or stage in r[0].stages)
            and (not country or country in r[0].countries)]
    return sorted(rows, key=lambda r: r[1].sort_name)


def startup_of(session: Session, org_id: int) -> StartupProfile | None:
    return session.scalar(select(StartupProfile).where(StartupProfile.org_id == org_id))


def investor_of(session: Session, org_id: int) -> InvestorProfile | None:
    return session.scalar(select(InvestorProfile).where(InvestorProfile.org_id == org_id))


def list_missions(session: Session) -> list[Mission]:
    """Missions, latest start first."""
    return list(session.scalars(select(Mission).order_by(Mission.starts_on.desc())))


def mission_members(session: Session, mission_id: int) -> list[tuple[MissionMember, Any]]:
    """The organisations on a mission, with their registry records."""
    rows = session.scalars(select(MissionMember).where(MissionMember.mission_id == mission_id))
    return [(m, registry.get_organisation(session, m.org_id)) for m in rows]


def events_with_both(session: Session, user_id: int, org_id: int) -> list[tuple[Event, Registration, list[Registration]]]:
    """Open events where the person is registered and the organisation has participants: (event, mine, theirs)."""
    found = []
    for mine in registrations_of_user(session, user_id):
        event = session.get(Event, mine.event_id)
        theirs = list(session.scalars(select(Registration).where(
            Registration.event_id == mine.event_id, Registration.org_id == org_id, Registration.active.is_(True))))
        if event is not None and theirs:
            found.append((event, mine, theirs))
    return found


def opportunities_for_request(session: Session, org_ids: set[int | None], *, viewer_org_id: int | None
                              ) -> list[Opportunity]:
    """Live opportunities of the organisations, to attach to a meeting request: the viewer's own, and the
    others' named ones (listing an anonymous one under its owner would disclose the owner)."""
    now = utcnow()
    ids = {i for i in org_ids if i is not None}
    return list(session.scalars(select(Opportunity).where(
        Opportunity.org_id.in_(ids), Opportunity.status == OpportunityStatus.PUBLISHED.value,
        or_(Opportunity.anonymous.is_(False), Opportunity.org_id == viewer_org_id),
        or_(Opportunity.expires_at.is_(None), Opportunity.expires_at > now)).order_by(Opportunity.id)))
