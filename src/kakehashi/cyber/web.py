"""Analyst pages: collections, search across them, an object with its versions and relationships, sharing a
bundle by upload, reporting a sighting, opening collections and granting other CERTs. The conformity register's
pages are in web_conformity. Content shown obeys TLP exactly as TAXII does, and showing AMBER or RED content
is logged the same way.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Depends, Form, Request
from starlette.datastructures import UploadFile
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kakehashi.cyber import browse, objects, services, timestamps
from kakehashi.cyber.errors import BadRequest
from kakehashi.cyber.queries import RowPage
from kakehashi.cyber.sharing import Access
from kakehashi.cyber.taxii import ROOT_PATH, end_reads
from kakehashi.cyber.taxii_http import MAX_CONTENT_LENGTH
from kakehashi.cyber.tlp import Tlp
from kakehashi.cyber.web_conformity import router as conformity_router
from kakehashi.kernel.authz import Actor, require
from kakehashi.kernel.errors import DomainError, NotFound, ValidationFailed
from kakehashi.kernel.i18n import N_
from kakehashi.web.deps import DB, CurrentActor, csrf_protect
from kakehashi.web.i18n import gettext as _
from kakehashi.web.templating import render

router = APIRouter(dependencies=[Depends(csrf_protect)])
router.include_router(conformity_router)
FLASHES = (N_("Bundle shared"), N_("Sighting reported"), N_("Collection opened"), N_("Access granted"),
           N_("Some objects were already stored differently"))
TLP_CHOICES = [(level.slug, level.label) for level in Tlp]


def _stamp(value: int) -> dt.datetime:
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=value)


def _log_reads(session: DB, rows: RowPage, uids: dict[int, str], *, endpoint: str, actor: Actor) -> None:
    """Record AMBER/RED content shown on a page, per collection, in a transaction that writes first."""
    by_collection: dict[int, list[Any]] = defaultdict(list)
    for row in rows.rows:
        if row.tlp >= Tlp.AMBER:
            by_collection[row.collection_id].append(row)
    if not by_collection:
        return
    session.commit()
    for collection_id, shown in by_collection.items():
        objects.note_reads(session, uids[collection_id], RowPage(rows=shown, more=False), endpoint=endpoint,
                           actor=actor)
    session.commit()


@router.get("/cyber", response_class=HTMLResponse)
def home(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    """The collections the analyst's CERT uses, and where to go from here."""
    require(actor, "cyber.view")
    return render(request, "cyber/home.html", {
        "collections": services.collections_for(session, actor=actor), "taxii_root": f"{ROOT_PATH}/",
        "tlp_choices": TLP_CHOICES, "errors": {}, "values": {}})


@router.post("/cyber/collections")
def open_collection(request: Request, session: DB, actor: CurrentActor, title: str = Form(""),
                    description: str = Form(""), default_tlp: str = Form("green")) -> Response:
    """Open a collection owned by the analyst's CERT."""
    try:
        collection = services.create_collection(session, title=title, description=description,
                                                default_tlp=Tlp.from_slug(default_tlp), actor=actor)
        session.commit()
    except (DomainError, ValueError) as exc:
        session.rollback()
        errors = exc.errors if isinstance(exc, ValidationFailed) else \
            {getattr(exc, "field", None) or "form": getattr(exc, "message", str(exc))}
        return render(request, "cyber/home.html", {
            "collections": services.collections_for(session, actor=actor), "taxii_root": f"{ROOT_PATH}/",
            "tlp_choices": TLP_CHOICES, "errors": {k: _(v) for k, v in errors.items()},
            "values": {"title": title, "description": description}}, 422)
    return RedirectResponse(f"/cyber/collections/{collection.uid}?flash=collection_opened", status_code=303)


