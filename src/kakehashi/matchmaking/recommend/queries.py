"""Read functions: stored profiles as index records, change stamps, feedback and exposure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kakehashi.matchmaking.recommend.models import (
    RecoFeedback,
    RecoPerson,
    RecoPersonFeedback,
    RecoPersonText,
    RecoProfile,
    RecoText,
    bytes_vector,
)  # fmt: skip
from kakehashi.matchmaking.recommend.records import PersonVectors, ProfileText, ProfileVectors, Verdict


@dataclass(frozen=True, slots=True)
class Stamp:
    """How many rows a table has and its newest marker: a cheap "did anything change?" probe."""

    count: int
    newest: object


def profile_stamp(session: Session) -> Stamp:
    """Row count and latest update time of the stored profiles."""
    count, newest = session.execute(select(func.count(), func.max(RecoProfile.updated_at))).one()
    return Stamp(int(count), newest)


def stored_profiles(session: Session, *, since: dt.datetime | None = None,
                    org_ids: Collection[int] | None = None) -> list[ProfileVectors]:
    """Stored profiles as index records (all, changed since a time, or the given ids)."""
    query = select(RecoProfile)
    if since is not None:
        query = query.where(RecoProfile.updated_at >= since)
    if org_ids is not None:
        query = query.where(RecoProfile.org_id.in_(list(org_ids)))
    profiles = list(session.scalars(query))
    texts: dict[int, list[RecoText]] = {}
    ids = [profile.org_id for profile in profiles]
    for start in range(0, len(ids), 5000):  # stay under SQLite's bound-parameter limit
        chunk = ids[start : start + 5000]
        for row in session.scalars(select(RecoText).where(RecoText.org_id.in_(chunk)).order_by(RecoText.position)):
            texts.setdefault(row.org_id, []).append(row)
    return [_record(profile, texts.get(profile.org_id, [])) for profile in profiles]


def _record(profile: RecoProfile, texts: list[RecoText]) -> ProfileVectors:
    def side(name: str) -> tuple[ProfileText, ...]:
        return tuple(ProfileText(t.text, bytes_vector(t.vector)) for t in texts if t.side == name)

    return ProfileVectors(profile.org_id, profile.country, profile.kind, side("offer"), side("seek"),
                          frozenset(profile.sectors), profile.stage, frozenset(profile.investment_stages))


def stored_verdicts(session: Session, requester: int) -> list[tuple[int, Verdict]]:
    """One organisation's verdicts as (partner, verdict), oldest first."""
    rows = session.execute(select(RecoFeedback.partner_org_id, RecoFeedback.verdict)
                           .where(RecoFeedback.requester_org_id == requester)
                           .order_by(RecoFeedback.created_at, RecoFeedback.id))
    return [(partner, Verdict(verdict)) for partner, verdict in rows]


def verdicts_of(session: Session, requester: int) -> dict[int, Verdict]:
    """The verdicts one organisation has given, by partner id (for showing button states)."""
    rows = session.execute(select(RecoFeedback.partner_org_id, RecoFeedback.verdict)
                           .where(RecoFeedback.requester_org_id == requester))
    return {partner: Verdict(verdict) for partner, verdict in rows}


def stored_exposure(session: Session) -> dict[int, int]:
    """Attention counted per profile."""
    return {org_id: exposure for org_id, exposure in session.execute(select(RecoProfile.org_id, RecoProfile.exposure))}


def stored_person(session: Session, user_id: int) -> PersonVectors | None:
    """A person's stored expertise vectors on top of their organisation, or None when never embedded."""
    person = session.get(RecoPerson, user_id)
    if person is None:
        return None
    rows = session.scalars(select(RecoPersonText).where(RecoPersonText.user_id == user_id)
                           .order_by(RecoPersonText.position))
    return PersonVectors(user_id, person.org_id, tuple(ProfileText(r.text, bytes_vector(r.vector)) for r in rows))


def stored_person_verdicts(session: Session, user_id: int) -> list[tuple[int, Verdict]]:
    """One person's verdicts as (partner, verdict), oldest first."""
    rows = session.execute(select(RecoPersonFeedback.partner_org_id, RecoPersonFeedback.verdict)
                           .where(RecoPersonFeedback.user_id == user_id)
                           .order_by(RecoPersonFeedback.created_at, RecoPersonFeedback.id))
    return [(partner, Verdict(verdict)) for partner, verdict in rows]


def person_verdicts_of(session: Session, user_id: int) -> dict[int, Verdict]:
    """The verdicts one person has given, by partner id (for showing button states)."""
    return dict(stored_person_verdicts(session, user_id))
