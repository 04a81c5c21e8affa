"""Use cases on STIX content: add an envelope, serve a page (logging sensitive reads), delete versions,
read a status, share an uploaded bundle, report a sighting back to the producer.
"""

from __future__ import annotations

import uuid
from typing import Any

import orjson
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kakehashi.cyber import ingest, ledger, queries
from kakehashi.cyber.authorship import org_identity_id as org_identity_id  # demo and pages use it from here
from kakehashi.cyber.errors import BadRequest
from kakehashi.cyber.filters import ObjectFilter
from kakehashi.cyber.models import Collection, Status, StixLink, StixObject
from kakehashi.cyber.sharing import Access
from kakehashi.cyber.tlp import TLP2_IDS, Tlp
from kakehashi.kernel import notifications
from kakehashi.kernel.authz import Actor, require
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.errors import Forbidden, NotFound
from kakehashi.kernel.i18n import N_


def _claim(session: Session, uid: str, actor: Actor, permission: str = "cyber.taxii.use") -> ingest.Claim:
    """Lock the collection for a write (first statement of the transaction); NotFound unless usable."""
    require(actor, permission)
    claimed = ingest.claim(session, uid, actor)
    if claimed is None or not (claimed.access.can_read or claimed.access.can_write):
        raise NotFound(N_("No such collection."))
    return claimed


def _write(session: Session, collection: Collection, objects: list[Any], added_us: int, *, actor: Actor) -> Status:
    status, new = ingest.store_envelope(session, collection, objects, added_us=added_us, user_id=actor.user_id,
                                        org_id=actor.org_id)
    levels = [(v.stix_id, v.version or "", v.tlp) for v in new]
    ledger.record(session, actor, ledger.WRITE_KIND, collection_uid=collection.uid, details={
        "status": status.id, "stored": len(new), "failed": status.failure_count, "digest": ingest.digest(new),
        "added_us": added_us, "markings": ledger.markings_digest(levels),
        "sensitive": ledger.sensitive_versions(levels)})
    return status


def add_objects(session: Session, uid: str, objects: list[Any], *, actor: Actor) -> Status:
    """Store the objects of a TAXII envelope in a collection the actor may write to.

    Call it at the start of a transaction: it takes the collection's write lock before reading anything.
    A refused envelope costs no more than its validation: nothing is written.
    """
    claimed = _claim(session, uid, actor)
    if not claimed.access.can_write:
        raise Forbidden(N_("Your organisation may read this collection but not write to it."))
    ingest.check_objects(objects)
    return _write(session, claimed.collection, objects, claimed.added_us, actor=actor)


def share_bundle(session: Session, uid: str, data: bytes, *, actor: Actor) -> Status:
    """Share an uploaded STIX bundle (or TAXII envelope) into a collection."""
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise BadRequest(N_("The file is not valid JSON."), field="bundle") from None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("objects"), list):
        raise BadRequest(N_("The file must be a STIX bundle with an objects list."), field="bundle")
    return add_objects(session, uid, parsed["objects"], actor=actor)


def serve_page(session: Session, collection: Collection, access: Access, flt: ObjectFilter, *, limit: int,
               after: tuple[int, int] | None = None, stix_id: str | None = None, manifest: bool = False,
               all_versions: bool = False) -> queries.RowPage:
    """One page of the versions the reader may see; log its AMBER and RED ones with `note_reads`."""
    columns = queries.MANIFEST_COLUMNS if manifest else queries.OBJECT_COLUMNS
    return queries.page(session, access, flt, limit=limit, after=after, stix_id=stix_id, columns=columns,
                        all_versions=all_versions)


def sensitive(page: queries.RowPage) -> bool:
    """Whether a page holds AMBER, AMBER+STRICT or RED versions (their reading must be logged)."""
    return any(row.tlp >= Tlp.AMBER for row in page.rows)


def note_reads(session: Session, collection_uid: str, page: queries.RowPage, *, endpoint: str, actor: Actor) -> None:
    """Record the reading of a page's AMBER and RED versions (at the start of a transaction: writes first)."""
    ledger.record_sensitive_reads(session, actor, collection_uid=collection_uid, endpoint=endpoint,
                                  versions=[(row.stix_id, row.version, row.tlp) for row in page.rows])


