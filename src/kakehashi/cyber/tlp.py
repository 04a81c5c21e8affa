"""Traffic Light Protocol: the TLP 2.0 marking definitions (from the OASIS TLP 2.0 extension, which the
`stix2` library does not ship), the TLP 1.0 ones it does ship, and the effective level of an object.

Levels are ordered integers so "may this reader see it" is a comparison, in Python and in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import IntEnum
from typing import Any


class Tlp(IntEnum):
    """TLP 2.0 levels, from least to most restricted."""

    CLEAR = 0
    GREEN = 1
    AMBER = 2
    AMBER_STRICT = 3
    RED = 4

    @property
    def label(self) -> str:
        """The level as TLP 2.0 writes it: "TLP:AMBER+STRICT"."""
        return "TLP:" + self.name.replace("_STRICT", "+STRICT")

    @property
    def slug(self) -> str:
        """Lower-case name used in forms, URLs and CSS classes: "amber+strict"."""
        return self.name.lower().replace("_strict", "+strict")

    @classmethod
    def from_slug(cls, slug: str) -> Tlp:
        """The level named `slug` ("clear", "green", "amber", "amber+strict", "red"); ValueError otherwise."""
        for level in cls:
            if level.slug == slug.strip().lower():
                return level
        raise ValueError(f"unknown TLP level {slug!r}")


TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"

# https://github.com/oasis-open/cti-stix-common-objects/tree/main/extension-definition-specifications/tlp-2.0
TLP2_IDS: dict[Tlp, str] = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}

# STIX 2.1 predefined TLP 1.0 markings; still sent by many feeds, read as their TLP 2.0 equivalents.
TLP1_IDS: dict[str, Tlp] = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": Tlp.CLEAR,  # TLP:WHITE
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": Tlp.GREEN,
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": Tlp.AMBER,
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": Tlp.RED,
}

LEVEL_OF_ID: dict[str, Tlp] = {**{v: k for k, v in TLP2_IDS.items()}, **TLP1_IDS}


def marking_definition(level: Tlp) -> dict[str, Any]:
    """The OASIS TLP 2.0 marking-definition object of `level`, exactly as published."""
    return {
        "type": "marking-definition", "spec_version": "2.1", "id": TLP2_IDS[level], "created": TLP2_CREATED,
        "name": level.label,
        "extensions": {TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": level.slug}},
    }


def marking_refs(obj: Mapping[str, Any]) -> list[str]:
    """Every marking-definition id an object refers to, object-level and granular."""
    refs = [ref for ref in obj.get("object_marking_refs") or () if isinstance(ref, str)]
    for marking in obj.get("granular_markings") or ():
        if isinstance(marking, Mapping) and isinstance(marking.get("marking_ref"), str):
            refs.append(marking["marking_ref"])
    return refs


def effective_level(refs: Iterable[str], default: Tlp) -> Tlp:
    """The most restrictive TLP level among `refs`; `default` when none of them is a TLP marking.

    A granular TLP marking counts for the whole object: serving the object serves the marked part too.
    """
    levels = [LEVEL_OF_ID[ref] for ref in refs if ref in LEVEL_OF_ID]
    return max(levels) if levels else default


# The published TLP 2.0 definitions, as clients include them in envelopes next to the objects they mark.
PUBLISHED_DEFINITIONS: tuple[dict[str, Any], ...] = tuple(marking_definition(level) for level in Tlp)
