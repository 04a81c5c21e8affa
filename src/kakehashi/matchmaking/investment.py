"""Startups and investors: profiles with exact amounts, pitch decks, the fund registry, missions, pitches."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi import registry
from kakehashi.kernel import audit
from kakehashi.kernel.authz import SYSTEM, Actor, can, require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.matchmaking import recommend
from kakehashi.matchmaking.decks import MAX_DECK_BYTES, safe_filename, sniff_deck
from kakehashi.matchmaking.errors import MatchmakingNotFound
from kakehashi.matchmaking.models import Fund, InvestorProfile, Mission, MissionMember, PitchDeck, StartupProfile
from kakehashi.matchmaking.models.investment import Currency, Stage

SIDES = ("JP", "IN")
MEMBER_ROLES = ("company", "startup", "investor")
CURRENCIES = tuple(c.value for c in Currency)
STAGES = tuple(s.value for s in Stage)


def require_org_editor(session: Session, actor: Actor, org_id: int) -> None:
    """Members of the organisation, or whoever may edit it in the registry (officers of its side, admins)."""
    require(actor, "matchmaking.participate")
    if actor.org_id != org_id and not can(actor, "registry.org.edit", org_id=org_id, side=_side_of(session, org_id)):
        raise Forbidden(N_("Only members of this organisation can change its profile."))


def _side_of(session: Session, org_id: int) -> str:
    """The organisation's country, the side a grant over it needs (an unknown one matches no officer)."""
    org = registry.get_organisation(session, org_id)
    return org.country if org is not None else "?"


def _org(session: Session, org_id: int) -> registry.Organisation:
    org = registry.get_organisation(session, org_id)
    if org is None:
        raise MatchmakingNotFound(N_("No such organisation."))
    return org


def _money(value: Decimal | None, field: str, errors: dict[str, str], *, required: bool = True) -> None:
    if value is None:
        if required:
            errors[field] = N_("An amount is required.")
    elif value < 0 or value >= Decimal(10) ** 16 or value != value.quantize(Decimal("0.01")):
        errors[field] = N_("A positive amount with at most two decimals.")


def save_startup(
    session: Session, org_id: int, *, actor: Actor, stage: str, funding_to_date: Decimal, currency: str,
    raising: Decimal | None = None, traction: str = "", team_size: int | None = None,
) -> StartupProfile:
    """Create or update a startup organisation's profile."""
    require_org_editor(session, actor, org_id)
    org = _org(session, org_id)
    errors: dict[str, str] = {}
    if org.kind != "startup":
        errors["org"] = N_("Only organisations registered as startups have a startup profile.")
    if stage not in STAGES:
        errors["stage"] = N_("Choose a stage.")
    if currency not in CURRENCIES:
        errors["currency"] = N_("Choose JPY, INR or USD.")
    _money(funding_to_date, "funding_to_date", errors)
    _money(raising, "raising", errors, required=False)
    if team_size is not None and not 1 <= team_size <= 100_000:
        errors["team_size"] = N_("Between 1 and 100,000 people.")
    if len(traction) > 4000:
        errors["traction"] = N_("At most 4,000 characters.")
    if errors:
        raise ValidationFailed(errors)
    profile = session.scalar(select(StartupProfile).where(StartupProfile.org_id == org_id)) or StartupProfile(
        org_id=org_id)
    profile.stage, profile.funding_to_date, profile.currency, profile.raising = stage, funding_to_date, currency, raising
    profile.traction, profile.team_size = traction.strip(), team_size
    profile.updated_at, profile.updated_by = utcnow(), actor.user_id
    session.add(profile)
    session.flush()
    _share_stages(session, org_id, stage=stage)
    return profile


def _share_stages(session: Session, org_id: int, *, stage: str | None = None, stages: list[str] | None = None) -> None:
    """Give the recommender the stage(s) its startup↔investor stage-fit rule uses (access checked above)."""
    try:
        recommend.set_stage(session, org_id, actor=SYSTEM, stage=stage, investment_stages=stages or ())
    except NotFound:  # the organisation was never embedded: embed it now, then record the stage
        recommend.refresh_profile(session, org_id, actor=SYSTEM)
        recommend.set_stage(session, org_id, actor=SYSTEM, stage=stage, investment_stages=stages or ())


