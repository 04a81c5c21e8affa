"""Use cases for people: expertise embedded when a person saves their profile, partners ranked for them,
and their own "request a meeting" / "not interested" feedback.

A person queries on behalf of their organisation (its country, kind, sectors and stage apply), with
their expertise blended into both directions of the query (`RecommendationIndex.recommend_person`).
Their vectors are computed on save: identity calls `person_profile_saved` through
`identity.on_profile_saved`, the `matchmaking.people.sync` job and the demo loader call `sync_people`.
Services never commit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kakehashi import identity
from kakehashi.kernel.authz import SYSTEM, Actor, Role, require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import Forbidden, NotFound
from kakehashi.kernel.i18n import N_
from kakehashi.matchmaking.recommend.embedding import Embedder, text_key
from kakehashi.matchmaking.recommend.engine import check_limit
from kakehashi.matchmaking.recommend.errors import SelfFeedback
from kakehashi.matchmaking.recommend.live import live_index
from kakehashi.matchmaking.recommend.models import (
    RecoPerson,
    RecoPersonFeedback,
    RecoPersonText,
    RecoProfile,
    vector_bytes,
)  # fmt: skip
from kakehashi.matchmaking.recommend.queries import stored_person, stored_person_verdicts
from kakehashi.matchmaking.recommend.records import PersonVectors, Verdict
from kakehashi.matchmaking.recommend.services import (
    MODEL,
    Suggestion,
    default_embedder,
    embed_texts,
    ensure_profile,
    profile_lines,
    show,
)  # fmt: skip


def person_digest(org_id: int | None, expertise: str | None) -> str:
    """SHA-256 over what a person's vectors depend on: their organisation and their expertise lines."""
    parts = [str(org_id or ""), *profile_lines(expertise or "")]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def refresh_person(session: Session, user_id: int, *, actor: Actor = SYSTEM,
                   embedder: Embedder | None = None) -> RecoPerson | None:
    """Embed a person's expertise as saved, one vector per line (only lines never seen reach the model).

    A person without an organisation, or no longer active, has nothing to be recommended for: their
    row is dropped and None returned.
    """
    session.flush()
    user = identity.get_user(session, user_id)
    session.execute(delete(RecoPersonText).where(RecoPersonText.user_id == user_id))
    if user.org_id is None or not user.is_active:
        session.execute(delete(RecoPerson).where(RecoPerson.user_id == user_id))
        return None
    person = session.get(RecoPerson, user_id) or RecoPerson(user_id=user_id)
    person.org_id, person.source_digest = user.org_id, person_digest(user.org_id, user.expertise)
    person.model, person.updated_at = MODEL, utcnow()
    session.add(person)
    lines = profile_lines(user.expertise or "")
    vectors = embed_texts(session, lines, embedder or default_embedder())
    session.flush()  # the person row first: its texts refer to it
    for position, (text, vector) in enumerate(zip(lines, vectors, strict=True)):
        session.add(RecoPersonText(user_id=user_id, position=position, text=text, text_key=text_key(text),
                                   vector=vector_bytes(vector)))
    session.flush()
    return person


def person_profile_saved(session: Session, user_id: int) -> None:
    """identity's profile-save hook: re-embed the person when their organisation or expertise changed."""
    user = identity.get_user(session, user_id)
    stored = session.get(RecoPerson, user_id)
    if stored is None and user.org_id is None:
        return
    if stored is None or stored.source_digest != person_digest(user.org_id, user.expertise):
        refresh_person(session, user_id)


def sync_people(session: Session, *, embedder: Embedder | None = None, batch: int = 2000) -> int:
    """Embed people whose expertise or organisation changed since they were embedded; drop those gone.

    Returns how many people changed; at most `batch` are re-embedded per call (the job runs again).
    """
    User = identity.User
    wanted = {user_id: person_digest(org_id, expertise) for user_id, org_id, expertise in
              session.execute(select(User.id, User.org_id, User.expertise)
                              .where(User.org_id.is_not(None), User.is_active.is_(True)))}
    stored = {user_id: digest for user_id, digest in session.execute(select(RecoPerson.user_id, RecoPerson.source_digest))}
    gone = [user_id for user_id in stored if user_id not in wanted]
    if gone:
        session.execute(delete(RecoPersonText).where(RecoPersonText.user_id.in_(gone)))
        session.execute(delete(RecoPerson).where(RecoPerson.user_id.in_(gone)))
    stale = [user_id for user_id, digest in wanted.items() if stored.get(user_id) != digest][:batch]
    embedder = embedder or default_embedder()
    for user_id in stale:
        refresh_person(session, user_id, embedder=embedder)
    return len(gone) + len(stale)


