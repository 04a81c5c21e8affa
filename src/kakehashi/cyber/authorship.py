"""Who may add versions of a STIX object in a collection: the CERT that first wrote it there.

STIX 2.1 (§3.6) lets only the object creator make new versions; on a shared collection the creator is
the organisation whose analyst first added the object (the earliest version by date added). Another
co-writer's new version is refused per object in the status resource; re-posting a version already
stored unchanged stays a harmless "already present". `created_by_ref` is part of the claim: a new
version must keep the creator's, and no object may name another CERT of the collection as its creator.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

_ORG_NAMESPACE = uuid.UUID("6f1c1f0e-2a64-4d55-9a57-4b616b656861")

NOT_CREATOR = "only the organisation that created this object may add versions of it"
CREATOR_CHANGED = "created_by_ref differs from the creator of the versions already stored"
OTHER_CREATOR = "created_by_ref names another organisation of this collection"


def org_identity_id(org_id: int) -> str:
    """The STIX identity id standing for a registry organisation (deterministic: UUIDv5)."""
    return f"identity--{uuid.uuid5(_ORG_NAMESPACE, f'org:{org_id}')}"


@dataclass(frozen=True)
class Writer:
    """The author of one write, and the identities of the collection's other organisations."""

    org_id: int | None
    user_id: int | None
    others: frozenset[str]

    @classmethod
    def of(cls, *, org_id: int | None, user_id: int | None, collection_orgs: Iterable[int]) -> Writer:
        """A writer among the organisations (owner and grantees) of a collection."""
        return cls(org_id, user_id, frozenset(org_identity_id(o) for o in collection_orgs if o != org_id))

    def owns(self, first: Any) -> bool:
        """Whether this writer's organisation (or, for a version written without one, this person) wrote `first`."""
        if first.producer_org_id is not None or self.org_id is not None:
            return bool(first.producer_org_id == self.org_id)
        return bool(first.added_by == self.user_id)


def refusal(obj: dict[str, Any], stored: Sequence[Any], writer: Writer) -> str | None:
    """Why `writer` may not add this new version of an object (stored: its versions already in the collection)."""
    claimed = obj.get("created_by_ref")
    if claimed in writer.others:
        return OTHER_CREATOR
    if not stored:
        return None
    first = min(stored, key=lambda row: (row.added_us, row.id))
    if not writer.owns(first):
        return NOT_CREATOR
    if claimed != first.created_by_ref:
        return CREATOR_CHANGED
    return None