def upload_pitch_deck(session: Session, org_id: int, *, actor: Actor, filename: str, data: bytes,
                      max_bytes: int = MAX_DECK_BYTES) -> PitchDeck:
    """Store a pitch deck (size-limited, type sniffed from its bytes) and make it the startup's current deck."""
    require_org_editor(session, actor, org_id)
    profile = session.scalar(select(StartupProfile).where(StartupProfile.org_id == org_id))
    if profile is None:
        raise ValidationFailed({"deck": N_("Save the startup profile first.")})
    content_type = sniff_deck(data, max_bytes=max_bytes)
    deck = PitchDeck(org_id=org_id, filename=safe_filename(filename, content_type), content_type=content_type,
                     size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data, uploaded_at=utcnow(),
                     uploaded_by=actor.user_id)
    session.add(deck)
    session.flush()
    profile.pitch_deck_id = deck.id
    audit.record(session, actor, "matchmaking.deck.uploaded", target_type="matchmaking_pitch_deck", target_id=deck.id,
                 details={"org_id": org_id, "size": len(data), "sha256": deck.sha256})
    return deck


def pitch_deck_for(session: Session, deck_id: int, *, actor: Actor) -> PitchDeck:
    """A deck for download: its startup's members, investors, officers and admins may read it."""
    require(actor, "matchmaking.participate")
    deck = session.get(PitchDeck, deck_id)
    if deck is None:
        raise MatchmakingNotFound(N_("No such pitch deck."))
    investor = actor.org_id is not None and session.scalar(
        select(InvestorProfile.id).where(InvestorProfile.org_id == actor.org_id)) is not None
    if not (actor.org_id == deck.org_id or investor or actor.is_officer or actor.is_admin):
        raise Forbidden(N_("Pitch decks are shared with investors."))
    return deck


@dataclass(frozen=True)
class InvestorSpec:
    """An investor's mandate: ticket range (exact, one currency), stages, sectors and countries."""

    ticket_min: Decimal
    ticket_max: Decimal
    currency: str
    stages: tuple[str, ...]
    sectors: tuple[str, ...] = ()
    countries: tuple[str, ...] = SIDES
    thesis: str = ""

    def check(self) -> None:
        errors: dict[str, str] = {}
        _money(self.ticket_min, "ticket_min", errors)
        _money(self.ticket_max, "ticket_max", errors)
        if not errors and self.ticket_max < self.ticket_min:
            errors["ticket_max"] = N_("The largest ticket must be at least the smallest.")
        if self.currency not in CURRENCIES:
            errors["currency"] = N_("Choose JPY, INR or USD.")
        if not self.stages or any(s not in STAGES for s in self.stages):
            errors["stages"] = N_("Choose the stages you invest in.")
        if any(code not in {s.code for s in registry.SECTORS} for code in self.sectors):
            errors["sectors"] = N_("Choose sectors from the list.")
        if not self.countries or any(c not in SIDES for c in self.countries):
            errors["countries"] = N_("Choose Japan, India or both.")
        if len(self.thesis) > 4000:
            errors["thesis"] = N_("At most 4,000 characters.")
        if errors:
            raise ValidationFailed(errors)


def save_investor(session: Session, org_id: int, spec: InvestorSpec, *, actor: Actor) -> InvestorProfile:
    """Create or update an investor organisation's mandate."""
    require_org_editor(session, actor, org_id)
    _org(session, org_id)
    spec.check()
    profile = session.scalar(select(InvestorProfile).where(InvestorProfile.org_id == org_id)) or InvestorProfile(
        org_id=org_id)
    profile.ticket_min, profile.ticket_max, profile.currency = spec.ticket_min, spec.ticket_max, spec.currency
    profile.stages, profile.sectors = sorted(set(spec.stages)), sorted(set(spec.sectors))
    profile.countries, profile.thesis = sorted(set(spec.countries)), spec.thesis.strip()
    profile.updated_at, profile.updated_by = utcnow(), actor.user_id
    session.add(profile)
    session.flush()
    _share_stages(session, org_id, stages=profile.stages)
    return profile