def _search_from(params: dict[str, str]) -> browse.Search:
    def day(name: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(params[name]) if params.get(name) else None
        except ValueError:
            raise BadRequest(N_("Dates are written 2025-08-25."), field=name) from None

    try:
        level = Tlp.from_slug(params["tlp"]) if params.get("tlp") else None
        org = int(params["org"]) if params.get("org") else None
    except ValueError:
        raise BadRequest(N_("Unknown marking or organisation."), field="tlp") from None
    kind = params.get("type") or None
    if kind is not None and kind not in browse.BROWSABLE_TYPES:
        raise BadRequest(N_("Unknown object type."), field="type")
    return browse.Search(type=kind, tlp=level, producer_org_id=org, words=params.get("q", "")[:200],
                         added_from=day("from"), added_until=day("until"))


@router.get("/cyber/search", response_class=HTMLResponse)
def search(request: Request, session: DB, actor: CurrentActor) -> HTMLResponse:
    """Indicators, malware, campaigns, reports... by type, time, marking and source, newest first."""
    require(actor, "cyber.view")
    params = dict(request.query_params)
    wanted = _search_from(params)
    usable = services.collections_for(session, actor=actor)
    before = None
    if params.get("before", "").count("-") == 1:
        added, _sep, row = params["before"].partition("-")
        before = (int(added), int(row)) if added.isdigit() and row.isdigit() else None
    found = browse.search(session, [access for _c, access in usable], wanted, before=before)
    titles = {c.id: c for c, _a in usable}
    _log_reads(session, found, {c.id: c.uid for c, _a in usable}, endpoint="page:search", actor=actor)
    older = None
    if found.more and found.rows:
        last = found.rows[-1]
        older = urlencode({**{k: v for k, v in params.items() if k != "before"}, "before": f"{last.added_us}-{last.id}"})
    return render(request, "cyber/search.html", {
        "found": found, "collections": titles, "params": params, "older": older, "types": browse.BROWSABLE_TYPES,
        "tlp_choices": TLP_CHOICES, "stamp": _stamp})


def _collection(session: DB, uid: str, actor: Actor) -> tuple[Any, Access]:
    collection, access = services.open_collection(session, uid, actor=actor, permission="cyber.view")
    return collection, access


@router.get("/cyber/collections/{uid}", response_class=HTMLResponse)
def collection_page(request: Request, uid: str, session: DB, actor: CurrentActor) -> HTMLResponse:
    """A collection: the reader's rights, its latest objects, upload, and (for its CERT) who else may use it."""
    collection, access = _collection(session, uid, actor)
    latest = browse.search(session, [access], browse.Search(), limit=25)
    _log_reads(session, latest, {collection.id: collection.uid}, endpoint="page:collection", actor=actor)
    grants = services.grants_of(session, uid, actor=actor) if access.is_owner or actor.is_admin else []
    return render(request, "cyber/collection.html", {
        "collection": collection, "access": access, "latest": latest, "grants": grants, "stamp": _stamp,
        "taxii_url": f"{ROOT_PATH}/collections/{collection.uid}/", "tlp_choices": TLP_CHOICES, "errors": {}})


@router.post("/cyber/collections/{uid}/bundles")
async def share_bundle(request: Request, uid: str, session: DB, actor: CurrentActor) -> Response:
    """Share a STIX bundle file into the collection (the same checks as a TAXII envelope)."""
    form = await request.form(max_part_size=MAX_CONTENT_LENGTH)
    upload = form.get("bundle")
    if not isinstance(upload, UploadFile):
        raise BadRequest(N_("Choose a STIX bundle file."), field="bundle")
    data = await upload.read(MAX_CONTENT_LENGTH + 1)
    if len(data) > MAX_CONTENT_LENGTH:
        raise BadRequest(N_("The file is larger than 10 MB."), field="bundle")
    end_reads(session)
    status = objects.share_bundle(session, uid, data, actor=actor)
    session.commit()
    _kick(request)
    flash = "bundle_shared" if not status.failure_count else "some_objects_differed"
    return RedirectResponse(f"/cyber/collections/{uid}?flash={flash}", status_code=303)


@router.get("/cyber/collections/{uid}/objects/{stix_id}", response_class=HTMLResponse)
def object_page(request: Request, uid: str, stix_id: str, session: DB, actor: CurrentActor) -> HTMLResponse:
    """One object: its latest visible version, every visible version, and what relates to it."""
    collection, access = _collection(session, uid, actor)
    versions = browse.versions(session, access, stix_id)
    if not versions:
        raise NotFound(N_("No such object."))
    related = browse.related(session, access, stix_id)
    latest = versions[0]
    shown = RowPage(rows=[v for v in versions if v.tlp >= Tlp.AMBER], more=False)
    _log_reads(session, shown, {collection.id: collection.uid}, endpoint="page:object", actor=actor)
    pretty = orjson.dumps(orjson.loads(latest.raw), option=orjson.OPT_INDENT_2).decode()
    return render(request, "cyber/object.html", {
        "collection": collection, "access": access, "latest": latest, "versions": versions, "related": related,
        "json": pretty, "data": orjson.loads(latest.raw), "stamp": _stamp, "tlp": Tlp,
        "format_micros": timestamps.format_micros})


@router.post("/cyber/collections/{uid}/objects/{stix_id}/sightings")
def report_sighting(request: Request, uid: str, stix_id: str, session: DB, actor: CurrentActor,
                    count: int = Form(1)) -> Response:
    """"We saw this too": a sighting back to the producer."""
    end_reads(session)
    objects.report_sighting(session, uid, stix_id, count=max(1, min(count, 999_999_999)), actor=actor)
    session.commit()
    _kick(request)
    return RedirectResponse(f"/cyber/collections/{uid}/objects/{stix_id}?flash=sighting_reported", status_code=303)


@router.post("/cyber/collections/{uid}/grants")
def grant(request: Request, uid: str, session: DB, actor: CurrentActor, org_id: int = Form(...),
          can_write: bool = Form(False), max_tlp: str = Form("green")) -> Response:
    """Let another CERT or organisation read (and perhaps write) the collection, up to a TLP level."""
    try:
        level = Tlp.from_slug(max_tlp)
    except ValueError:
        raise BadRequest(N_("Unknown marking."), field="max_tlp") from None
    services.grant_access(session, uid, org_id=org_id, can_write=can_write, max_tlp=level, actor=actor)
    session.commit()
    return RedirectResponse(f"/cyber/collections/{uid}?flash=access_granted", status_code=303)


def _kick(request: Request) -> None:
    drainer = getattr(request.app.state, "cyber_log_drainer", None)
    if drainer is not None:
        drainer.kick()
