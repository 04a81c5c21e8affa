"""Organisations for tests, written straight to the table (services are tested separately)."""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from kakehashi.kernel.clock import utcnow
from kakehashi.registry.models import Organisation, OrganisationSector
from kakehashi.registry.taxonomy import area_of

_counter = itertools.count(1)


def make_org(
    session: Session, *, country: str = "JP", kind: str = "company", name_en: str | None = None,
    name_ja: str | None = None, sectors: tuple[str, ...] = ("ai.applications",), offers: str = "",
    seeks: str = "", verified: bool = False,
) -> Organisation:
    """An organisation with sensible defaults; every call gets a unique name."""
    n = next(_counter)
    name = name_en or f"Test Organisation {n}"
    now = utcnow()
    org = Organisation(
        kind=kind, name_en=name, name_ja=name_ja, country=country, offers=offers, seeks=seeks, description="",
        contacts={}, areas=sorted({area_of(s) for s in sectors}), sort_name=name.lower(),
        search_text=f"{name} {name_ja or ''}".lower(), created_at=now, updated_at=now,
        verified_at=now if verified else None,
    )
    org.sectors = [OrganisationSector(sector=s, area=area_of(s)) for s in sectors]
    session.add(org)
    session.flush()
    return org
