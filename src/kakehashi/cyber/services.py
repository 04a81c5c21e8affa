"""Collections and who may use them: create, grant and revoke organisations, name RED recipients.

A collection belongs to the CERT (organisation) of the analyst who creates it; that CERT's analysts
manage its grants. Platform administrators may do so for any collection.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kakehashi.cyber.models import Collection, CollectionGrant, RedRecipient
from kakehashi.cyber.sharing import Access, access_for, load
from kakehashi.cyber.tlp import Tlp
from kakehashi.kernel import audit
from kakehashi.kernel.authz import Actor, require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from kakehashi.kernel.i18n import N_

_ALIAS = re.compile(r"[a-z0-9][a-z0-9-]{1,99}")


def get_collection(session: Session, uid: str) -> Collection:
    """A collection by TAXII id, or NotFound."""
    collection = session.scalar(select(Collection).where(Collection.uid == uid))
    if collection is None:
        raise NotFound(N_("No such collection."))
    return collection


def open_collection(session: Session, uid: str, *, actor: Actor, permission: str = "cyber.taxii.use"
                    ) -> tuple[Collection, Access]:
    """A collection and the actor's rights on it; NotFound unless the actor may at least read or write it."""
    require(actor, permission)
    found = load(session, uid, actor)
    if found is None:
        raise NotFound(N_("No such collection."))
    collection, access = found
    if not (access.can_read or access.can_write):
        raise NotFound(N_("No such collection."))  # do not reveal collections the actor may not use
    return collection, access


def _managed(session: Session, uid: str, actor: Actor) -> Collection:
    """A collection its manager (the owning CERT, an administrator) acts on. Others who may use it are refused;
    those who may not even know it exists get the same NotFound as for a missing one."""
    require(actor, "cyber.taxii.use")
    found = load(session, uid, actor)
    if found is None:
        raise NotFound(N_("No such collection."))
    collection, access = found
    if not actor.is_admin and actor.org_id != collection.owner_org_id:
        if not (access.can_read or access.can_write):
            raise NotFound(N_("No such collection."))
        raise Forbidden(N_("Only the owning CERT manages this collection."))
    return collection


def create_collection(session: Session, *, title: str, description: str = "", alias: str | None = None,
                      default_tlp: Tlp = Tlp.GREEN, owner_org_id: int | None = None, actor: Actor) -> Collection:
    """Open a collection owned by the actor's CERT (administrators name the owner)."""
    require(actor, "cyber.taxii.use")
    owner = owner_org_id if actor.is_admin and owner_org_id is not None else actor.org_id
    errors = {}
    if owner is None:
        errors["owner_org_id"] = N_("A collection belongs to a CERT: name its organisation.")
    if not title.strip() or len(title) > 200:
        errors["title"] = N_("Give a title of 1 to 200 characters.")
    if alias is not None and _ALIAS.fullmatch(alias) is None:
        errors["alias"] = N_("An alias is 2 to 100 lower-case letters, digits and hyphens.")
    if default_tlp is Tlp.RED:
        errors["default_tlp"] = N_("Unmarked objects cannot default to TLP:RED.")
    if errors:
        raise ValidationFailed(errors)
    if alias is not None and session.scalar(select(Collection.id).where(Collection.alias == alias)) is not None:
        raise Conflict(N_("Another collection uses this alias."), field="alias")
    assert owner is not None
    collection = Collection(uid=str(uuid.uuid4()), title=title.strip(), description=description.strip(), alias=alias,
                            owner_org_id=owner, default_tlp=int(default_tlp), created_by=actor.user_id,
                            created_at=utcnow())
    session.add(collection)
    session.flush()
    audit.record(session, actor, "cyber.collection.created", target_type="cyber_collection", target_id=collection.uid,
                 details={"title": collection.title, "owner_org_id": owner})
    return collection


def grant_access(session: Session, uid: str, *, org_id: int, can_read: bool = True, can_write: bool = False,
                 max_tlp: Tlp = Tlp.GREEN, actor: Actor) -> CollectionGrant:
    """Give (or change) an organisation's rights on a collection; RED is never granted to an organisation."""
    collection = _managed(session, uid, actor)
    if max_tlp is Tlp.RED:
        raise DomainError(N_("TLP:RED goes to named people, not to organisations."), field="max_tlp")
    if org_id == collection.owner_org_id:
        raise DomainError(N_("The owning CERT already has every right."), field="org_id")
    grant = session.get(CollectionGrant, (collection.id, org_id))
    if grant is None:
        grant = CollectionGrant(collection_id=collection.id, org_id=org_id)
        session.add(grant)
    grant.can_read, grant.can_write, grant.max_tlp = can_read, can_write, int(max_tlp)
    grant.granted_by, grant.granted_at = actor.user_id, utcnow()
    session.flush()
    audit.record(session, actor, "cyber.collection.granted", target_type="cyber_collection", target_id=uid,
                 details={"org_id": org_id, "read": can_read, "write": can_write, "max_tlp": max_tlp.slug})
    return grant


def revoke_access(session: Session, uid: str, *, org_id: int, actor: Actor) -> None:
    """Withdraw an organisation's rights on a collection."""
    collection = _managed(session, uid, actor)
    session.execute(delete(CollectionGrant).where(CollectionGrant.collection_id == collection.id,
                                                  CollectionGrant.org_id == org_id))
    audit.record(session, actor, "cyber.collection.revoked", target_type="cyber_collection", target_id=uid,
                 details={"org_id": org_id})


def name_red_recipient(session: Session, uid: str, *, user_id: int, actor: Actor) -> None:
    """Name a person who may receive the collection's TLP:RED content (they still need read access)."""
    collection = _managed(session, uid, actor)
    if session.get(RedRecipient, (collection.id, user_id)) is None:
        session.add(RedRecipient(collection_id=collection.id, user_id=user_id, added_by=actor.user_id,
                                 added_at=utcnow()))
        session.flush()
    audit.record(session, actor, "cyber.collection.red_named", target_type="cyber_collection", target_id=uid,
                 details={"user_id": user_id})


def remove_red_recipient(session: Session, uid: str, *, user_id: int, actor: Actor) -> None:
    """Stop serving the collection's TLP:RED content to a person."""
    collection = _managed(session, uid, actor)
    session.execute(delete(RedRecipient).where(RedRecipient.collection_id == collection.id,
                                               RedRecipient.user_id == user_id))
    audit.record(session, actor, "cyber.collection.red_removed", target_type="cyber_collection", target_id=uid,
                 details={"user_id": user_id})


def grants_of(session: Session, uid: str, *, actor: Actor) -> list[CollectionGrant]:
    """The organisations granted rights on a collection (for the CERT that manages it)."""
    collection = _managed(session, uid, actor)
    return list(session.scalars(select(CollectionGrant).where(CollectionGrant.collection_id == collection.id)
                                .order_by(CollectionGrant.org_id)))


def collections_for(session: Session, *, actor: Actor) -> list[tuple[Collection, Access]]:
    """The collections the actor may read or write, with their rights, by title."""
    require(actor, "cyber.view")
    found = []
    for collection in session.scalars(select(Collection).order_by(Collection.title, Collection.id)):
        access = access_for(session, collection, actor)
        if access.can_read or access.can_write or actor.is_admin:
            found.append((collection, access))
    return found
