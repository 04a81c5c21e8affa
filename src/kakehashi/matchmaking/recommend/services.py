"""Use cases: embed a saved profile, keep profiles in step with the registry, recommend, take feedback.

Services never commit; the page, API route, job or CLI command around them owns the transaction.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from kakehashi import registry
from kakehashi.kernel.authz import SYSTEM, Actor, require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import Forbidden, NotFound
from kakehashi.kernel.i18n import N_
from kakehashi.matchmaking.recommend.embedding import Embedder, Vector, normalise_text, text_key
from kakehashi.matchmaking.recommend.errors import SelfFeedback
from kakehashi.matchmaking.recommend.live import live_index
from kakehashi.matchmaking.recommend.models import RecoEmbedding, RecoFeedback, RecoProfile, RecoText, bytes_vector, vector_bytes
from kakehashi.matchmaking.recommend.queries import stored_verdicts
from kakehashi.matchmaking.recommend.records import Recommendation, Verdict
from kakehashi.matchmaking.recommend.sources import Extras, extras_by_org

MODEL = "multilingual-e5-small-q4"
MAX_ITEMS = 8  # offer or seek lines per profile that get their own vector
MAX_ITEM_CHARS = 1000
_BULLET = re.compile(r"^\s*(?:[-*•・●▪◦]|\d+[.)])\s*")
_default_embedder: Embedder | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A recommendation with the partner's registry record, for pages and the API."""

    recommendation: Recommendation
    organisation: Any  # registry.Organisation


def default_embedder() -> Embedder:
    """The process-wide embedder (the model loads on first use)."""
    global _default_embedder
    if _default_embedder is None:
        _default_embedder = Embedder()
    return _default_embedder


def profile_lines(text: str) -> list[str]:
    """A profile field split into items: one per line, bullets stripped, at most 8 of 1,000 characters."""
    lines = [_BULLET.sub("", line).strip() for line in (text or "").splitlines()]
    return [normalise_text(line)[:MAX_ITEM_CHARS] for line in lines if line.strip()][:MAX_ITEMS]


def embed_texts(session: Session, texts: list[str], embedder: Embedder) -> list[Vector]:
    """Vectors for texts through the database cache: only texts never seen before reach the model."""
    keys = [text_key(text) for text in texts]
    stored = session.execute(select(RecoEmbedding.text_key, RecoEmbedding.vector)
                             .where(RecoEmbedding.model == MODEL, RecoEmbedding.text_key.in_(set(keys))))
    known = {key: bytes_vector(blob) for key, blob in stored}
    embedder.preload(known.items())
    vectors = list(embedder.embed_many(texts)) if texts else []
    now = utcnow()
    for key, vector in {k: v for k, v in zip(keys, vectors, strict=True) if k not in known}.items():
        session.add(RecoEmbedding(text_key=key, model=MODEL, vector=vector_bytes(vector), created_at=now))
    return vectors


def refresh_profile(session: Session, org_id: int, *, actor: Actor, embedder: Embedder | None = None,
                    extras: Extras | None = None) -> RecoProfile:
    """Embed an organisation's offers and seeks as saved (call after a profile, opportunity or stage changes).

    The lines are the registry profile's offers and seeks plus the organisation's live opportunities;
    a startup's stage and an investor's stages come along when those profiles exist.
    """
    session.flush()  # pending edits bump the registry version we record
    organisation = registry.get_organisation(session, org_id)
    if organisation is None:
        raise NotFound(N_("This organisation does not exist."), field="org_id")
    extras = extras if extras is not None else extras_by_org(session, [org_id]).get(org_id, Extras())
    profile = session.get(RecoProfile, org_id) or RecoProfile(org_id=org_id, exposure=0, investment_stages=[])
    profile.country, profile.kind = organisation.country, organisation.kind
    profile.sectors = sorted(s.sector for s in organisation.sectors)
    profile.source_version, profile.source_digest = organisation.version, extras.digest()
    profile.model, profile.updated_at = MODEL, utcnow()
    if extras.stage is not None:
        profile.stage = extras.stage
    if extras.investment_stages:
        profile.investment_stages = list(extras.investment_stages)
    session.add(profile)
    session.execute(delete(RecoText).where(RecoText.org_id == org_id))
    items = [("offer", line) for line in profile_lines(organisation.offers) + _clean(extras.offers)]
    items += [("seek", line) for line in profile_lines(organisation.seeks) + _clean(extras.seeks)]
    vectors = embed_texts(session, [text for _, text in items], embedder or default_embedder())
    for position, ((side, text), vector) in enumerate(zip(items, vectors, strict=True)):
        session.add(RecoText(org_id=org_id, side=side, position=position, text=text, text_key=text_key(text),
                             vector=vector_bytes(vector)))
    session.flush()
    return profile


