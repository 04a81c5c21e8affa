"""Partnering opportunities: drafted by a member, reviewed by an officer of its side, published for a year,
renewable, optionally anonymous (the contact is disclosed only when the owner accepts an expression of
interest), and fed to the recommender as texts."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kakehashi import registry
from kakehashi.kernel import audit
from kakehashi.kernel.authz import Actor, can, require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import Conflict, Forbidden, ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.kernel.notifications import notify
from kakehashi.matchmaking.errors import MatchmakingNotFound, ReviewRefused
from kakehashi.matchmaking.models import Interest, Opportunity
from kakehashi.matchmaking.models.opportunity import InterestStatus, OpportunityKind, OpportunityStatus

VALIDITY = dt.timedelta(days=365)
TextsListener = Callable[[Session, int], None]
_listeners: list[TextsListener] = []
PREFIX = {"technology_offer": "TO", "technology_request": "TR", "business_offer": "BO", "business_request": "BR",
          "rnd_partner_search": "RD", "investment_opportunity": "IO"}
LANGUAGES = ("en", "ja", "hi")


@dataclass(frozen=True)
class OpportunitySpec:
    """What the owner writes: type, title, summary (in any of the three languages), sectors, anonymity."""

    kind: str
    title: str
    summary: str
    language: str = "en"
    sectors: tuple[str, ...] = ()
    anonymous: bool = False

    def check(self) -> None:
        """Raise ValidationFailed naming every bad field."""
        errors: dict[str, str] = {}
        if self.kind not in OpportunityKind.__members__.values():
            errors["kind"] = N_("Choose the type of opportunity.")
        if not self.title.strip() or len(self.title) > 200:
            errors["title"] = N_("A title of 1 to 200 characters is required.")
        if len(self.summary.strip()) < 20 or len(self.summary) > 8000:
            errors["summary"] = N_("Describe it in 20 to 8,000 characters.")
        if self.language not in LANGUAGES:
            errors["language"] = N_("English, Japanese or Hindi.")
        known = {sector.code for sector in registry.SECTORS}
        if any(code not in known for code in self.sectors) or len(self.sectors) > 10:
            errors["sectors"] = N_("Choose up to 10 sectors from the list.")
        if errors:
            raise ValidationFailed(errors)


def on_texts_withdrawn(listener: TextsListener) -> None:
    """Call `listener(session, org_id)` in the transaction whenever a live opportunity text of an organisation
    may have stopped being public (edited, withdrawn, expired): the recommender drops it at once."""
    if listener not in _listeners:
        _listeners.append(listener)


def _texts_withdrawn(session: Session, org_id: int) -> None:
    session.flush()
    for listener in _listeners:
        listener(session, org_id)


def search_key(*texts: str) -> str:
    """NFKC, case-folded text for substring search in any script."""
    return unicodedata.normalize("NFKC", " ".join(texts)).casefold()


def get_opportunity(session: Session, opportunity_id: int) -> Opportunity:
    """An opportunity by id, or MatchmakingNotFound."""
    found = session.get(Opportunity, opportunity_id)
    if found is None:
        raise MatchmakingNotFound(N_("No such opportunity."))
    return found


def is_owner(actor: Actor, opportunity: Opportunity) -> bool:
    """Members of the owning organisation (and platform admins) manage an opportunity."""
    return actor.is_admin or (actor.org_id is not None and actor.org_id == opportunity.org_id)


def may_view(actor: Actor, opportunity: Opportunity, now: dt.datetime | None = None) -> bool:
    """Live ones are visible to everyone signed in; others to the owner and the side's reviewers."""
    if opportunity.is_live(now or utcnow()):
        return actor.is_authenticated
    return is_owner(actor, opportunity) or can(actor, "matchmaking.opportunity.review", side=opportunity.side)


def _require_owner(actor: Actor, opportunity: Opportunity) -> None:
    require(actor, "matchmaking.opportunity.create")
    if not is_owner(actor, opportunity):
        raise Forbidden(N_("Only members of the owning organisation can do this."))


def create_opportunity(session: Session, spec: OpportunitySpec, *, actor: Actor) -> Opportunity:
    """A draft opportunity of the actor's organisation; the actor is its contact."""
    require(actor, "matchmaking.opportunity.create")
    org = registry.get_organisation(session, actor.org_id) if actor.org_id else None
    if org is None:
        raise Forbidden(N_("Opportunities belong to an organisation; you are not a member of one."))
    spec.check()
    now = utcnow()
    opportunity = Opportunity(org_id=org.id, side=org.country, contact_user_id=actor.user_id, created_by=actor.user_id,
                              created_at=now, status=OpportunityStatus.DRAFT.value)
    _apply(opportunity, spec, now)
    session.add(opportunity)
    session.flush()
    return opportunity


