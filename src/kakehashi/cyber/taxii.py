"""The TAXII 2.1 server under /taxii2/: discovery, one API root, collections, objects, manifests, versions,
statuses. Every answer is `application/taxii+json;version=2.1`; every refusal a TAXII error object.

Pages are assembled from the stored JSON texts without parsing them again; `next` is an opaque signed
cursor, present whenever `more` is true (taxii2-client loops forever otherwise).
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from kakehashi.cyber import cursor, filters, ingest, objects, queries, services, timestamps
from kakehashi.cyber.models import Collection, Status
from kakehashi.cyber.sharing import Access
from kakehashi.cyber.taxii_http import (
    MAX_CONTENT_LENGTH,
    STIX_MEDIA,
    TAXII_MEDIA,
    TaxiiActor,
    TaxiiRoute,
    cursor_key,
    envelope_body,
    error_response,
    taxii_response,
)
from kakehashi.kernel.authz import Actor, require
from kakehashi.kernel.errors import Forbidden, NotFound
from kakehashi.kernel.i18n import N_
from kakehashi.web.deps import DB

PREFIX = "/taxii2"
API_ROOT = "cti"
ROOT_PATH = f"{PREFIX}/{API_ROOT}"
router = APIRouter(prefix=PREFIX, route_class=TaxiiRoute, include_in_schema=False)

_OBJECTS_FILTERS = filters.KNOWN
_OBJECT_FILTERS = frozenset({"added_after", "limit", "next", "match[version]", "match[spec_version]"})
_VERSIONS_FILTERS = frozenset({"added_after", "limit", "next", "match[spec_version]"})
_DELETE_FILTERS = frozenset({"match[version]", "match[spec_version]"})


def end_reads(session: Any) -> None:
    """End the read transaction authentication opened, so that a write takes SQLite's lock before reading.

    SQLite cannot turn a read transaction into a write one once another writer has committed; PostgreSQL
    can, so there this costs nothing.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.commit()


def _kick_log(request: Request) -> None:
    """Have the server's drainer append the evidence just committed to the transparency log."""
    drainer = getattr(request.app.state, "cyber_log_drainer", None)
    if drainer is not None:
        drainer.kick()


def _root(api_root: str) -> None:
    if api_root != API_ROOT:
        raise NotFound(N_("No such API root."))


def status_resource(status: Status) -> dict[str, Any]:
    """The TAXII status resource of a stored write."""
    resource: dict[str, Any] = {
        "id": status.id, "status": status.status, "request_timestamp": timestamps.format_micros(
            timestamps.to_micros(status.request_timestamp)),
        "total_count": status.total_count, "success_count": status.success_count,
        "failure_count": status.failure_count, "pending_count": status.pending_count,
    }
    if status.successes:
        resource["successes"] = status.successes
    if status.failures:
        resource["failures"] = status.failures
    return resource


def collection_resource(collection: Collection, access: Access) -> dict[str, Any]:
    """The TAXII collection resource, with the caller's rights."""
    resource: dict[str, Any] = {"id": collection.uid, "title": collection.title, "can_read": access.can_read,
                                "can_write": access.can_write, "media_types": [STIX_MEDIA]}
    if collection.description:
        resource["description"] = collection.description
    if collection.alias:
        resource["alias"] = collection.alias
    return resource


@router.get("/")
def discovery(actor: TaxiiActor) -> Response:
    """Server discovery: the one API root."""
    require(actor, "cyber.taxii.use")
    return taxii_response({
        "title": "Kakehashi TAXII 2.1", "description": "CERT-to-CERT exchange of the India–Japan Digital Partnership.",
        "default": f"{ROOT_PATH}/", "api_roots": [f"{ROOT_PATH}/"],
    })


@router.get("/{api_root}/")
def api_root_information(api_root: str, actor: TaxiiActor) -> Response:
    """API root information: versions and the largest envelope accepted."""
    _root(api_root)
    require(actor, "cyber.taxii.use")
    return taxii_response({"title": "CERT exchange", "description": "STIX 2.1 threat intelligence, TLP 2.0 enforced.",
                           "versions": [TAXII_MEDIA], "max_content_length": MAX_CONTENT_LENGTH})


@router.get("/{api_root}/status/{status_id}/")
def status_(api_root: str, status_id: str, session: DB, actor: TaxiiActor) -> Response:
    """The status of an earlier write by the caller's organisation."""
    _root(api_root)
    return taxii_response(status_resource(objects.get_status(session, status_id, actor=actor)))


@router.get("/{api_root}/collections/")
def collections(api_root: str, session: DB, actor: TaxiiActor) -> Response:
    """The collections the caller may read or write."""
    _root(api_root)
    require(actor, "cyber.taxii.use")
    found = [collection_resource(c, a) for c, a in services.collections_for(session, actor=actor)
             if a.can_read or a.can_write]
    return taxii_response({"collections": found} if found else {})


@router.get("/{api_root}/collections/{collection_id}/")
def collection(api_root: str, collection_id: str, session: DB, actor: TaxiiActor) -> Response:
    """One collection."""
    _root(api_root)
    found, access = services.open_collection(session, collection_id, actor=actor)
    return taxii_response(collection_resource(found, access))


def _readable(session: Any, collection_id: str, actor: Actor) -> tuple[Collection, Access]:
    found, access = services.open_collection(session, collection_id, actor=actor)
    if not access.can_read:
        raise Forbidden(N_("Your organisation may write to this collection but not read it."))
    return found, access


