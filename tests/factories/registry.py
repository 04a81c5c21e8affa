"""Organisations for tests: `make_org` writes straight to the tables (and the search index); `org_input`
builds what a form or the API would submit, for service tests."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from kakehashi.kernel.clock import utcnow
from kakehashi.registry.models import Organisation, OrganisationIdentifier, OrganisationSector
from kakehashi.registry.profile import OrganisationInput
from kakehashi.registry.queries import forget_totals
from kakehashi.registry.search_index import reindex
from kakehashi.registry.taxonomy import area_mask, area_of, sector_mask

_counter = itertools.count(1)


def make_org(
    session: Session, *, country: str = "JP", kind: str = "company", name_en: str | None = None,
    name_ja: str | None = None, sectors: tuple[str, ...] = ("ai.applications",), offers: str = "",
    seeks: str = "", verified: bool = False, identifiers: dict[str, str] | None = None, city: str | None = None,
) -> Organisation:
    """An organisation with sensible defaults; every call gets a unique name."""
    n = next(_counter)
    name = name_en or f"Test Organisation {n}"
    now = utcnow()
    org = Organisation(
        kind=kind, name_en=name, name_ja=name_ja, country=country, offers=offers, seeks=seeks, description="",
        contacts={}, areas=sorted({area_of(s) for s in sectors}), area_mask=area_mask(sectors),
        sector_mask=sector_mask(sectors), sort_name=name.lower(), city=city, created_at=now, updated_at=now,
        verified_at=now if verified else None,
    )
    org.sectors = [OrganisationSector(sector=s, area=area_of(s)) for s in sectors]
    org.identifiers = [OrganisationIdentifier(scheme=k, value=v) for k, v in (identifiers or {}).items()]
    session.add(org)
    reindex(session, org)
    forget_totals()
    return org


def org_input(**overrides: Any) -> OrganisationInput:
    """A valid Japanese company's submission; override any field."""
    values: dict[str, Any] = {
        "kind": "company", "name_en": f"Form Organisation {next(_counter)}", "country": "JP",
        "sectors": ("semi.equipment",), "city": "Kyoto", "region": "Kyoto",
    }
    values.update(overrides)
    return OrganisationInput(**values)
