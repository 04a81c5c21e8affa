"""The TAXII 2.1 server under /taxii2/: discovery, one API root, collections, objects, manifests, versions,
statuses. Every answer is `application/taxii+json;version=2.1`; every refusal a TAXII error object.

Pages are assembled from the stored JSON texts without parsing them again; `next` is an opaque signed
cursor, present whenever `more` is true (taxii2-client loops forever otherwise).
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
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
    Work,
    cursor_key,
    envelope_body,
    error_response,
    serve,
    taxii_response,
)
from kakehashi.kernel.authz import Actor, require
from kakehashi.kernel.errors import Forbidden, NotFound
from kakehashi.kernel.i18n import N_
from kakehashi.web.deps import PUBLIC

PREFIX = "/taxii2"
API_ROOT = "cti"
ROOT_PATH = f"{PREFIX}/{API_ROOT}"
# PUBLIC to the shell's sign-in rule only: TAXII authenticates every request itself (Basic or token) and refuses
# in its own error format (taxii_http).
router = APIRouter(prefix=PREFIX, route_class=TaxiiRoute, include_in_schema=False, dependencies=[PUBLIC])

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


def _root(request: Request) -> None:
    if request.path_params.get("api_root") != API_ROOT:
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


def _info(request: Request, session: Session, actor: Actor) -> Response:
    require(actor, "cyber.taxii.use")
    if "api_root" not in request.path_params:
        return taxii_response({
            "title": "Kakehashi TAXII 2.1", "description": "CERT-to-CERT exchange of the India–Japan Digital Partnership.",
            "default": f"{ROOT_PATH}/", "api_roots": [f"{ROOT_PATH}/"]})
    _root(request)
    return taxii_response({"title": "CERT exchange", "description": "STIX 2.1 threat intelligence, TLP 2.0 enforced.",
                           "versions": [TAXII_MEDIA], "max_content_length": MAX_CONTENT_LENGTH})


@router.get("/")
async def discovery(request: Request) -> Response:
    """Server discovery: the one API root."""
    return await serve(request, _info)


@router.get("/{api_root}/")
async def api_root_information(request: Request) -> Response:
    """API root information: versions and the largest envelope accepted."""
    return await serve(request, _info)


def _status(request: Request, session: Session, actor: Actor) -> Response:
    _root(request)
    return taxii_response(status_resource(objects.get_status(session, request.path_params["status_id"], actor=actor)))


@router.get("/{api_root}/status/{status_id}/")
async def status_(request: Request) -> Response:
    """The status of an earlier write by the caller's organisation."""
    return await serve(request, _status)


def _collections(request: Request, session: Session, actor: Actor) -> Response:
    _root(request)
    require(actor, "cyber.taxii.use")
    found = [collection_resource(c, a) for c, a in services.collections_for(session, actor=actor)
             if a.can_read or a.can_write]
    return taxii_response({"collections": found} if found else {})


@router.get("/{api_root}/collections/")
async def collections(request: Request) -> Response:
    """The collections the caller may read or write."""
    return await serve(request, _collections)


def _collection(request: Request, session: Session, actor: Actor) -> Response:
    _root(request)
    found, access = services.open_collection(session, request.path_params["collection_id"], actor=actor)
    return taxii_response(collection_resource(found, access))


@router.get("/{api_root}/collections/{collection_id}/")
async def collection(request: Request) -> Response:
    """One collection."""
    return await serve(request, _collection)


def _readable(session: Session, collection_id: str, actor: Actor) -> tuple[Collection, Access]:
    found, access = services.open_collection(session, collection_id, actor=actor)
    if not access.can_read:
        raise Forbidden(N_("Your organisation may write to this collection but not read it."))
    return found, access


def _paged(request: Request, session: Session, actor: Actor, endpoint: str, *, allowed: frozenset[str],
           manifest: bool = False, all_versions: bool = False) -> tuple[queries.RowPage, str | None, dict[str, str]]:
    """Serve one page of an endpoint: its rows, the next token (when more) and the date headers."""
    _root(request)
    stix_id = request.path_params.get("object_id")
    found, access = _readable(session, request.path_params["collection_id"], actor)
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