def recommend_for_person(session: Session, user_id: int, *, actor: Actor, limit: int = 10,
                         exclude: Collection[int] = (), kinds: Collection[str] | None = None,
                         count_impressions: bool = True, embedder: Embedder | None = None) -> list[Suggestion]:
    """Ranked partners from the other country for a person, with reasons; what is shown counts as exposure.

    The person themself, their organisation's administrators, officers and admins may look.
    """
    check_limit(limit)
    user = identity.get_user(session, user_id)
    _require_viewer(actor, user)
    org_id = organisation_of(session, user_id)
    ensure_profile(session, org_id, embedder=embedder)
    person = stored_person(session, user_id)
    stored = session.get(RecoPerson, user_id)
    if person is None or stored is None or stored.source_digest != person_digest(org_id, user.expertise):
        # Saved through a path that did not reach the hook (e.g. before this existed): embed it once now.
        refresh_person(session, user_id, embedder=embedder)
        person = stored_person(session, user_id) or PersonVectors(user_id, org_id)
    verdicts = stored_person_verdicts(session, user_id)
    with live_index(session) as index:
        recommendations = index.recommend_person(person, limit, exclude=exclude, kinds=kinds, verdicts=verdicts)
        if count_impressions:
            index.add_exposure(r.org_id for r in recommendations)
    return show(session, recommendations, count_impressions=count_impressions)


def give_person_feedback(session: Session, user_id: int, partner_id: int, verdict: Verdict, *,
                         actor: Actor) -> RecoPersonFeedback:
    """Record a person's "request a meeting" or "not interested" on a partner, replacing any earlier verdict."""
    user = _require_self(session, actor, user_id)
    if partner_id == user.org_id:
        raise SelfFeedback(N_("You cannot give feedback on your own organisation."), field="partner_id")
    if session.get(RecoProfile, partner_id) is None:
        raise NotFound(N_("This partner is not among the recommendable organisations."), field="partner_id")
    withdraw_person_feedback(session, user_id, partner_id, actor=actor)
    row = RecoPersonFeedback(user_id=user_id, partner_org_id=partner_id, verdict=verdict.value, created_at=utcnow())
    session.add(row)
    session.flush()
    return row


def withdraw_person_feedback(session: Session, user_id: int, partner_id: int, *, actor: Actor) -> None:
    """Undo a person's verdict (the partner may be recommended to them again)."""
    _require_self(session, actor, user_id)
    session.execute(delete(RecoPersonFeedback).where(RecoPersonFeedback.user_id == user_id,
                                                     RecoPersonFeedback.partner_org_id == partner_id))
    session.flush()


def organisation_of(session: Session, user_id: int) -> int:
    """The organisation a person recommends on behalf of (NotFound when they belong to none)."""
    org_id = identity.get_user(session, user_id).org_id
    if org_id is None:
        raise NotFound(N_("This person does not belong to an organisation, so no partners can be suggested."),
                       field="user_id")
    return org_id


def may_act_for(actor: Actor, user_id: int) -> bool:
    """Whether `actor` may give feedback for this person (the person themself, or a platform admin)."""
    return actor.user_id == user_id or actor.is_admin


def _require_viewer(actor: Actor, user: identity.User) -> None:
    require(actor, "matchmaking.participate")
    if actor.user_id == user.id or actor.is_officer or actor.is_admin:
        return
    if actor.role is Role.ORG_ADMIN and actor.org_id is not None and actor.org_id == user.org_id:
        return
    raise Forbidden(N_("You can only see your own recommendations (or your organisation's people, as its "
                       "administrator)."), code="forbidden")


def _require_self(session: Session, actor: Actor, user_id: int) -> identity.User:
    require(actor, "matchmaking.participate")
    user = identity.get_user(session, user_id)
    if not may_act_for(actor, user_id):
        raise Forbidden(N_("Only the person themself can give feedback on their recommendations."), code="forbidden")
    return user