@dataclass(frozen=True)
class FundSpec:
    """A fund as the registry records it."""

    name: str
    manager_name: str
    domicile: str
    currency: str
    invests_in: tuple[str, ...]
    size: Decimal | None = None
    vintage: int | None = None
    stages: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    japanese_backers: tuple[str, ...] = ()
    description: str = ""
    website: str = ""
    manager_org_id: int | None = None

    def check(self) -> None:
        errors: dict[str, str] = {}
        if not self.name.strip() or len(self.name) > 200:
            errors["name"] = N_("A name of 1 to 200 characters is required.")
        if not self.manager_name.strip():
            errors["manager_name"] = N_("Who manages the fund?")
        if self.domicile not in SIDES and not (len(self.domicile) == 2 and self.domicile.isalpha()):
            errors["domicile"] = N_("A two-letter country code.")
        if self.currency not in CURRENCIES:
            errors["currency"] = N_("Choose JPY, INR or USD.")
        _money(self.size, "size", errors, required=False)
        if self.vintage is not None and not 1950 <= self.vintage <= dt.date.today().year + 1:
            errors["vintage"] = N_("A year from 1950 to next year.")
        if not self.invests_in or any(c not in SIDES for c in self.invests_in):
            errors["invests_in"] = N_("Choose Japan, India or both.")
        if any(s not in STAGES for s in self.stages):
            errors["stages"] = N_("Choose stages from the list.")
        if self.website and not self.website.startswith(("https://", "http://")):
            errors["website"] = N_("A web address starting with https://.")
        if errors:
            raise ValidationFailed(errors)


def save_fund(session: Session, spec: FundSpec, *, actor: Actor, fund_id: int | None = None) -> Fund:
    """Add a fund to the registry or edit one (officers, or admins of the managing organisation)."""
    manager = spec.manager_org_id  # a fund managed outside the registry is any officer's to record
    require(actor, "registry.org.edit", org_id=manager, side=_side_of(session, manager) if manager else None)
    spec.check()
    fund = session.get(Fund, fund_id) if fund_id is not None else Fund(created_by=actor.user_id, created_at=utcnow())
    if fund is None:
        raise MatchmakingNotFound(N_("No such fund."))
    clash = session.scalar(select(Fund.id).where(Fund.name == spec.name.strip()))
    if clash is not None and clash != fund.id:
        raise Conflict(N_("A fund with this name is already registered."), field="name")
    fund.name, fund.manager_name, fund.manager_org_id = spec.name.strip(), spec.manager_name.strip(), spec.manager_org_id
    fund.domicile, fund.currency, fund.size, fund.vintage = spec.domicile.upper(), spec.currency, spec.size, spec.vintage
    fund.invests_in, fund.stages, fund.sectors = sorted(set(spec.invests_in)), list(spec.stages), list(spec.sectors)
    fund.japanese_backers = [b.strip() for b in spec.japanese_backers if b.strip()][:50]
    fund.description, fund.website = spec.description.strip()[:8000], spec.website.strip() or None
    session.add(fund)
    session.flush()
    return fund


def create_mission(
    session: Session, *, actor: Actor, title: str, origin: str, destination: str, starts_on: dt.date,
    ends_on: dt.date, cities: str = "", description: str = "", event_id: int | None = None,
) -> Mission:
    """A delegation of one country's companies and investors visiting the other."""
    require(actor, "matchmaking.event.organise", org_id=actor.org_id)
    errors: dict[str, str] = {}
    if not title.strip() or len(title) > 200:
        errors["title"] = N_("A title of 1 to 200 characters is required.")
    if origin not in SIDES or destination not in SIDES or origin == destination:
        errors["destination"] = N_("A mission goes from Japan to India or from India to Japan.")
    if ends_on < starts_on:
        errors["ends_on"] = N_("The end must come after the start.")
    if errors:
        raise ValidationFailed(errors)
    mission = Mission(title=title.strip(), origin=origin, destination=destination, cities=cities.strip()[:200],
                      starts_on=starts_on, ends_on=ends_on, description=description.strip()[:8000],
                      event_id=event_id, created_by=actor.user_id, created_at=utcnow())
    session.add(mission)
    session.flush()
    return mission


def join_mission(session: Session, mission_id: int, *, actor: Actor, role: str, org_id: int | None = None) -> MissionMember:
    """Put one's organisation (of the mission's origin country) on a mission."""
    mission = session.get(Mission, mission_id)
    if mission is None:
        raise MatchmakingNotFound(N_("No such mission."))
    target = org_id if org_id is not None else actor.org_id
    if target is None:
        raise Forbidden(N_("Join on behalf of your organisation."))
    require_org_editor(session, actor, target)
    if role not in MEMBER_ROLES:
        raise ValidationFailed({"role": N_("Company, startup or investor.")})
    if _org(session, target).country != mission.origin:
        raise ValidationFailed({"org": N_("Missions take organisations of their origin country.")})
    member = session.get(MissionMember, (mission.id, target))
    if member is None:
        member = MissionMember(mission_id=mission.id, org_id=target, added_at=utcnow())
        session.add(member)
    member.role = role
    session.flush()
    return member
