"""Registry: organisations of both countries with verified national identifiers. Public surface."""

from kakehashi.registry.models import IdScheme, Organisation, OrgKind, OrgSize
from kakehashi.registry.queries import area_counts, count_organisations, find_by_name, get_organisation
from kakehashi.registry.taxonomy import SECTORS, Sector

__all__ = [
    "SECTORS", "IdScheme", "OrgKind", "OrgSize", "Organisation", "Sector", "area_counts",
    "count_organisations", "find_by_name", "get_organisation",
]