def _clean(texts: list[str]) -> list[str]:
    return [normalise_text(text)[:MAX_ITEM_CHARS] for text in texts if text.strip()]


def forget_withdrawn_lines(session: Session, org_id: int, *, extras: Extras | None = None) -> None:
    """Drop at once the stored lines an organisation's sources no longer hold (an opportunity was edited, made
    anonymous, withdrawn or expired), so they are neither quoted nor scored; re-embedding what is new waits
    for `sync_profiles`, but nothing withdrawn may stay visible until then."""
    profile = session.get(RecoProfile, org_id)
    if profile is None:
        return
    organisation = registry.get_organisation(session, org_id)
    extras = extras if extras is not None else extras_by_org(session, [org_id]).get(org_id, Extras())
    keep: set[tuple[str, str]] = set()
    if organisation is not None:
        keep |= {("offer", line) for line in profile_lines(organisation.offers) + _clean(extras.offers)}
        keep |= {("seek", line) for line in profile_lines(organisation.seeks) + _clean(extras.seeks)}
    stale = [row.id for row in session.scalars(select(RecoText).where(RecoText.org_id == org_id))
             if (row.side, row.text) not in keep]
    if stale:
        session.execute(delete(RecoText).where(RecoText.id.in_(stale)))
        profile.updated_at = utcnow()  # the live indexes of every process pick the change up
        session.flush()


def set_stage(session: Session, org_id: int, *, actor: Actor, stage: str | None = None,
              investment_stages: Collection[str] = ()) -> None:
    """Record a startup's stage or an investor's stages (kept across profile refreshes)."""
    _require_member(actor, org_id)
    profile = session.get(RecoProfile, org_id)
    if profile is None:
        raise NotFound(N_("This organisation has no partner profile yet."), field="org_id")
    profile.stage, profile.investment_stages = stage, sorted(set(investment_stages))
    profile.updated_at = utcnow()


def sync_profiles(session: Session, *, actor: Actor = SYSTEM, embedder: Embedder | None = None,
                  batch: int = 500) -> int:
    """Refresh profiles whose registry version, opportunities or stages moved on, drop those gone.

    Returns how many profiles changed; at most `batch` are re-embedded per call (the job runs again). The
    others lose at once any line their sources no longer hold (say, an opportunity now anonymous).
    """
    current = {org_id: version for org_id, version in
               session.execute(select(registry.Organisation.id, registry.Organisation.version))}
    stored = {org_id: (version, digest) for org_id, version, digest in
              session.execute(select(RecoProfile.org_id, RecoProfile.source_version, RecoProfile.source_digest))}
    extras = extras_by_org(session)
    gone = [org_id for org_id in stored if org_id not in current]
    if gone:
        session.execute(delete(RecoProfile).where(RecoProfile.org_id.in_(gone)))
    stale = [org_id for org_id, version in current.items()
             if stored.get(org_id) != (version, extras.get(org_id, Extras()).digest())]
    for org_id in stale[batch:]:
        forget_withdrawn_lines(session, org_id, extras=extras.get(org_id, Extras()))
    stale = stale[:batch]
    for org_id in stale:
        refresh_profile(session, org_id, actor=actor, embedder=embedder, extras=extras.get(org_id, Extras()))
    return len(gone) + len(stale)