def _paged(request: Request, session: Any, actor: Actor, collection_id: str, endpoint: str, *,
           allowed: frozenset[str], stix_id: str | None = None, manifest: bool = False,
           all_versions: bool = False) -> tuple[queries.RowPage, str | None, dict[str, str]]:
    """Serve one page of an endpoint: its rows, the next token (when more) and the date headers."""
    found, access = _readable(session, collection_id, actor)
    params = dict(request.query_params)
    flt = filters.parse(params, allowed=allowed)
    limit = filters.limit(params.get("limit"))
    bound = cursor.fingerprint([endpoint, found.uid, stix_id or "", str(actor.user_id), *flt.fingerprint_parts()])
    key = cursor_key(request)
    after = cursor.decode(key, params["next"], bound) if params.get("next") else None
    result = objects.serve_page(session, found, access, flt, limit=limit, after=after, stix_id=stix_id,
                                manifest=manifest, all_versions=all_versions)
    if objects.sensitive(result):  # on record before the content leaves, in a transaction that writes first
        session.commit()
        objects.note_reads(session, found.uid, result, endpoint=endpoint, actor=actor)
        session.commit()
        _kick_log(request)
    position = result.last_position
    token = cursor.encode(key, *position, bound) if result.more and position else None
    headers = {}
    if result.rows:
        headers["X-TAXII-Date-Added-First"] = timestamps.format_micros(result.rows[0].added_us)
        headers["X-TAXII-Date-Added-Last"] = timestamps.format_micros(result.rows[-1].added_us)
    return result, token, headers


def _envelope(result: queries.RowPage, token: str | None) -> bytes:
    head = b'{"more":true,"next":' + orjson.dumps(token) if token else b'{"more":false'
    if not result.rows:
        return head + b"}"
    return head + b',"objects":[' + ",".join(row.raw for row in result.rows).encode() + b"]}"


@router.get("/{api_root}/collections/{collection_id}/objects/")
def get_objects(api_root: str, collection_id: str, request: Request, session: DB, actor: TaxiiActor) -> Response:
    """A page of objects (latest versions unless match[version] says otherwise)."""
    _root(api_root)
    result, token, headers = _paged(request, session, actor, collection_id, "objects", allowed=_OBJECTS_FILTERS)
    return taxii_response(_envelope(result, token), headers=headers)


@router.post("/{api_root}/collections/{collection_id}/objects/")
def add_objects(api_root: str, collection_id: str, request: Request, session: DB, actor: TaxiiActor,
                body: Annotated[bytes, Depends(envelope_body)]) -> Response:
    """Store an envelope; answers 202 with the (complete) status resource."""
    _root(api_root)
    envelope = ingest.read_envelope(body)
    end_reads(session)
    status = objects.add_objects(session, collection_id, envelope, actor=actor)
    session.commit()
    _kick_log(request)
    return taxii_response(status_resource(status), 202)


@router.get("/{api_root}/collections/{collection_id}/objects/{object_id}/")
def get_object(api_root: str, collection_id: str, object_id: str, request: Request, session: DB,
               actor: TaxiiActor) -> Response:
    """The versions of one object (the latest unless match[version] says otherwise); 404 if none visible."""
    _root(api_root)
    result, token, headers = _paged(request, session, actor, collection_id, "object", allowed=_OBJECT_FILTERS,
                                    stix_id=object_id)
    if not result.rows and not request.query_params:
        raise NotFound(N_("No such object."))
    return taxii_response(_envelope(result, token), headers=headers)


@router.delete("/{api_root}/collections/{collection_id}/objects/{object_id}/")
def delete_object(api_root: str, collection_id: str, object_id: str, request: Request, session: DB,
                  actor: TaxiiActor) -> Response:
    """Delete versions of an object the caller's CERT produced."""
    _root(api_root)
    flt = filters.parse(dict(request.query_params), allowed=_DELETE_FILTERS)
    end_reads(session)
    objects.delete_versions(session, collection_id, object_id, flt, actor=actor)
    session.commit()
    _kick_log(request)
    return taxii_response(b"", 200)


@router.get("/{api_root}/collections/{collection_id}/objects/{object_id}/versions/")
def get_versions(api_root: str, collection_id: str, object_id: str, request: Request, session: DB,
                 actor: TaxiiActor) -> Response:
    """The version timestamps of one object, by date added."""
    _root(api_root)
    result, token, headers = _paged(request, session, actor, collection_id, "versions", allowed=_VERSIONS_FILTERS,
                                    stix_id=object_id, manifest=True, all_versions=True)
    if not result.rows and not request.query_params:
        raise NotFound(N_("No such object."))
    body: dict[str, Any] = {"more": bool(token)}
    if token:
        body["next"] = token
    if result.rows:
        body["versions"] = [row.version for row in result.rows]
    return taxii_response(body, headers=headers)


@router.get("/{api_root}/collections/{collection_id}/manifest/")
def get_manifest(api_root: str, collection_id: str, request: Request, session: DB, actor: TaxiiActor) -> Response:
    """A page of manifest entries (id, date added, version, media type)."""
    _root(api_root)
    result, token, headers = _paged(request, session, actor, collection_id, "manifest", allowed=_OBJECTS_FILTERS,
                                    manifest=True)
    body: dict[str, Any] = {"more": bool(token)}
    if token:
        body["next"] = token
    if result.rows:
        body["objects"] = [{"id": row.stix_id, "date_added": timestamps.format_micros(row.added_us),
                            "version": row.version, "media_type": f"application/stix+json;version={row.spec_version}"}
                           for row in result.rows]
    return taxii_response(body, headers=headers)


@router.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(path: str) -> Response:
    """Anything else under /taxii2/ is a TAXII 404."""
    return error_response(404, "No such TAXII resource.", code="not_found")