def update_opportunity(session: Session, opportunity_id: int, spec: OpportunitySpec, *, actor: Actor) -> Opportunity:
    """Edit the text; a published or rejected opportunity goes back to review."""
    opportunity = get_opportunity(session, opportunity_id)
    _require_owner(actor, opportunity)
    spec.check()
    _apply(opportunity, spec, utcnow())
    if opportunity.status in (OpportunityStatus.PUBLISHED, OpportunityStatus.REJECTED, OpportunityStatus.EXPIRED):
        opportunity.status, opportunity.submitted_at = OpportunityStatus.SUBMITTED.value, utcnow()
        _texts_withdrawn(session, opportunity.org_id)
    return opportunity


def _apply(opportunity: Opportunity, spec: OpportunitySpec, now: dt.datetime) -> None:
    opportunity.kind, opportunity.title, opportunity.summary = spec.kind, spec.title.strip(), spec.summary.strip()
    opportunity.language, opportunity.sectors, opportunity.anonymous = spec.language, list(spec.sectors), spec.anonymous
    opportunity.search_text = search_key(opportunity.title, opportunity.summary, opportunity.reference or "")
    opportunity.updated_at = now


def submit_opportunity(session: Session, opportunity_id: int, *, actor: Actor) -> Opportunity:
    """Send a draft (or a rejected one, after edits) to the officers of its side for review."""
    opportunity = get_opportunity(session, opportunity_id)
    _require_owner(actor, opportunity)
    if opportunity.status not in (OpportunityStatus.DRAFT, OpportunityStatus.REJECTED):
        raise ReviewRefused(N_("Only a draft or a rejected opportunity can be submitted."))
    opportunity.status, opportunity.submitted_at = OpportunityStatus.SUBMITTED.value, utcnow()
    return opportunity


def review_opportunity(session: Session, opportunity_id: int, *, actor: Actor, approve: bool, note: str = "",
                       now: dt.datetime | None = None) -> Opportunity:
    """An officer of the opportunity's side publishes it (valid for a year) or rejects it with a reason."""
    opportunity = get_opportunity(session, opportunity_id)
    require(actor, "matchmaking.opportunity.review", side=opportunity.side)
    if opportunity.status != OpportunityStatus.SUBMITTED:
        raise ReviewRefused(N_("Only a submitted opportunity can be reviewed."))
    if not approve and not note.strip():
        raise ValidationFailed({"note": N_("Say why it is rejected, so the owner can fix it.")})
    now = now or utcnow()
    opportunity.reviewed_by, opportunity.reviewed_at, opportunity.review_note = actor.user_id, now, note.strip()[:2000]
    if approve:
        opportunity.status, opportunity.published_at = OpportunityStatus.PUBLISHED.value, now
        opportunity.expires_at = now + VALIDITY
        opportunity.reference = opportunity.reference or (
            f"{PREFIX[opportunity.kind]}{opportunity.side}{now:%Y%m}{opportunity.id:05d}")
        opportunity.search_text = search_key(opportunity.title, opportunity.summary, opportunity.reference)
    else:
        opportunity.status = OpportunityStatus.REJECTED.value
    if opportunity.contact_user_id is not None:
        notify(session, user_id=opportunity.contact_user_id, kind="matchmaking.opportunity.reviewed",
               title=N_("Opportunity published") if approve else N_("Opportunity needs changes"),
               body=N_("%(title)s: %(note)s"), params={"title": opportunity.title, "note": note or "—"},
               link=f"/matchmaking/opportunities/{opportunity.id}")
    audit.record(session, actor, "matchmaking.opportunity.reviewed", target_type="matchmaking_opportunity",
                 target_id=opportunity.id, details={"approve": approve, "note": note[:300]})
    return opportunity


def withdraw_opportunity(session: Session, opportunity_id: int, *, actor: Actor) -> Opportunity:
    """The owner takes it off the database."""
    opportunity = get_opportunity(session, opportunity_id)
    _require_owner(actor, opportunity)
    opportunity.status, opportunity.updated_at = OpportunityStatus.WITHDRAWN.value, utcnow()
    _texts_withdrawn(session, opportunity.org_id)
    return opportunity


def renew_opportunity(session: Session, opportunity_id: int, *, actor: Actor,
                      now: dt.datetime | None = None) -> Opportunity:
    """Extend a published or expired opportunity by a year from today (or from its expiry, if later)."""
    opportunity = get_opportunity(session, opportunity_id)
    _require_owner(actor, opportunity)
    if opportunity.status not in (OpportunityStatus.PUBLISHED, OpportunityStatus.EXPIRED):
        raise ReviewRefused(N_("Only a published or expired opportunity can be renewed."))
    now = now or utcnow()
    start = max(now, opportunity.expires_at or now)
    opportunity.status, opportunity.expires_at = OpportunityStatus.PUBLISHED.value, start + VALIDITY
    opportunity.renewals += 1
    return opportunity


