"""Demo data of matchmaking (after registry and identity): an upcoming hybrid Tokyo/Bengaluru event with
registered Japanese and Indian firms, requests and a provisional schedule; an open online event;
opportunities in three languages; startups, investors, funds, a mission. Loading twice adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi import identity, registry
from kakehashi.kernel.authz import SYSTEM, Actor
from kakehashi.kernel.clock import JST, utcnow
from kakehashi.kernel.demo import DemoOptions
from kakehashi.kernel.errors import DomainError
from kakehashi.matchmaking import (
    events,
    investment,
    opportunities,
    participation,
    phases,
    pitches,
    planning,
    queries,
    recommend,
)
from kakehashi.matchmaking.demo_content import (
    DEMO_DECK,
    FUNDS,
    HYBRID_EVENT,
    INDUS,
    OPPORTUNITIES,
    SAKURA,
    TRACTION,
    VIRTUAL_EVENT,
)
from kakehashi.matchmaking.models import Event, Fund, Mission, Opportunity

SYNC_BATCH = 2000  # organisations embedded by the demo itself; the `matchmaking.profiles.sync` job does the rest
PER_SIDE = 16  # demo people registered per country in the hybrid event
ANCHOR_LOGINS = ("admin@sakura-devices.demo.example", "member@sakura-devices.demo.example",
                 "admin@indus-software.demo.example", "member@indus-software.demo.example")


def load(session: Session, options: DemoOptions) -> None:
    """Load the matchmaking demo (skips what exists; needs the registry and identity demos first)."""
    if registry.find_by_name(session, SAKURA) is None or registry.find_by_name(session, INDUS) is None:
        return
    rng = random.Random(options.seed + 505)
    steps = (_recommendation_profiles, _opportunities, _startups_and_investors, _funds, _hybrid_event, _online_event,
             _mission)
    for done, step in enumerate(steps, start=1):
        options.progress(done - 1, len(steps), "matchmaking demo")
        step(session, rng)
        session.flush()
    options.progress(len(steps), len(steps), "matchmaking demo")


def _recommendation_profiles(session: Session, rng: random.Random) -> None:
    """Embed the demo organisations' offers and seeks so recommendations work at once (the rest: the job)."""
    recommend.sync_profiles(session, batch=SYNC_BATCH)
    recommend.sync_people(session, batch=SYNC_BATCH)  # demo people's expertise, for their own recommendations


def _officer(session: Session, side: str) -> Actor:
    email = "officer@meti.demo.example" if side == "JP" else "officer@meity.demo.example"
    user = identity.find_user_by_email(session, email)
    return user.actor() if user is not None else SYSTEM


def _people(session: Session, country: str, limit: int) -> list[Any]:
    """Demo people of one country's companies and startups who belong to an organisation."""
    found: list[Any] = []
    for kind in ("company", "startup"):
        for org in registry.search(session, country=country, kind=kind, size=100).items:
            found.extend(u for u in identity.users_of_org(session, org.id) if u.email.endswith("people.demo.example"))
    return found[:limit]


def _opportunities(session: Session, rng: random.Random) -> None:
    for owner, spec, publish in OPPORTUNITIES:
        org = registry.find_by_name(session, owner) if owner not in ("JP", "IN") else _any_org(session, owner, rng)
        members = identity.users_of_org(session, org.id) if org is not None else []
        if org is None or not members or session.scalar(select(Opportunity.id).where(
                Opportunity.title == spec.title)) is not None:
            continue
        author = members[0].actor()
        item = opportunities.create_opportunity(session, spec, actor=author)
        opportunities.submit_opportunity(session, item.id, actor=author)
        if publish:
            opportunities.review_opportunity(session, item.id, actor=_officer(session, org.country), approve=True)


def _any_org(session: Session, country: str, rng: random.Random) -> Any:
    """A demo organisation of that country with at least one member (research bodies first)."""
    for kind in ("research_institute", "university", "startup", "company"):
        items = list(registry.search(session, country=country, kind=kind, size=20).items)
        rng.shuffle(items)
        for org in items:
            if org.name_en not in (SAKURA, INDUS) and identity.users_of_org(session, org.id):
                return org
    return None


