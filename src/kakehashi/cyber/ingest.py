"""Writing a TAXII envelope into a collection: validate everything, then store every new version at once.

The envelope is all or nothing for anything wrong with the content (malformed, invalid STIX, control
characters in its text, unknown markings): it is refused and nothing is stored. Versions already present
are reported in the status (identical content: success; different content under the same id and version:
failure), and so are new versions the writer may not add (authorship.py: only the creating CERT versions
an object). Dates added come from `claim`, under the collection's lock.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

import orjson
from sqlalchemy import BigInteger, String, Table, any_, bindparam, case, insert, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from kakehashi.cyber import authorship, markings, planner, timestamps, validation
from kakehashi.cyber.errors import BadRequest, InvalidContent, TooLarge
from kakehashi.cyber.models import Collection, CollectionGrant, RedRecipient, Status, StixLink, StixObject
from kakehashi.cyber.sharing import Access, rights
from kakehashi.cyber.tlp import Tlp, effective_level, marking_refs
from kakehashi.kernel.authz import Actor
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.i18n import N_

MAX_OBJECTS = 10_000
_OBJECT_TABLE = cast(Table, StixObject.__table__)  # Core inserts: no ORM bookkeeping for thousands of rows
_LINK_TABLE = cast(Table, StixLink.__table__)
_STATUS_TABLE = cast(Table, Status.__table__)
_COLLECTION_TABLE = cast(Table, Collection.__table__)
_GRANT_TABLE = cast(Table, CollectionGrant.__table__)
_RED_TABLE = cast(Table, RedRecipient.__table__)
_COLLECTION_COLUMNS = ("id", "uid", "title", "description", "alias", "owner_org_id", "default_tlp", "last_added_us",
                       "created_by", "created_at")
_MAX_REPORTED = 10


@dataclass
class Version:
    """One object of an envelope, ready to store."""

    obj: dict[str, Any]
    stix_id: str
    type: str
    version: str | None
    version_us: int | None
    tlp: int
    raw: str


def read_envelope(body: bytes) -> list[Any]:
    """The `objects` of a TAXII envelope; BadRequest when it is not one."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(N_("The request body is not valid JSON."), details={"position": exc.pos}) from None
    if not isinstance(data, dict) or not isinstance(data.get("objects"), list):
        raise BadRequest(N_("The request body must be a TAXII envelope with an objects list."))
    objects: list[Any] = data["objects"]
    if len(objects) > MAX_OBJECTS:
        raise TooLarge(N_("An envelope may hold at most 10,000 objects."))
    return objects


def check_objects(objects: list[Any]) -> None:
    """Refuse the envelope unless every object is valid STIX 2.1 with marking definitions the server knows.

    Pure computation: a bad envelope is refused before the database is touched.
    """
    _check_stix(objects)
    markings.check_definitions(o for o in objects if o["type"] == "marking-definition")


def _check_stix(objects: list[Any]) -> None:
    problems = []
    for index, obj in enumerate(objects):
        found = validation.control_characters(obj) or validation.errors(obj)
        if not found and "created" in obj and obj.get("spec_version") != "2.1":
            found = ["Only STIX 2.1 objects are accepted."]
        if found:
            ident = obj.get("id") if isinstance(obj, dict) else None
            problems.append({"index": index, "id": ident if isinstance(ident, str) else None, "errors": found[:5]})
            if len(problems) >= _MAX_REPORTED:  # each refusal may cost the slow validator: stop early
                break
    if problems:
        raise InvalidContent(N_("Some objects are not valid STIX 2.1; nothing was stored."),
                             details={"invalid_objects": problems})


def prepare(objects: list[dict[str, Any]], default_tlp: Tlp) -> list[Version]:
    """Extract what the store indexes from validated objects."""
    prepared = []
    for obj in objects:
        version = obj.get("modified", obj.get("created"))
        kind = obj["type"]
        level = effective_level(marking_refs(obj), Tlp.CLEAR if kind == "marking-definition" else default_tlp)
        prepared.append(Version(
            obj=obj, stix_id=obj["id"], type=kind, version=version,
            version_us=timestamps.micros(version) if version is not None else None, tlp=int(level),
            raw=orjson.dumps(obj, option=orjson.OPT_SORT_KEYS).decode()))
    return prepared


