"""Read functions of the registry for dashboards, lists and other contexts."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kakehashi.registry.models import Organisation, OrganisationSector


def area_counts(session: Session) -> dict[str, dict[str, int]]:
    """Organisations per MoC area and country: {"ai": {"JP": 12, "IN": 30}, ...} (each counted once per area)."""
    rows = session.execute(
        select(OrganisationSector.area, Organisation.country, func.count(func.distinct(Organisation.id)))
        .join(Organisation, Organisation.id == OrganisationSector.org_id)
        .group_by(OrganisationSector.area, Organisation.country)
    )
    counts: dict[str, dict[str, int]] = {}
    for area, country, count in rows:
        counts.setdefault(area, {})[country] = count
    return counts


def get_organisation(session: Session, org_id: int) -> Organisation | None:
    """An organisation by id, or None."""
    return session.get(Organisation, org_id)


def count_organisations(session: Session) -> int:
    """How many organisations the registry holds."""
    return session.scalar(select(func.count()).select_from(Organisation)) or 0


def find_by_name(session: Session, name_en: str) -> Organisation | None:
    """An organisation by its exact English name (demo anchors, imports)."""
    return session.scalar(select(Organisation).where(Organisation.name_en == name_en).limit(1))