def _startups_and_investors(session: Session, rng: random.Random) -> None:
    for country, currency in (("JP", "JPY"), ("IN", "INR")):
        for n, org in enumerate(registry.search(session, country=country, kind="startup", size=6).items):
            if queries.startup_of(session, org.id) is not None:
                continue
            scale = Decimal(10_000_000 if currency == "JPY" else 5_000_000)
            investment.save_startup(session, org.id, actor=SYSTEM, stage=investment.STAGES[1 + n % 4],
                                    funding_to_date=scale * rng.randint(1, 40), currency=currency,
                                    raising=scale * rng.randint(20, 100), traction=TRACTION[n % len(TRACTION)],
                                    team_size=rng.randint(5, 120))
            if n < 2:
                investment.upload_pitch_deck(session, org.id, actor=SYSTEM, filename=f"{org.name_en} deck.pdf",
                                             data=DEMO_DECK)
        for org in registry.search(session, country=country, kind="investor", size=4).items:
            if queries.investor_of(session, org.id) is not None:
                continue
            unit = Decimal(10_000_000 if currency == "JPY" else 5_000_000)
            investment.save_investor(session, org.id, investment.InvestorSpec(
                ticket_min=unit * 5, ticket_max=unit * 50, currency=currency, stages=("seed", "series_a"),
                sectors=tuple(s.sector for s in org.sectors)[:3], countries=("JP", "IN"),
                thesis="Cross-border B2B software, semiconductors and digital public infrastructure."), actor=SYSTEM)


def _funds(session: Session, rng: random.Random) -> None:
    for spec in FUNDS:
        if session.scalar(select(Fund.id).where(Fund.name == spec.name)) is None:
            investment.save_fund(session, spec, actor=SYSTEM)


def _event_start(days: int, hour: int) -> dt.datetime:
    today = utcnow().astimezone(JST).date() + dt.timedelta(days=days)
    return dt.datetime(today.year, today.month, today.day, hour, tzinfo=JST)


def _hybrid_event(session: Session, rng: random.Random) -> None:
    if session.scalar(select(Event.id).where(Event.title == HYBRID_EVENT)) is not None:
        return
    officer = _officer(session, "JP")
    day1 = _event_start(21, 8)
    spec = events.EventSpec(
        title=HYBRID_EVENT, format="hybrid", timezone="Asia/Tokyo", starts_at=day1,
        ends_at=day1 + dt.timedelta(days=1, hours=11), slot_minutes=30, max_meetings=8, request_hours=72,
        venue="Tokyo Big Sight, Tokyo · online from Bengaluru",
        description="Two days of 1:1 meetings between Japanese hardware and Indian software firms, startups and "
                    "investors, under the India–Japan Digital Partnership 2.0. Afternoon sessions fall in the "
                    "Bengaluru morning.")
    event = events.create_event(session, spec, actor=officer)
    at = day1.replace
    events.add_break(session, event.id, actor=officer, label="Keynote", starts_at=at(hour=11),
                     ends_at=at(hour=11, minute=30))
    events.add_session(session, event.id, actor=officer, name="Day 1 — Tokyo morning", starts_at=at(hour=10),
                       ends_at=at(hour=12, minute=30), tables=20, room="Hall East 3")
    events.add_session(session, event.id, actor=officer, name="Day 1 — Bengaluru morning", starts_at=at(hour=13,
                       minute=30), ends_at=at(hour=16, minute=30), tables=20, room="Hall East 3")
    day2 = day1 + dt.timedelta(days=1)
    stage = events.add_session(session, event.id, actor=officer, name="Startup pitches", kind="pitch",
                               starts_at=day2.replace(hour=10), ends_at=day2.replace(hour=11), room="Main stage")
    events.add_session(session, event.id, actor=officer, name="Day 2 — Bengaluru morning",
                       starts_at=day2.replace(hour=13, minute=30), ends_at=day2.replace(hour=16, minute=30), tables=20,
                       room="Hall East 3")
    phases.advance_phase(session, event.id, actor=officer, to="open")
    registered = _register_people(session, event, rng)
    _request_meetings(session, event, registered, rng)
    for n, (_profile, org) in enumerate(queries.list_startups(session)[:3]):
        pitches.add_pitch(session, event.id, stage.id, actor=officer, org_id=org.id, title=org.name_en,
                          starts_at=day2.replace(hour=10, minute=10 * n), minutes=8)
    phases.advance_phase(session, event.id, actor=officer, to="requests_closed")
    planning.solve_event(session, event.id, actor=officer, time_limit=5)