def _claim_statement() -> Any:
    table, grants, red = _COLLECTION_TABLE, _GRANT_TABLE, _RED_TABLE
    following, now = table.c.last_added_us + 1, bindparam("now", type_=BigInteger)

    def grant(column: Any) -> Any:
        return select(column).where(grants.c.collection_id == table.c.id,
                                    grants.c.org_id == bindparam("org_id")).scalar_subquery()

    named = select(red.c.user_id).where(red.c.collection_id == table.c.id,
                                        red.c.user_id == bindparam("user_id")).scalar_subquery()
    return (update(table).where(table.c.uid == bindparam("collection_uid"))
            .values(last_added_us=case((following > now, following), else_=now))
            .returning(*(table.c[name] for name in _COLLECTION_COLUMNS), grant(grants.c.can_read),
                       grant(grants.c.can_write), grant(grants.c.max_tlp), named))


# Built once: composing a statement and its cache key costs more than SQLite takes to run it.
_CLAIM = _claim_statement()


@dataclass(frozen=True)
class Claim:
    """A collection locked for one write, the writer's rights on it, and the write's date added."""

    collection: Collection
    access: Access
    added_us: int


def claim(session: Session, uid: str, actor: Actor) -> Claim | None:
    """Start a write to a collection: lock it, take the write's date added, and read the actor's rights.

    One UPDATE ... RETURNING, the first statement of the transaction: it takes SQLite's write lock before
    anything is read (SQLite refuses to turn a read transaction into a write one if another writer committed
    meanwhile) and the collection's row lock on PostgreSQL, held to commit. Dates added therefore grow in
    commit order per collection, even when the clock steps back, and readers paging by date never skip a
    row committed late. The same statement returns the collection and the actor's grant and RED naming.
    None when there is no such collection.
    """
    now = timestamps.to_micros(utcnow())
    row = session.connection().execute(_CLAIM, {"collection_uid": uid, "now": now, "org_id": actor.org_id or -1,
                                                "user_id": actor.user_id or -1}).first()
    if row is None:
        return None
    values = dict(zip(_COLLECTION_COLUMNS, row[:len(_COLLECTION_COLUMNS)], strict=True))
    collection = Collection(**values)  # a detached copy: the session need not track it
    can_read, can_write, max_tlp, named_user = row[len(_COLLECTION_COLUMNS):]
    held = None if can_read is None else CollectionGrant(can_read=can_read, can_write=can_write, max_tlp=max_tlp)
    return Claim(collection, rights(collection, held, named_user is not None, actor), int(values["last_added_us"]))


_EXISTING_COLUMNS = select(StixObject.id, StixObject.stix_id, StixObject.version_us, StixObject.is_latest,
                           StixObject.is_first, StixObject.added_us, StixObject.producer_org_id, StixObject.added_by,
                           StixObject.created_by_ref).where(StixObject.collection_id == bindparam("collection_id"))
_EXISTING = {
    # One array parameter on PostgreSQL (cheaper to bind and plan than hundreds of IN parameters).
    "postgresql": _EXISTING_COLUMNS.where(StixObject.stix_id == any_(bindparam("ids", type_=postgresql.ARRAY(String)))),
    "other": _EXISTING_COLUMNS.where(StixObject.stix_id.in_(bindparam("ids", expanding=True))),
}