def _refresh_flags(session: Session, collection_id: int, stix_id: str) -> None:
    rows = session.scalars(select(StixObject).where(StixObject.collection_id == collection_id,
                                                    StixObject.stix_id == stix_id)).all()
    if rows:
        latest, first = max(r.version_us for r in rows), min(r.version_us for r in rows)
        for row in rows:
            row.is_latest, row.is_first = row.version_us == latest, row.version_us == first


def delete_versions(session: Session, uid: str, stix_id: str, flt: ObjectFilter, *, actor: Actor) -> int:
    """Delete the matching versions of an object the actor's CERT produced (or owns the collection of)."""
    claimed = _claim(session, uid, actor)
    collection, access = claimed.collection, claimed.access
    if not access.can_write:
        raise Forbidden(N_("Your organisation may not delete from this collection."))
    everything = ObjectFilter(spec_versions=flt.spec_versions, versions=flt.versions or ("all",))
    rows = queries.page(session, access, everything, limit=10_000, stix_id=stix_id,
                        columns=(StixObject.id, StixObject.added_us, StixObject.version, StixObject.version_us,
                                 StixObject.producer_org_id)).rows
    if not rows:
        raise NotFound(N_("No such object."))
    mine = [row for row in rows if access.is_owner or row.producer_org_id == actor.org_id]
    if len(mine) < len(rows):
        raise Forbidden(N_("Only the CERT that produced an object (or owns the collection) may delete it."))
    session.execute(delete(StixObject).where(StixObject.id.in_([row.id for row in mine])))
    session.execute(delete(StixLink).where(StixLink.collection_id == collection.id, StixLink.owner_id == stix_id,
                                           StixLink.owner_version_us.in_([row.version_us for row in mine])))
    _refresh_flags(session, collection.id, stix_id)
    ledger.record(session, actor, ledger.DELETE_KIND, collection_uid=uid,
                  details={"id": stix_id, "versions": [row.version for row in mine],
                           "added_us": sorted({row.added_us for row in mine})})
    return len(mine)


def get_status(session: Session, status_id: str, *, actor: Actor) -> Status:
    """A status resource of a write, for its author's organisation only."""
    require(actor, "cyber.taxii.use")
    status = queries.status(session, status_id)
    if status is None or not (status.user_id == actor.user_id
                              or (actor.org_id is not None and status.org_id == actor.org_id)):
        raise NotFound(N_("No such status."))
    return status


def report_sighting(session: Session, uid: str, stix_id: str, *, count: int = 1, actor: Actor) -> Status:
    """Tell the producer "we saw this too": a STIX sighting of a visible object, marked like it.

    Readers may report sightings without write rights. Call it at the start of a transaction (see add_objects).
    """
    claimed = _claim(session, uid, actor, permission="cyber.view")
    collection, access, added_us = claimed.collection, claimed.access, claimed.added_us
    if actor.org_id is None:
        raise Forbidden(N_("Sightings are reported on behalf of a CERT."))
    sighted = session.scalars(select(StixObject).where(
        StixObject.collection_id == collection.id, StixObject.stix_id == stix_id, access.visible())
        .order_by(StixObject.version_us.desc()).limit(1)).first()
    if sighted is None:
        raise NotFound(N_("No such object."))
    now = utcnow().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    me = org_identity_id(actor.org_id)
    sighting = {
        "type": "sighting", "spec_version": "2.1", "id": f"sighting--{uuid.uuid4()}", "created": now, "modified": now,
        "created_by_ref": me, "sighting_of_ref": stix_id, "where_sighted_refs": [me], "count": max(1, count),
        "first_seen": now, "last_seen": now, "object_marking_refs": [TLP2_IDS[Tlp(sighted.tlp)]],
    }
    ingest.check_objects([sighting])
    status = _write(session, collection, [sighting], added_us, actor=actor)
    if sighted.added_by is not None and sighted.added_by != actor.user_id:
        notifications.notify(session, user_id=sighted.added_by, kind="cyber.sighting",
                             title=N_("%(org)s saw one of your objects too"),
                             params={"org": actor.name or "A CERT", "id": stix_id},
                             link=f"/cyber/collections/{uid}/objects/{stix_id}")
    return status