def _register_people(session: Session, event: Event, rng: random.Random) -> dict[str, list[Any]]:
    anchors = [identity.find_user_by_email(session, email) for email in ANCHOR_LOGINS]
    people = {"JP": [u for u in anchors[:2] if u], "IN": [u for u in anchors[2:] if u]}
    for country in ("JP", "IN"):
        people[country] += _people(session, country, PER_SIDE)
    slots = events.slots_of(session, event.id)
    for country, users in people.items():
        for user in users:
            away = [s.id for s in slots[:4]] if rng.random() < 0.25 else []  # some miss the Tokyo morning
            org = registry.get_organisation(session, user.org_id) if user.org_id else None
            participation.register(session, event.id, actor=user.actor(), max_meetings=rng.choice((None, 6, 8)),
                                   unavailable_slot_ids=away, pitch=(org.offers.split(". ")[0] if org else "")[:300],
                                   attendance="virtual" if country == "IN" and rng.random() < 0.5 else "in_person")
    return people


def _request_meetings(session: Session, event: Event, people: dict[str, list[Any]], rng: random.Random) -> None:
    """Cross-country requests: most accepted (some keen), some declined, some left to expire."""
    pairs = [(a, b) for a in people["JP"] for b in people["IN"]]
    rng.shuffle(pairs)
    anchor_pair = [(a, b) for a, b in pairs if a.email.startswith("member@sakura") and b.email.startswith("member@indus")]
    for a, b in anchor_pair + pairs[: max(4, len(pairs) // 4)]:
        asker, asked = (a, b) if rng.random() < 0.6 else (b, a)
        theirs = participation.registration_of(session, event.id, asked.id)
        try:
            request = participation.send_request(session, event.id, actor=asker.actor(), recipient_id=theirs.id if theirs
                                                 else 0, message="Shall we meet to discuss a pilot?")
        except DomainError:
            continue  # a rule refused it (e.g. the same pair already asked): skip, as a person would
        roll = rng.random()
        if roll < 0.75 or (a, b) in anchor_pair:
            participation.accept_request(session, request.id, actor=asked.actor(), keen=roll < 0.35)
        elif roll < 0.88:
            participation.decline_request(session, request.id, actor=asked.actor())


def _online_event(session: Session, rng: random.Random) -> None:
    if session.scalar(select(Event.id).where(Event.title == VIRTUAL_EVENT)) is not None:
        return
    officer = _officer(session, "IN")
    start = _event_start(45, 13)
    spec = events.EventSpec(title=VIRTUAL_EVENT, format="virtual", timezone="Asia/Kolkata", starts_at=start,
                            ends_at=start + dt.timedelta(hours=5), slot_minutes=20, max_meetings=10, request_hours=48,
                            description="Online 1:1 meetings on chips, materials and packaging. Registration is open.")
    event = events.create_event(session, spec, actor=officer)
    events.add_session(session, event.id, actor=officer, name="Online meetings", starts_at=start + dt.timedelta(hours=1),
                       ends_at=start + dt.timedelta(hours=4))
    events.add_group(session, event.id, actor=officer, code="supplier", name="Suppliers", may_meet=["buyer"])
    events.add_group(session, event.id, actor=officer, code="buyer", name="Buyers", may_meet=["supplier"])
    phases.advance_phase(session, event.id, actor=officer, to="open")


def _mission(session: Session, rng: random.Random) -> None:
    title = "Japanese startup and investor mission to Bengaluru"
    if session.scalar(select(Mission.id).where(Mission.title == title)) is not None:
        return
    event_id = session.scalar(select(Event.id).where(Event.title == HYBRID_EVENT))
    day = _event_start(19, 9).date()
    mission = investment.create_mission(session, actor=_officer(session, "JP"), title=title, origin="JP",
                                        destination="IN", starts_on=day, ends_on=day + dt.timedelta(days=4),
                                        cities="Bengaluru, Chennai", event_id=event_id,
                                        description="Site visits, the partnering days (online from Bengaluru) and "
                                                    "meetings with Indian startups.")
    sakura = registry.find_by_name(session, SAKURA)
    if sakura is not None:
        investment.join_mission(session, mission.id, actor=SYSTEM, role="company", org_id=sakura.id)
    for kind, role in (("startup", "startup"), ("investor", "investor")):
        for org in registry.search(session, country="JP", kind=kind, size=2).items:
            investment.join_mission(session, mission.id, actor=SYSTEM, role=role, org_id=org.id)