def recommend_partners(session: Session, org_id: int, *, actor: Actor, limit: int = 10,
                       exclude: Collection[int] = (), kinds: Collection[str] | None = None,
                       count_impressions: bool = True, embedder: Embedder | None = None) -> list[Suggestion]:
    """Ranked partners for an organisation, with reasons; what is shown counts as exposure."""
    _require_viewer(actor, org_id)
    ensure_profile(session, org_id, embedder=embedder)
    verdicts = stored_verdicts(session, org_id)
    with live_index(session) as index:
        index.feedback.replace(org_id, verdicts)
        recommendations = index.recommend(org_id, limit, exclude=exclude, kinds=kinds)
        if count_impressions:
            index.add_exposure(r.org_id for r in recommendations)
    return show(session, recommendations, count_impressions=count_impressions)


def ensure_profile(session: Session, org_id: int, *, embedder: Embedder | None = None) -> None:
    """Embed an organisation saved since it was last embedded (or never), so it can query the index."""
    organisation = registry.get_organisation(session, org_id)
    if organisation is None:
        raise NotFound(N_("This organisation does not exist."), field="org_id")
    profile = session.get(RecoProfile, org_id)
    if profile is None or profile.source_version != organisation.version:
        refresh_profile(session, org_id, actor=SYSTEM, embedder=embedder)  # saved but not yet embedded


def show(session: Session, recommendations: list[Recommendation], *, count_impressions: bool) -> list[Suggestion]:
    """Store the shown partners' exposure (the caller counted it in the index) and attach their registry records."""
    shown = [r.org_id for r in recommendations]
    if count_impressions and shown:
        session.execute(update(RecoProfile).where(RecoProfile.org_id.in_(shown))
                        .values(exposure=RecoProfile.exposure + 1))
    partners = {o.id: o for o in session.scalars(select(registry.Organisation).where(registry.Organisation.id.in_(shown)))}
    return [Suggestion(r, partners[r.org_id]) for r in recommendations if r.org_id in partners]


def give_feedback(session: Session, org_id: int, partner_id: int, verdict: Verdict, *, actor: Actor) -> RecoFeedback:
    """Record "request a meeting" or "not interested" on a partner; it replaces any earlier verdict."""
    _require_member(actor, org_id)
    if partner_id == org_id:
        raise SelfFeedback(N_("An organisation cannot give feedback on itself."), field="partner_id")
    if session.get(RecoProfile, partner_id) is None:
        raise NotFound(N_("This partner is not among the recommendable organisations."), field="partner_id")
    withdraw_feedback(session, org_id, partner_id, actor=actor)
    row = RecoFeedback(requester_org_id=org_id, partner_org_id=partner_id, verdict=verdict.value,
                       user_id=actor.user_id, created_at=utcnow())
    session.add(row)
    session.flush()
    return row


def withdraw_feedback(session: Session, org_id: int, partner_id: int, *, actor: Actor) -> None:
    """Undo a verdict (the partner may be recommended again, without the learned pull or push)."""
    _require_member(actor, org_id)
    session.execute(delete(RecoFeedback).where(RecoFeedback.requester_org_id == org_id,
                                               RecoFeedback.partner_org_id == partner_id))
    session.flush()


def _require_viewer(actor: Actor, org_id: int) -> None:
    """Members see their organisation's recommendations; officers and admins may look on their behalf."""
    require(actor, "matchmaking.participate")
    if actor.org_id != org_id and not (actor.is_officer or actor.is_admin):
        raise Forbidden(N_("You can only see recommendations for your own organisation."), code="forbidden")


def _require_member(actor: Actor, org_id: int) -> None:
    require(actor, "matchmaking.participate")
    if actor.org_id != org_id and not actor.is_admin:
        raise Forbidden(N_("Only members of the organisation can do this."), code="forbidden")
