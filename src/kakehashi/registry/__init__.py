"""Registry: organisations of both countries with verified national identifiers. Public surface."""

from kakehashi.registry.models import KIND_NAMES, IdScheme, Organisation, OrgKind, OrgSize
from kakehashi.registry.profile import OrganisationInput
from kakehashi.registry.queries import (
    area_counts,
    changed_since,
    count_organisations,
    find_by_identifier,
    find_by_name,
    get_organisation,
    search,
)
from kakehashi.registry.services import (
    create_organisation,
    on_profile_saved,
    set_identifiers,
    unverify_organisation,
    update_organisation,
    verify_organisation,
)
from kakehashi.registry.taxonomy import SECTORS, Sector

__all__ = [
    "KIND_NAMES", "SECTORS", "IdScheme", "OrgKind", "OrgSize", "Organisation", "OrganisationInput", "Sector", "area_counts",
    "changed_since", "count_organisations", "create_organisation", "find_by_identifier", "find_by_name",
    "get_organisation", "on_profile_saved", "search", "set_identifiers", "unverify_organisation",
    "update_organisation", "verify_organisation",
]
