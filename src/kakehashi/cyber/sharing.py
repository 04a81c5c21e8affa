"""Who sees what: a reader's rights on a collection and the TLP rule applied to every stored version.

- The owner CERT reads and writes its collection and receives everything up to TLP:AMBER+STRICT.
- Other organisations hold a grant: read, write, and the highest level they receive. CLEAR goes to anyone
  who may read; GREEN to the community (grants of GREEN and above); AMBER and AMBER+STRICT only to the
  recipient organisations granted them.
- TLP:RED goes only to people named on the collection, and to the person who posted it.
- An organisation always receives the non-RED content it produced itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from kakehashi.cyber.models import Collection, CollectionGrant, RedRecipient, StixObject
from kakehashi.cyber.tlp import Tlp
from kakehashi.kernel.authz import Actor


@dataclass(frozen=True)
class Access:
    """An actor's rights on one collection."""

    collection_id: int
    user_id: int | None
    org_id: int | None
    can_read: bool
    can_write: bool
    max_tlp: Tlp
    named_for_red: bool
    is_owner: bool

    def sees(self, *, tlp: int, producer_org_id: int | None, added_by: int | None) -> bool:
        """Whether one stored version may be served to this actor."""
        if not self.can_read:
            return False
        if added_by is not None and added_by == self.user_id:
            return True
        if tlp == Tlp.RED:
            return self.named_for_red
        return tlp <= self.max_tlp or (self.org_id is not None and producer_org_id == self.org_id)

    def visible(self) -> ColumnElement[bool]:
        """The same rule as `sees`, as a SQL condition on StixObject rows."""
        if not self.can_read:
            return false()
        clauses: list[ColumnElement[bool]] = [StixObject.tlp <= int(self.max_tlp)]
        if self.org_id is not None:
            clauses.append(and_(StixObject.producer_org_id == self.org_id, StixObject.tlp < int(Tlp.RED)))
        if self.named_for_red:
            clauses.append(StixObject.tlp == int(Tlp.RED))
        if self.user_id is not None:
            clauses.append(StixObject.added_by == self.user_id)
        return or_(*clauses)

    def readable_levels(self) -> list[Tlp]:
        """The TLP levels this actor receives from any producer (for filters on pages)."""
        return [level for level in Tlp if level <= self.max_tlp or (level is Tlp.RED and self.named_for_red)]


def rights(collection: Collection, grant: CollectionGrant | None, named: bool, actor: Actor) -> Access:
    """An actor's rights from the collection's owner, the actor's organisation's grant and the RED list."""
    is_owner = actor.org_id is not None and actor.org_id == collection.owner_org_id
    if is_owner:
        can_read, can_write, max_tlp = True, True, Tlp.AMBER_STRICT
    elif grant is not None:
        can_read, can_write, max_tlp = grant.can_read, grant.can_write, Tlp(min(grant.max_tlp, Tlp.AMBER_STRICT))
    else:
        can_read, can_write, max_tlp = False, False, Tlp.CLEAR
    return Access(collection_id=collection.id, user_id=actor.user_id, org_id=actor.org_id, can_read=can_read,
                  can_write=can_write, max_tlp=max_tlp, named_for_red=named and can_read, is_owner=is_owner)


def access_for(session: Session, collection: Collection, actor: Actor) -> Access:
    """Work out `actor`'s rights on `collection` from ownership, grants and the RED list."""
    grant = session.get(CollectionGrant, (collection.id, actor.org_id)) if actor.org_id is not None else None
    named = actor.user_id is not None and session.scalar(
        select(RedRecipient.user_id).where(RedRecipient.collection_id == collection.id,
                                           RedRecipient.user_id == actor.user_id)) is not None
    return rights(collection, grant, named, actor)


def load(session: Session, uid: str, actor: Actor) -> tuple[Collection, Access] | None:
    """A collection by TAXII id with `actor`'s rights on it, in one query (every TAXII request asks)."""
    query = (
        select(Collection, CollectionGrant, RedRecipient.user_id)
        .outerjoin(CollectionGrant, and_(CollectionGrant.collection_id == Collection.id,
                                         CollectionGrant.org_id == (actor.org_id or -1)))
        .outerjoin(RedRecipient, and_(RedRecipient.collection_id == Collection.id,
                                      RedRecipient.user_id == (actor.user_id or -1)))
        .where(Collection.uid == uid)
    )
    row = session.execute(query).first()
    if row is None:
        return None
    collection, grant, named = row
    return collection, rights(collection, grant, named is not None, actor)