def _get_objects(request: Request, session: Session, actor: Actor) -> Response:
    result, token, headers = _paged(request, session, actor, "objects", allowed=_OBJECTS_FILTERS)
    return taxii_response(_envelope(result, token), headers=headers)


@router.get("/{api_root}/collections/{collection_id}/objects/")
async def get_objects(request: Request) -> Response:
    """A page of objects (latest versions unless match[version] says otherwise)."""
    return await serve(request, _get_objects)


def _add_objects(body: bytes) -> Work:
    def work(request: Request, session: Session, actor: Actor) -> Response:
        _root(request)
        envelope = ingest.read_envelope(body)
        end_reads(session)
        status = objects.add_objects(session, request.path_params["collection_id"], envelope, actor=actor)
        session.commit()
        _kick_log(request)
        return taxii_response(status_resource(status), 202)

    return work


@router.post("/{api_root}/collections/{collection_id}/objects/")
async def add_objects(request: Request, body: Annotated[bytes, Depends(envelope_body)]) -> Response:
    """Store an envelope; answers 202 with the (complete) status resource."""
    return await serve(request, _add_objects(body))


def _get_object(request: Request, session: Session, actor: Actor) -> Response:
    result, token, headers = _paged(request, session, actor, "object", allowed=_OBJECT_FILTERS)
    if not result.rows and not request.query_params:
        raise NotFound(N_("No such object."))
    return taxii_response(_envelope(result, token), headers=headers)


@router.get("/{api_root}/collections/{collection_id}/objects/{object_id}/")
async def get_object(request: Request) -> Response:
    """The versions of one object (the latest unless match[version] says otherwise); 404 if none visible."""
    return await serve(request, _get_object)


def _delete_object(request: Request, session: Session, actor: Actor) -> Response:
    _root(request)
    flt = filters.parse(dict(request.query_params), allowed=_DELETE_FILTERS)
    end_reads(session)
    objects.delete_versions(session, request.path_params["collection_id"], request.path_params["object_id"], flt,
                            actor=actor)
    session.commit()
    _kick_log(request)
    return taxii_response(b"", 200)


@router.delete("/{api_root}/collections/{collection_id}/objects/{object_id}/")
async def delete_object(request: Request) -> Response:
    """Delete versions of an object the caller's CERT produced."""
    return await serve(request, _delete_object)


def _get_versions(request: Request, session: Session, actor: Actor) -> Response:
    result, token, headers = _paged(request, session, actor, "versions", allowed=_VERSIONS_FILTERS, manifest=True,
                                    all_versions=True)
    if not result.rows and not request.query_params:
        raise NotFound(N_("No such object."))
    body: dict[str, Any] = {"more": bool(token)}
    if token:
        body["next"] = token
    if result.rows:
        body["versions"] = [row.version for row in result.rows]
    return taxii_response(body, headers=headers)


@router.get("/{api_root}/collections/{collection_id}/objects/{object_id}/versions/")
async def get_versions(request: Request) -> Response:
    """The version timestamps of one object, by date added."""
    return await serve(request, _get_versions)


def _get_manifest(request: Request, session: Session, actor: Actor) -> Response:
    result, token, headers = _paged(request, session, actor, "manifest", allowed=_OBJECTS_FILTERS, manifest=True)
    body: dict[str, Any] = {"more": bool(token)}
    if token:
        body["next"] = token
    if result.rows:
        body["objects"] = [{"id": row.stix_id, "date_added": timestamps.format_micros(row.added_us),
                            "version": row.version, "media_type": f"application/stix+json;version={row.spec_version}"}
                           for row in result.rows]
    return taxii_response(body, headers=headers)


@router.get("/{api_root}/collections/{collection_id}/manifest/")
async def get_manifest(request: Request) -> Response:
    """A page of manifest entries (id, date added, version, media type)."""
    return await serve(request, _get_manifest)


@router.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(path: str, actor: TaxiiActor) -> Response:
    """Anything else under /taxii2/ is a TAXII 404, to an authenticated client (others get the 401 challenge)."""
    return error_response(404, "No such TAXII resource.", code="not_found")
