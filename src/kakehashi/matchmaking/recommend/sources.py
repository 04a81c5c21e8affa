"""What the rest of matchmaking adds to a registry profile: live opportunities, startup and investor stages.

Published partnering opportunities become extra offer lines (offer kinds) or seek lines (requests);
a startup profile's stage and an investor mandate's stages feed the stage-fit rule. A digest of all
of it tells `sync_profiles` when to re-embed even though the registry version did not move.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi import matchmaking
from kakehashi.matchmaking.models import InvestorProfile, StartupProfile

MAX_OPPORTUNITIES = 8  # per side and organisation


@dataclass(slots=True)
class Extras:
    """One organisation's additions to its registry profile."""

    offers: list[str] = field(default_factory=list)
    seeks: list[str] = field(default_factory=list)
    stage: str | None = None
    investment_stages: list[str] = field(default_factory=list)

    def digest(self) -> str:
        """SHA-256 over everything here: changes when an opportunity or a stage changes."""
        parts = ["O", *self.offers, "S", *self.seeks, "T", self.stage or "", "I", *sorted(self.investment_stages)]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def extras_by_org(session: Session, org_ids: Collection[int] | None = None) -> dict[int, Extras]:
    """Extras of the given organisations (or of every organisation that has any)."""
    wanted = None if org_ids is None else set(org_ids)
    found: dict[int, Extras] = {}

    def entry(org_id: int) -> Extras | None:
        if wanted is not None and org_id not in wanted:
            return None
        return found.setdefault(org_id, Extras())

    for org_id, kind, text in matchmaking.published_opportunity_texts(session):
        extras = entry(org_id)
        if extras is not None:
            side = extras.offers if kind in matchmaking.OFFER_KINDS else extras.seeks
            if len(side) < MAX_OPPORTUNITIES:
                side.append(text)
    # Small id sets are filtered in SQL; large ones (or all) are read whole and filtered in Python.
    narrow = wanted if wanted is not None and 0 < len(wanted) <= 1000 else set()
    startups = select(StartupProfile.org_id, StartupProfile.stage)
    for org_id, stage in session.execute(startups.where(StartupProfile.org_id.in_(narrow)) if narrow else startups):
        if (extras := entry(org_id)) is not None:
            extras.stage = stage
    investors = select(InvestorProfile.org_id, InvestorProfile.stages)
    for org_id, stages in session.execute(investors.where(InvestorProfile.org_id.in_(narrow)) if narrow else investors):
        if (extras := entry(org_id)) is not None:
            extras.investment_stages = sorted(stages or [])
    return found