def expire_opportunities(session: Session, now: dt.datetime) -> int:
    """Job: published opportunities past their expiry stop showing; their owners are asked to renew."""
    due = list(session.scalars(select(Opportunity).where(
        Opportunity.status == OpportunityStatus.PUBLISHED.value, Opportunity.expires_at <= now)))
    for opportunity in due:
        opportunity.status = OpportunityStatus.EXPIRED.value
        if opportunity.contact_user_id is not None:
            notify(session, user_id=opportunity.contact_user_id, kind="matchmaking.opportunity.expired",
                   title=N_("Opportunity expired"), body=N_("%(title)s expired; renew it to publish it again."),
                   params={"title": opportunity.title}, link=f"/matchmaking/opportunities/{opportunity.id}")
    for org_id in sorted({opportunity.org_id for opportunity in due}):
        _texts_withdrawn(session, org_id)
    return len(due)


def express_interest(session: Session, opportunity_id: int, *, actor: Actor, message: str = "") -> Interest:
    """Another organisation says it is interested; the owner decides whether to disclose the contact."""
    require(actor, "matchmaking.participate")
    opportunity = get_opportunity(session, opportunity_id)
    if not opportunity.is_live(utcnow()):
        raise MatchmakingNotFound(N_("No such opportunity."))
    if actor.org_id is None or actor.org_id == opportunity.org_id:
        raise Forbidden(N_("Express interest on behalf of another organisation than the owner."))
    if len(message) > 2000:
        raise ValidationFailed({"message": N_("At most 2,000 characters.")})
    exists = session.scalar(select(Interest.id).where(Interest.opportunity_id == opportunity.id,
                                                      Interest.org_id == actor.org_id))
    if exists is not None:
        raise Conflict(N_("Your organisation has already expressed interest."), code="duplicate")
    interest = Interest(opportunity_id=opportunity.id, org_id=actor.org_id, user_id=actor.user_id,
                        message=message.strip(), status=InterestStatus.PENDING.value, created_at=utcnow())
    try:  # the unique (opportunity, organisation) decides a race: the second insert waits, then is refused
        with session.begin_nested():
            session.add(interest)
    except IntegrityError:
        raise Conflict(N_("Your organisation has already expressed interest."), code="duplicate") from None
    if opportunity.contact_user_id is not None:
        notify(session, user_id=opportunity.contact_user_id, kind="matchmaking.interest",
               title=N_("New expression of interest"), body=N_("Someone is interested in %(title)s."),
               params={"title": opportunity.title}, link=f"/matchmaking/opportunities/{opportunity.id}")
    return interest


def decide_interest(session: Session, interest_id: int, *, actor: Actor, accept: bool) -> Interest:
    """The owner accepts (the interested party then sees the contact) or declines."""
    interest = session.get(Interest, interest_id, with_for_update=True, populate_existing=True)
    if interest is None:
        raise MatchmakingNotFound(N_("No such expression of interest."))
    opportunity = get_opportunity(session, interest.opportunity_id)
    _require_owner(actor, opportunity)
    if interest.status != InterestStatus.PENDING:
        raise ReviewRefused(N_("This expression of interest was already answered."))
    interest.status = (InterestStatus.ACCEPTED if accept else InterestStatus.DECLINED).value
    interest.decided_at = utcnow()
    if interest.user_id is not None:
        notify(session, user_id=interest.user_id, kind="matchmaking.interest.decided",
               title=N_("Contact disclosed") if accept else N_("Interest declined"),
               body=N_("About %(title)s."), params={"title": opportunity.title},
               link=f"/matchmaking/opportunities/{opportunity.id}")
    audit.record(session, actor, "matchmaking.interest.decided", target_type="matchmaking_interest",
                 target_id=interest.id, details={"accept": accept})
    return interest


def contact_visible(session: Session, opportunity: Opportunity, *, actor: Actor) -> bool:
    """Who may see the owner and contact: the owner, the side's reviewers, and accepted interested parties;
    for a named (not anonymous) opportunity the organisation is public but the person stays hidden."""
    if is_owner(actor, opportunity) or can(actor, "matchmaking.opportunity.review", side=opportunity.side):
        return True
    accepted = session.scalar(select(Interest.id).where(
        Interest.opportunity_id == opportunity.id, Interest.org_id == actor.org_id,
        Interest.status == InterestStatus.ACCEPTED.value))
    return accepted is not None


def published_opportunity_texts(session: Session, now: dt.datetime | None = None) -> list[tuple[int, str, str]]:
    """(org id, kind, text) of every live named opportunity, for the recommender (offer kinds offer, others seek).

    Anonymous opportunities are left out: the recommender shows its sources' texts as reasons under the
    organisation's name (and their vectors rank the organisation for others), which would disclose the owner.
    """
    now = now or utcnow()
    rows = session.execute(select(Opportunity.org_id, Opportunity.kind, Opportunity.title, Opportunity.summary).where(
        Opportunity.status == OpportunityStatus.PUBLISHED.value, Opportunity.expires_at > now,
        Opportunity.anonymous.is_(False),
    ).order_by(Opportunity.id))
    return [(org_id, kind, f"{title}. {summary}") for org_id, kind, title, summary in rows]