def _existing(session: Session, collection_id: int, stix_ids: list[str]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = defaultdict(list)
    connection = session.connection()
    statement = _EXISTING.get(connection.dialect.name, _EXISTING["other"])
    for start in range(0, len(stix_ids), 500):
        for row in connection.execute(statement, {"collection_id": collection_id, "ids": stix_ids[start:start + 500]}):
            found[row.stix_id].append(row)
    return found


def _stored_raw(session: Session, row_ids: list[int]) -> dict[int, str]:
    """The JSON text of the given rows (only needed when a version arrives again)."""
    if not row_ids:
        return {}
    rows = session.connection().execute(select(StixObject.id, StixObject.raw).where(StixObject.id.in_(row_ids)))
    return {row_id: raw for row_id, raw in rows}


def _outcome(item: Version, message: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": item.stix_id, "version": item.version}
    if message:
        entry["message"] = message
    return entry


def _select_new(items: list[Version], existing: dict[str, list[Any]], raw_of: dict[int, str], added_us: int,
                writer: authorship.Writer) -> tuple[list[Version], list[dict[str, Any]], list[dict[str, Any]]]:
    """Split items into new versions to store, successes and failures (conflicts, versions the writer may
    not add)."""
    new: list[Version] = []
    successes, failures = [], []
    seen: dict[tuple[str, int], str] = {}
    for item in items:
        if item.version_us is None:  # no created/modified (SCOs): its version is the date it is added
            if any(raw_of.get(row.id) == item.raw for row in existing.get(item.stix_id, ())) or \
                    any(v.raw == item.raw for v in new if v.stix_id == item.stix_id):
                successes.append(_outcome(item, "already present"))
                continue
            item.version_us, item.version = added_us, timestamps.format_micros(added_us)
        key = (item.stix_id, item.version_us)
        stored = next((raw_of[row.id] for row in existing.get(item.stix_id, ()) if row.version_us == item.version_us),
                      seen.get(key))
        if stored is None:
            refused = authorship.refusal(item.obj, existing.get(item.stix_id, ()), writer)
            if refused is not None:
                failures.append(_outcome(item, refused))
                continue
            new.append(item)
            seen[key] = item.raw
            successes.append(_outcome(item))
        elif stored == item.raw:
            successes.append(_outcome(item, "already present"))
        else:
            failures.append(_outcome(item, "a different object with this id and version is already stored"))
    return new, successes, failures


def _store(session: Session, collection: Collection, new: list[Version], existing: dict[str, list[Any]],
           added_us: int, *, user_id: int | None, org_id: int | None) -> None:
    by_id: dict[str, list[int]] = defaultdict(list)
    for item in new:
        by_id[item.stix_id].append(item.version_us or 0)
    not_latest, not_first = [], []
    bounds = {}
    for stix_id, versions in by_id.items():
        every = versions + [row.version_us for row in existing.get(stix_id, ())]
        bounds[stix_id] = (min(every), max(every))
        for row in existing.get(stix_id, ()):
            if row.is_latest and row.version_us != bounds[stix_id][1]:
                not_latest.append(row.id)
            if row.is_first and row.version_us != bounds[stix_id][0]:
                not_first.append(row.id)
    if not_latest:
        session.connection().execute(update(_OBJECT_TABLE).where(_OBJECT_TABLE.c.id.in_(not_latest)).values(is_latest=False))
    if not_first:
        session.connection().execute(update(_OBJECT_TABLE).where(_OBJECT_TABLE.c.id.in_(not_first)).values(is_first=False))
    _insert_objects(session, [(
        collection.id, item.stix_id, item.type, item.obj.get("spec_version", "2.1"), item.version, item.version_us,
        added_us, item.tlp, item.version_us == bounds[item.stix_id][1], item.version_us == bounds[item.stix_id][0],
        org_id, user_id, str(item.obj["name"])[:300] if isinstance(item.obj.get("name"), str) else None,
        item.obj.get("created_by_ref"), item.raw,
    ) for item in new])


_OBJECT_COLUMNS = ("collection_id", "stix_id", "type", "spec_version", "version", "version_us", "added_us", "tlp",
                   "is_latest", "is_first", "producer_org_id", "added_by", "name", "created_by_ref", "raw")
_COPY_OBJECTS = f"COPY cyber_stix_object ({', '.join(_OBJECT_COLUMNS)}) FROM STDIN"


def _insert_objects(session: Session, rows: list[tuple[Any, ...]]) -> None:
    """Insert new versions (tuples in `_OBJECT_COLUMNS` order), in the session's transaction."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":  # COPY: about half the time of a pipelined executemany
        driver: Any = connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(_COPY_OBJECTS) as copy:
            for row in rows:
                copy.write_row(row)
        return
    connection.execute(insert(_OBJECT_TABLE), [dict(zip(_OBJECT_COLUMNS, row, strict=True)) for row in rows])


def links(item: Version) -> list[tuple[str, str, str]]:
    """(from_id, to_id, kind) of the references pages follow from one object."""
    obj = item.obj
    if item.type == "relationship":
        return [(obj["source_ref"], obj["target_ref"], f"relationship:{obj['relationship_type']}")]
    if item.type == "sighting":
        return [(item.stix_id, obj["sighting_of_ref"], "sighting")]
    if item.type == "report":
        return [(item.stix_id, ref, "report") for ref in obj.get("object_refs", ()) if isinstance(ref, str)]
    return []


def _store_links(session: Session, collection_id: int, new: list[Version]) -> None:
    rows = [{"collection_id": collection_id, "owner_id": item.stix_id, "owner_version_us": item.version_us,
             "from_id": from_id[:300], "to_id": to_id[:300], "kind": kind[:120]}
            for item in new for from_id, to_id, kind in links(item)]
    if rows:
        session.connection().execute(insert(_LINK_TABLE), rows)


def digest(new: list[Version]) -> str:
    """SHA-256 over the stored versions (id, version, SHA-256 of the JSON text), for the transparency log."""
    lines = sorted(f"{v.stix_id} {v.version} {hashlib.sha256(v.raw.encode()).hexdigest()}" for v in new)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _collection_orgs(session: Session, collection: Collection) -> list[int]:
    """The owner and every organisation granted rights on the collection."""
    granted = session.connection().execute(select(_GRANT_TABLE.c.org_id).where(_GRANT_TABLE.c.collection_id == collection.id))
    return [collection.owner_org_id, *(org_id for (org_id,) in granted)]


def store_envelope(session: Session, collection: Collection, objects: list[Any], *, added_us: int,
                   user_id: int | None, org_id: int | None) -> tuple[Status, list[Version]]:
    """Store the objects of one envelope checked by `check_objects`; returns the status resource and what was
    stored. Refuses references to markings neither TLP nor defined in the envelope or the collection."""
    definitions = {o["id"] for o in objects if o["type"] == "marking-definition"}
    markings.check_references(session, collection.id, objects, definitions)
    items = prepare(objects, Tlp(collection.default_tlp))
    existing = _existing(session, collection.id, sorted({item.stix_id for item in items}))
    raw_of = _stored_raw(session, [row.id for item in items for row in existing.get(item.stix_id, ())
                                   if item.version_us is None or row.version_us == item.version_us])
    writer = authorship.Writer.of(org_id=org_id, user_id=user_id, collection_orgs=_collection_orgs(session, collection))
    new, successes, failures = _select_new(items, existing, raw_of, added_us, writer)
    if new:
        _store(session, collection, new, existing, added_us, user_id=user_id, org_id=org_id)
        _store_links(session, collection.id, new)
        planner.note_inserted(session, len(new))
    status = Status(
        id=str(uuid.uuid4()), collection_id=collection.id, user_id=user_id, org_id=org_id,
        request_timestamp=utcnow(), status="complete", total_count=len(items), success_count=len(successes),
        failure_count=len(failures), pending_count=0, successes=successes, failures=failures)
    # A Core insert: the status is answered from this object, the session need not track it.
    session.connection().execute(insert(_STATUS_TABLE), [{c.key: getattr(status, c.key) for c in _STATUS_TABLE.columns}])
    return status, new
