"""Translated names of the registry's codes (kinds, sizes, countries, areas, sectors, schemes) for pages."""

from __future__ import annotations

from typing import Any

from kakehashi.kernel.areas import AREAS
from kakehashi.kernel.i18n import N_
from kakehashi.registry.identifiers import SCHEME_LABELS
from kakehashi.registry.models import KIND_NAMES, IdScheme
from kakehashi.registry.taxonomy import SECTORS
from kakehashi.web.i18n import current_locale
from kakehashi.web.i18n import gettext as _

KINDS = KIND_NAMES
SIZES = {"micro": N_("Micro (fewer than 10 people)"), "small": N_("Small (10–49)"), "medium": N_("Medium (50–249)"),
         "large": N_("Large (250 or more)")}
COUNTRIES = {"JP": N_("Japan"), "IN": N_("India")}
SCHEME_HELP = {
    IdScheme.JP_CORPORATE_NUMBER: N_("13 digits, e.g. 1180301018771"),
    IdScheme.IN_CIN: N_("21 characters, e.g. L85110KA1981PLC013115"),
    IdScheme.IN_GSTIN: N_("15 characters, e.g. 27AAACR5055K1Z7"),
    IdScheme.IN_PAN: N_("10 characters, e.g. AAACR5055K"),
    IdScheme.IN_UDYAM: N_("e.g. UDYAM-MH-26-0123456"),
    IdScheme.LEI: N_("20 characters, e.g. 5493006W3QUS5LMH6R84"),
}


def page_labels() -> dict[str, dict[str, str]]:
    """Code -> translated label, for every code a registry page shows."""
    locale = current_locale.get()
    return {
        "kinds": {code: _(label) for code, label in KINDS.items()},
        "sizes": {code: _(label) for code, label in SIZES.items()},
        "countries": {code: _(label) for code, label in COUNTRIES.items()},
        "areas": {area.code: area.name(locale) for area in AREAS},
        "sectors": {sector.code: sector.name(locale) for sector in SECTORS},
        "schemes": {scheme: _(label) for scheme, label in SCHEME_LABELS.items()},
    }


def form_context() -> dict[str, Any]:
    """Options for the registration form's selects, checkboxes and identifier fields."""
    labels = page_labels()
    locale = current_locale.get()
    return {
        "labels": labels,
        "kind_options": list(labels["kinds"].items()),
        "size_options": list(labels["sizes"].items()),
        "country_options": list(labels["countries"].items()),
        "sector_groups": [(area.name(locale), [(s.code, s.name(locale)) for s in SECTORS if s.area == area.code])
                          for area in AREAS],
        "schemes": [(scheme.value, labels["schemes"][scheme], _(SCHEME_HELP[scheme])) for scheme in IdScheme],
    }
