"""The matchmaking demo: built on the registry and identity demos, complete, and idempotent."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kakehashi import identity, registry
from kakehashi.contexts import optional_module
from kakehashi.kernel.authz import SYSTEM
from kakehashi.kernel.demo import DemoOptions
from kakehashi.matchmaking import agendas, planning, queries, recommend
from kakehashi.matchmaking.demo_content import HYBRID_EVENT, INDUS, SAKURA, VIRTUAL_EVENT
from kakehashi.matchmaking.models import Event, Fund, MeetingRequest, Mission, Opportunity, Registration
from kakehashi.matchmaking.recommend.models import RecoPerson
from kakehashi.matchmaking.scheduling import verify_schedule

OPTIONS = DemoOptions(orgs=60, people=60, seed=11)


def load_all(db: Session) -> None:
    for context in ("registry", "identity", "matchmaking"):
        module = optional_module(context, "demo")
        assert module is not None
        module.load(db, OPTIONS)
        db.flush()


def counts(db: Session) -> dict[str, int]:
    return {model.__name__: db.scalar(select(func.count()).select_from(model)) or 0
            for model in (Event, Registration, MeetingRequest, Opportunity, Fund, Mission)}


def test_the_demo_builds_a_scheduled_hybrid_event_and_loading_twice_adds_nothing(db: Session) -> None:
    load_all(db)
    first = counts(db)
    hybrid = db.scalar(select(Event).where(Event.title == HYBRID_EVENT))
    online = db.scalar(select(Event).where(Event.title == VIRTUAL_EVENT))
    assert hybrid is not None and online is not None
    assert (hybrid.format, hybrid.phase, online.phase) == ("hybrid", "provisional", "open")
    sides = {r.side for r in planning.active_registrations(db, hybrid.id)}
    assert sides == {"JP", "IN"} and first["Registration"] >= 10
    statuses = {r.status for r in queries.event_requests(db, hybrid.id)}
    assert {"accepted", "declined"} <= statuses
    run = planning.latest_run(db, hybrid.id)
    assert run is not None and run.meetings > 0 and run.ratio is not None and run.ratio >= 0.98
    assert verify_schedule(planning.export_instance(db, hybrid), planning.export_schedule(db, hybrid)) == []
    assert queries.search_opportunities(db).total >= 5 and queries.list_funds(db, corridor=True).total >= 1
    member = db.scalar(select(Registration.user_id).where(Registration.event_id == hybrid.id))
    assert member is not None and isinstance(agendas.agenda_for(db, member), list)
    load_all(db)
    assert counts(db) == first


def test_the_demo_embeds_profiles_so_the_anchor_firms_find_each_other(db: Session) -> None:
    load_all(db)
    sakura, indus = registry.find_by_name(db, SAKURA), registry.find_by_name(db, INDUS)
    assert sakura is not None and indus is not None
    suggested = recommend.recommend_partners(db, sakura.id, actor=SYSTEM, limit=5, count_impressions=False)
    assert indus.id in [s.recommendation.org_id for s in suggested]


def test_the_demo_embeds_demo_peoples_expertise_so_each_gets_partners(db: Session) -> None:
    load_all(db)
    person = db.scalar(select(identity.User).where(identity.User.email == "person1@people.demo.example"))
    assert person is not None and person.expertise and person.org_id is not None
    stored = db.scalar(select(func.count()).select_from(RecoPerson))
    assert stored is not None and stored >= OPTIONS.people
    assert recommend.sync_people(db) == 0  # the demo already embedded everyone
    suggested = recommend.recommend_for_person(db, person.id, actor=person.actor(), limit=5, count_impressions=False)
    country = registry.get_organisation(db, person.org_id).country  # type: ignore[union-attr]
    assert suggested and all(s.organisation.country != country for s in suggested)
    assert any(r.code is recommend.ReasonCode.EXPERTISE_OFFER or r.code is recommend.ReasonCode.SEEK_EXPERTISE
               for s in suggested for r in s.recommendation.reasons)
