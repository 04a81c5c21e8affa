"""Which marking definitions the server knows: TLP 2.0 and 1.0 (only as published) and statement markings.

An object referring to any other marking is refused on write, so nothing stored carries a marking whose
sharing rule the server cannot enforce.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.cyber.errors import InvalidContent
from kakehashi.cyber.models import StixObject
from kakehashi.cyber.tlp import LEVEL_OF_ID, TLP1_IDS, TLP2_EXTENSION, TLP2_IDS, marking_refs
from kakehashi.kernel.i18n import N_

_TLP1_NAMES = {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": "white"}


def _tlp_definition_is_genuine(definition: Mapping[str, Any]) -> bool:
    """A marking definition carrying a TLP id must say the level that id stands for."""
    ident = definition["id"]
    level = LEVEL_OF_ID[ident]
    if ident in TLP2_IDS.values():
        extension = (definition.get("extensions") or {}).get(TLP2_EXTENSION)
        return isinstance(extension, Mapping) and extension.get("tlp_2_0") == level.slug
    expected = _TLP1_NAMES.get(ident, level.slug)
    return ident in TLP1_IDS and definition.get("definition_type") == "tlp" \
        and definition.get("definition") == {"tlp": expected}


def check_definitions(definitions: Iterable[Mapping[str, Any]]) -> set[str]:
    """Refuse marking definitions the server cannot enforce; return the ids of the acceptable ones."""
    known = set()
    for definition in definitions:
        ident = definition["id"]
        if ident in LEVEL_OF_ID:
            if not _tlp_definition_is_genuine(definition):
                raise InvalidContent(N_("A marking definition reuses a TLP identifier with another meaning."),
                                     details={"id": ident})
        elif definition.get("definition_type") != "statement":
            raise InvalidContent(N_("Only TLP and statement marking definitions are accepted."),
                                 details={"id": ident})
        known.add(ident)
    return known


def check_references(session: Session, collection_id: int, objects: Iterable[Mapping[str, Any]],
                     known_here: set[str]) -> None:
    """Refuse the envelope if any object refers to a marking that is neither TLP nor defined here."""
    wanted = {ref for obj in objects for ref in marking_refs(obj)} - LEVEL_OF_ID.keys() - known_here
    if not wanted:
        return
    stored = set(session.scalars(
        select(StixObject.stix_id).where(StixObject.collection_id == collection_id,
                                         StixObject.type == "marking-definition",
                                         StixObject.stix_id.in_(sorted(wanted)))))
    unknown = sorted(wanted - stored)
    if unknown:
        raise InvalidContent(N_("Some objects refer to marking definitions the server does not know."),
                             details={"unknown_markings": unknown[:20]})
