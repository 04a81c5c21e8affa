"""The authorisation matrix: every route of the app (pages, /api/v1, TAXII under /taxii2/) x every role on each
side (JP, IN) x anonymous, on both backends.

The routes come from the app's route table (`routes()`), never from a hand-picked list; path parameters are
filled by name from the world's dataset (`PARAMETERS`); unsafe methods carry a valid CSRF token and a minimal
body made from the route's declared form/JSON fields (`FIELDS`). A new route whose parameter has no entry, or
whose unsafe method has no entry in `UNSAFE`, makes `test_every_route_is_covered` fail, so nothing is skipped
silently. The oracle, per cell:
  (a) never a 5xx;
  (b) anonymous: 401 (API, TAXII) or a redirect to the sign-in page / a 401 page (HTML), except on the routes
      of `PUBLIC`;
  (c) a persona whose role lacks the permission `UNSAFE` names for the route (asked of `authz.can` with the
      target's side and organisation) never gets a success for an unsafe method; nobody is ever shown a
      marker of a private object (other side's funding, RED/AMBER STIX objects, an exchange item not shared
      with them) that `Marker.visible` says they may not see, and nobody gets a success on a route whose path
      names a private object they may not see (`PRIVATE`);
  (d) for such private objects, the status equals the one for an object that does not exist.
Each route is one test; the personas' failures are collected and reported together.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import typing
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI, UploadFile
from fastapi.routing import APIRoute, _IncludedRouter
from pydantic import BaseModel
from sqlalchemy import text
from starlette.routing import Mount, Route

from kakehashi.kernel.authz import KNOWN_PERMISSIONS, can
from kakehashi.main import create_app
from tests.conftest import test_settings as settings_for
from tests.security.conftest import TAXII, Persona, World


@dataclass(frozen=True)
class Endpoint:
    """One method of one route, as the app's route table has it."""

    method: str
    path: str
    route: Any

    @property
    def kind(self) -> str:
        if self.path.startswith("/taxii2/"):
            return "taxii"
        if self.path.startswith("/api/"):
            return "api"
        return "html"

    @property
    def unsafe(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH", "DELETE")

    @property
    def params(self) -> list[str]:
        return [name.split(":")[0] for name in re.findall(r"{([^}]+)}", self.path)]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _walk(routes: list[Any], found: list[Endpoint], context: Any = None) -> None:
    for route in routes:
        if isinstance(route, _IncludedRouter):
            _walk(route.original_router.routes, found, route.include_context)
        elif isinstance(route, Mount):
            # The only mounts are StaticFiles (/static/...): files, not routes; tests/web covers them.
            assert route.path.startswith("/static"), f"unexpected mount {route.path}: cover it here"
        elif isinstance(route, (APIRoute, Route)):
            path = context.path_for(route) if context is not None else route.path
            for method in sorted(route.methods or []):
                if method != "HEAD":  # Starlette adds HEAD to GET routes: the same handler
                    found.append(Endpoint(method, path, route))
        else:
            raise AssertionError(f"unknown route type {type(route).__name__}: cover it here")


@functools.cache
def routes() -> tuple[Endpoint, ...]:
    """Every (method, path) of the whole app, from its route table."""
    app: FastAPI = create_app(settings_for("sqlite://"))
    found: list[Endpoint] = []
    _walk(app.routes, found)
    return tuple(found)


# --- public routes (anonymous may use them) ----------------------------------------------------------------
PUBLIC: frozenset[str] = frozenset({
    "GET /", "GET /healthz", "GET /login", "POST /login", "POST /logout",
    "GET /invitations/{token}", "POST /invitations/{token}",  # the token is the credential
    "GET /api/openapi.json", "GET /api/docs",
    "GET /public/governance", "GET /public/governance/activities/{activity_id:int}",
    "GET /public/governance/charts/{name}.svg",
    "GET /governance/certificates", "GET /governance/certificates/{code}.pdf",  # anyone verifies a certificate
    "GET /api/v1/governance/certificates/{code}",
    "GET /matchmaking/calendar/{handle}.ics",  # the handle is an HMAC secret standing in for a session
    # Public courses are listed for visitors (governance.training: `public_only=not actor.is_authenticated`).
    "GET /governance/training", "GET /governance/training/{course_id:int}", "GET /api/v1/governance/training/courses",
    # The transparency log is public by design (anyone verifies it).
    "GET /api/v1/log/checkpoint", "GET /api/v1/log/entries/{index}", "GET /api/v1/log/proofs/inclusion",
    "GET /api/v1/log/proofs/consistency", "GET /api/v1/log/witnesses", "GET /agreement/log",
    # The agreement text itself is public (the MoC is a published document).
    "GET /agreement", "GET /agreement/{slug}", "GET /agreement/{slug}/diff", "GET /agreement/{slug}/deadlines",
    "GET /agreement/{slug}/deadlines.ics", "GET /api/v1/agreements", "GET /api/v1/agreements/{slug}",
})

# --- path parameters, filled by name from the world (see `_values`) ---------------------------------------
# name -> key of World.ids (or of `_values`); "<path>|<name>" overrides a name on one route.
PARAMETERS: dict[str, str] = {
    "org_id": "org_jp", "partner_id": "org_in", "user_id": "user_jp", "token": "invitation", "kid": "kid",
    "notification_id": "notification", "token_id": "api_token",
    "instrument_id": "instrument", "slug": "slug", "item_id": "item", "consent_id": "consent", "verb": "grant",
    "event_id": "event", "session_id": "mm_session", "break_id": "mm_break", "request_id": "mm_request",
    "decision": "accept", "meeting_id": "mm_meeting", "name": "chart_requests", "handle": "calendar_handle",
    "mission_id": "mission", "deck_id": "deck", "opportunity_id": "opportunity", "action": "approve",
    "interest_id": "interest", "body_id": "body", "accreditation_id": "accreditation", "uid": "collection",
    "stix_id": "red_object", "code": "area", "year": "year", "fmt": "csv", "commitment_id": "commitment",
    "activity_id": "activity", "milestone_id": "milestone", "action_id": "action_item",
    "arrangement_id": "arrangement", "course_id": "course", "index": "zero", "size": "log_size",
    "api_root": "api_root", "status_id": "status", "collection_id": "collection", "object_id": "red_object",
    "path": "unknown_path",
    "/people/{user_id}/recommendations/{partner_id}/feedback|partner_id": "user_in",
    "/api/v1/people/{user_id}/recommendations/{partner_id}/feedback|partner_id": "user_in",
    "/governance/charts/{name}.svg|name": "chart_progress", "/public/governance/charts/{name}.svg|name": "chart_progress",
    "/governance/consultations/{meeting_id:int}|meeting_id": "gov_meeting",
    "/governance/consultations/{meeting_id}.ics|meeting_id": "gov_meeting",
    "/governance/certificates/{code}.pdf|code": "certificate", "/api/v1/governance/certificates/{code}|code": "certificate",
}
# Unavoidable exceptions: the demo dataset has no pitch deck and no expressed interest, and building either needs
# a startup profile / a live opportunity of another organisation; these parameters are filled with an id that
# does not exist (so the routes still run for every persona and must answer 404, never 5xx).
NONEXISTENT_FILLS = frozenset({"deck", "interest"})

# Objects only some may see, named in a path: (parameter key, who may see it, a value that does not exist).
PRIVATE: dict[str, tuple[Callable[[Persona, World], bool], Callable[[], str]]] = {
    "item": (lambda p, w: p.actor.is_admin or p.side == "JP", lambda: "987654321"),
    # Administrators manage every collection (cyber.services._require_manager), so they may know it exists.
    "collection": (lambda p, w: p.actor.is_admin or p.actor.org_id == w.orgs["jp_cert"], lambda: str(uuid.uuid4())),
    "red_object": (lambda p, w: p.actor.user_id == w.personas["cert_analyst:JP"].actor.user_id,
                   lambda: f"indicator--{uuid.uuid4()}"),
}

# --- routes too costly to render for every persona --------------------------------------------------------
# Each request renders a PDF (WeasyPrint) or a chart (matplotlib): 0.3 to 12 s. They need only a permission
# every signed-in role holds (governance.view, matchmaking.participate) or none, and their output is binary or
# drawn (no marker can be read in it), so they run for anonymous, the administrator and the least and a most
# privileged persona of each side; the yearly report (12 s) for anonymous and one signed-in persona.
_SAMPLE = ("anonymous", "platform_admin", "org_member:IN", "nodal_officer:JP")
EXPENSIVE: dict[str, tuple[str, ...]] = {
    "GET /governance/report/{year}.pdf": ("anonymous", "org_member:IN"),
    "GET /governance/charts/{name}.svg": _SAMPLE, "GET /public/governance/charts/{name}.svg": _SAMPLE,
    "GET /matchmaking/events/{event_id}/charts/{name}.svg": _SAMPLE, "GET /matchmaking/agenda.pdf": _SAMPLE,
    "GET /governance/certificates/{code}.pdf": _SAMPLE,
}

# --- what an unsafe method needs: (permission, target) --------------------------------------------------
# target: a parameter key whose owner (side, organisation) the permission is asked about, "own" (the
# persona's own side and organisation), or None (no particular target). A permission of None means "any
# signed-in person" (domain rules decide: not checked here). "member+" marks routes a member of the target
# organisation may also use (matchmaking profiles: `require_org_editor`).
SIGNED_IN = None
UNSAFE: dict[str, tuple[str | None, str | None]] = {
    "POST /login": (SIGNED_IN, None), "POST /logout": (SIGNED_IN, None),
    "POST /invitations/{token}": (SIGNED_IN, None), "POST /profile": ("profile.edit_self", None),
    "POST /people/invite": ("identity.invite", "org_jp"), "POST /api/v1/invitations": ("identity.invite", "org_jp"),
    # one's own notifications and tokens (another person's answer 404, as if missing)
    "POST /notifications/read": (SIGNED_IN, None), "POST /notifications/{notification_id}/read": (SIGNED_IN, None),
    "POST /profile/tokens": (SIGNED_IN, None), "POST /profile/tokens/{token_id}/revoke": (SIGNED_IN, None),
    "POST /api/v1/tokens": (SIGNED_IN, None), "DELETE /api/v1/tokens/{token_id}": (SIGNED_IN, None),
    "POST /organisations/import": ("registry.org.import", None), "POST /organisations/new": ("registry.org.create", None),
    "POST /organisations/{org_id}/edit": ("registry.org.edit", "org_jp"),
    "POST /organisations/{org_id}/verify": ("registry.org.verify", "org_jp"),
    "POST /organisations/{org_id}/unverify": ("registry.org.verify", "org_jp"),
    "POST /agreement/keys": ("keys.manage_own", None), "POST /agreement/keys/{kid}/revoke": ("keys.manage_own", None),
    "POST /agreement/instruments/{instrument_id}/signatures": ("agreement.instrument.sign", None),
    "POST /agreement/{slug}/instruments": ("agreement.instrument.draft", None),
    "POST /exchange/items/{item_id}/consents": ("exchange.access", None),
    "POST /exchange/consents/{consent_id}/{verb}": ("exchange.consent.decide", "consent"),
    "POST /exchange/purposes": ("exchange.vocabulary.edit", None), "POST /exchange/share": ("exchange.share", None),
    "POST /exchange/items/{item_id}/access": ("exchange.access", None),
    "POST /exchange/items/{item_id}/withdraw": ("exchange.share", None),
    "POST /matchmaking/events/new": ("matchmaking.event.organise", "own"),
    **{f"POST /matchmaking/events/{{event_id}}/{tail}": ("matchmaking.event.organise", "event") for tail in (
        "edit", "sessions", "sessions/{session_id}/delete", "breaks", "breaks/{break_id}/delete", "groups",
        "pitches", "phase", "schedule/solve", "schedule/import")},
    **{f"POST /matchmaking/events/{{event_id}}/{tail}": ("matchmaking.participate", None)
       for tail in ("unregister", "register", "requests", "late-request")},
    "POST /matchmaking/requests/{request_id}/{decision}": ("matchmaking.participate", None),
    "POST /matchmaking/calendar/rotate": ("matchmaking.participate", None),
    "POST /matchmaking/meetings/{meeting_id}/cancel": ("matchmaking.participate", None),
    "POST /matchmaking/meetings/{meeting_id}/checkin": ("matchmaking.participate", None),
    "POST /matchmaking/meetings/{meeting_id}/feedback": ("matchmaking.participate", None),
    "POST /matchmaking/opportunities/new": ("matchmaking.opportunity.create", None),
    "POST /matchmaking/opportunities/{opportunity_id}/edit": ("matchmaking.opportunity.create", None),
    "POST /matchmaking/opportunities/{opportunity_id}/{action}": ("matchmaking.opportunity.review", "opportunity"),
    "POST /matchmaking/interests/{interest_id}/{decision}": ("matchmaking.participate", None),
    "POST /matchmaking/profiles/{org_id}/startup": ("member+registry.org.edit", "org_jp"),
    "POST /matchmaking/profiles/{org_id}/deck": ("member+registry.org.edit", "org_jp"),
    "POST /matchmaking/profiles/{org_id}/investor": ("member+registry.org.edit", "org_jp"),
    "POST /matchmaking/funds": ("registry.org.edit", "org_jp"),
    "POST /matchmaking/missions": ("matchmaking.event.organise", "own"),
    "POST /matchmaking/missions/{mission_id}/join": ("matchmaking.participate", None),
    "POST /organisations/{org_id}/recommendations/{partner_id}/feedback": ("matchmaking.participate", None),
    "POST /people/{user_id}/recommendations/{partner_id}/feedback": ("matchmaking.participate", None),
    "POST /cyber/conformity/bodies": ("cyber.conformity.edit", None),
    "POST /cyber/conformity/bodies/{body_id}/accreditations": ("cyber.conformity.edit", "body"),
    "POST /cyber/conformity/accreditations/{accreditation_id}/status": ("cyber.conformity.edit", "accreditation"),
    "POST /cyber/collections": ("cyber.taxii.use", None),
    "POST /cyber/collections/{uid}/bundles": ("cyber.taxii.use", None),
    "POST /cyber/collections/{uid}/objects/{stix_id}/sightings": ("cyber.taxii.use", None),
    "POST /cyber/collections/{uid}/grants": ("cyber.taxii.use", None),
    "POST /governance/activities": ("governance.edit", None),
    **{f"POST /governance/activities/{{activity_id:int}}/{tail}": ("governance.edit", None)
       for tail in ("edit", "updates", "milestones", "links")},
    "POST /governance/milestones/{milestone_id}/done": ("governance.edit", None),
    "POST /governance/consultations": ("governance.edit", None),
    **{f"POST /governance/consultations/{{meeting_id:int}}/{tail}": ("governance.edit", None)
       for tail in ("attendance", "minutes", "minutes/submit", "decisions", "actions")},
    "POST /governance/consultations/{meeting_id:int}/minutes/sign": ("governance.minutes.approve", None),
    "POST /governance/actions/{action_id}/status": ("governance.edit", None),
    "POST /governance/activities/{activity_id:int}/costs": ("governance.funding.edit", "side_jp"),
    "POST /governance/activities/{activity_id:int}/arrangements": ("governance.funding.edit", None),
    "POST /governance/arrangements/{arrangement_id}/sign": ("governance.funding.edit", "own"),
    "POST /governance/rates": ("governance.funding.edit", None),
    "POST /governance/training": ("training.manage", None),
    "POST /governance/training/{course_id:int}/register": ("training.register", None),
    "POST /governance/training/{course_id:int}/cancel": ("training.register", None),
    **{f"POST /governance/training/{{course_id:int}}/{tail}": ("training.manage", None)
       for tail in ("capacity", "attendance", "certificates")},
    "POST /api/v1/organisations": ("registry.org.create", None),
    "PUT /api/v1/organisations/{org_id}": ("registry.org.edit", "org_jp"),
    "POST /api/v1/organisations/{org_id}/verify": ("registry.org.verify", "org_jp"),
    "DELETE /api/v1/organisations/{org_id}/verify": ("registry.org.verify", "org_jp"),
    "POST /api/v1/agreements/{slug}/instruments": ("agreement.instrument.draft", None),
    "POST /api/v1/instruments/{instrument_id}/signatures": ("agreement.instrument.sign", None),
    "POST /api/v1/instruments/{instrument_id}/demo-signature": ("agreement.instrument.sign", None),
    "POST /api/v1/keys": ("keys.manage_own", None), "POST /api/v1/keys/{kid}/revoke": ("keys.manage_own", None),
    "POST /api/v1/log/witnesses": ("agreement.log.witness", None),
    "POST /api/v1/log/checkpoints/{size}/cosignatures": ("agreement.log.witness", None),
    "POST /api/v1/exchange/items": ("exchange.share", None),
    "POST /api/v1/exchange/items/{item_id}/access": ("exchange.access", None),
    "POST /api/v1/exchange/items/{item_id}/withdraw": ("exchange.share", None),
    "POST /api/v1/exchange/items/{item_id}/consents": ("exchange.access", None),
    "POST /api/v1/exchange/consents/{consent_id}/{verb}": ("exchange.consent.decide", "consent"),
    "POST /api/v1/exchange/purposes": ("exchange.vocabulary.edit", None),
    "POST /api/v1/matchmaking/events": ("matchmaking.event.organise", "own"),
    "POST /api/v1/matchmaking/events/{event_id}/sessions": ("matchmaking.event.organise", "event"),
    "POST /api/v1/matchmaking/events/{event_id}/phase": ("matchmaking.event.organise", "event"),
    "PUT /api/v1/matchmaking/events/{event_id}/schedule": ("matchmaking.event.organise", "event"),
    "POST /api/v1/matchmaking/events/{event_id}/schedule/solve": ("matchmaking.event.organise", "event"),
    "POST /api/v1/matchmaking/events/{event_id}/registrations": ("matchmaking.participate", None),
    "POST /api/v1/matchmaking/events/{event_id}/requests": ("matchmaking.participate", None),
    "POST /api/v1/matchmaking/requests/{request_id}/accept": ("matchmaking.participate", None),
    "POST /api/v1/matchmaking/requests/{request_id}/decline": ("matchmaking.participate", None),
    "POST /api/v1/matchmaking/opportunities": ("matchmaking.opportunity.create", None),
    "PUT /api/v1/organisations/{org_id}/recommendations/{partner_id}/feedback": ("matchmaking.participate", None),
    "DELETE /api/v1/organisations/{org_id}/recommendations/{partner_id}/feedback": ("matchmaking.participate", None),
    "PUT /api/v1/people/{user_id}/recommendations/{partner_id}/feedback": ("matchmaking.participate", None),
    "DELETE /api/v1/people/{user_id}/recommendations/{partner_id}/feedback": ("matchmaking.participate", None),
    "POST /api/v1/governance/activities": ("governance.edit", None),
    "PUT /api/v1/governance/activities/{activity_id}": ("governance.edit", None),
    "POST /api/v1/governance/actions/{action_id}/status": ("governance.edit", None),
    "POST /taxii2/{api_root}/collections/{collection_id}/objects/": ("cyber.taxii.use", None),
    "DELETE /taxii2/{api_root}/collections/{collection_id}/objects/{object_id}/": ("cyber.taxii.use", None),
    # The catch-all answers 404 to every method of an unknown TAXII path.
    **{f"{method} /taxii2/{{path:path}}": (SIGNED_IN, None) for method in ("DELETE", "PATCH", "POST", "PUT")},
}

# --- minimal bodies: declared form / JSON fields by name, else by type ------------------------------------
FIELDS: dict[str, Any] = {
    "org_id": "org_jp", "side": "JP", "email": "someone-new@w6.example", "role": "org_member", "title": "W6 title",
    "name": "W6 name", "name_en": "W6 Organisation", "country": "JP", "kind": "company", "status": "done",
    "currency": "JPY", "amount": "1000", "purpose": "semiconductor", "action": "view", "password": "w6-password-123",
}


def _by_type(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _by_type(options[0]) if options else None
    if origin in (list, tuple, set, frozenset):
        return []
    if origin is dict:
        return {}
    if isinstance(annotation, type):
        if issubclass(annotation, bool):
            return False
        if issubclass(annotation, int):
            return 1
        if issubclass(annotation, float):
            return 1.0
        if issubclass(annotation, dt.datetime):
            return "2031-03-10T09:00:00+09:00"
        if issubclass(annotation, dt.date):
            return "2031-03-10"
        if issubclass(annotation, BaseModel):
            return _model(annotation, {})
    return "x"


def _model(model: type[BaseModel], values: dict[str, Any]) -> dict[str, Any]:
    return {(info.alias or name): values.get(name, _by_type(info.annotation))
            for name, info in model.model_fields.items() if info.is_required()}


def _body_params(dependant: Any) -> list[Any]:
    """The form/JSON fields a route declares, its dependencies' included."""
    found = list(dependant.body_params)
    for sub in dependant.dependencies:
        found.extend(_body_params(sub))
    return found


def _body(endpoint: Endpoint, values: dict[str, Any]) -> dict[str, Any]:
    """Request keyword arguments carrying a minimal body for the route's declared fields."""
    if endpoint.kind == "taxii":
        return {"content": b'{"objects": []}', "headers": {"Content-Type": TAXII}}
    if not isinstance(endpoint.route, APIRoute):
        return {}
    params = _body_params(endpoint.route.dependant)
    fields = {k: values.get(v, v) for k, v in FIELDS.items()}
    if endpoint.kind == "api":
        body: dict[str, Any] = {}
        for param in params:
            annotation = param.field_info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel) and len(params) == 1:
                return {"json": _model(annotation, fields)}
            body[param.alias] = fields.get(param.name, _by_type(annotation))
        return {"json": body} if params else {}
    data: dict[str, Any] = {}
    files: dict[str, Any] = {}
    for param in params:
        annotation = param.field_info.annotation
        if annotation is UploadFile or "UploadFile" in str(annotation):
            files[param.alias] = ("w6.csv", b"a,b\n1,2\n", "text/csv")
        elif param.field_info.is_required() or param.name in fields:
            value = fields.get(param.name, _by_type(annotation))
            data[param.alias] = "" if value is None else value
    return {"data": data, **({"files": files} if files else {})}


# --- the world's values -------------------------------------------------------------------------------
def _values(world: World) -> dict[str, Any]:
    if "_values" in world.ids:
        return world.ids["_values"]  # type: ignore[no-any-return]
    q = lambda sql: world.connection.execute(text(sql)).scalar()  # noqa: E731
    ids = world.ids
    event = q("SELECT min(id) FROM matchmaking_event")
    from kakehashi.matchmaking import agendas

    with world.app.state.sessionmaker() as session:
        handle = agendas.feed_path(session, ids["calendar_user"], key=world.app.state.settings.secret_key)
    values: dict[str, Any] = {
        **ids,
        "org_jp": world.orgs["jp"], "org_in": world.orgs["in"],
        "user_jp": world.personas["org_member:JP"].actor.user_id, "user_in": world.personas["org_member:IN"].actor.user_id,
        "kid": q("SELECT kid FROM agreement_signer_key ORDER BY id LIMIT 1"),
        "instrument": q("SELECT min(id) FROM agreement_instrument"), "slug": q("SELECT min(slug) FROM agreement_agreement"),
        "consent": q("SELECT min(id) FROM exchange_consent"), "grant": "grant", "event": event,
        "mm_session": q(f"SELECT min(id) FROM matchmaking_session WHERE event_id = {event}"),
        "mm_break": q("SELECT min(id) FROM matchmaking_break"), "mm_request": q("SELECT min(id) FROM matchmaking_request"),
        "accept": "accept", "mm_meeting": q("SELECT min(id) FROM matchmaking_meeting"),
        "chart_requests": "requests", "chart_progress": "progress",
        "calendar_handle": handle.rsplit("/", 1)[1].removesuffix(".ics"),
        "mission": q("SELECT min(id) FROM matchmaking_mission"), "deck": 987654321, "interest": 987654321,
        "opportunity": q("SELECT min(id) FROM matchmaking_opportunity WHERE status = 'submitted'")
        or q("SELECT min(id) FROM matchmaking_opportunity"),
        "approve": "approve", "body": q("SELECT min(id) FROM cyber_conformity_body"),
        "accreditation": q("SELECT min(id) FROM cyber_accreditation"), "area": "semiconductors",
        "year": dt.date.today().year, "csv": "csv", "commitment": q("SELECT min(id) FROM agreement_commitment"),
        "milestone": q("SELECT min(id) FROM governance_milestone"),
        "action_item": q("SELECT min(id) FROM governance_action_item"),
        "arrangement": q("SELECT min(id) FROM governance_cost_arrangement"),
        "course": q("SELECT min(id) FROM governance_training_course"), "zero": 0,
        "log_size": q("SELECT count(*) FROM agreement_log_entry"), "api_root": "cti", "unknown_path": "no-such-thing/",
        "gov_meeting": q("SELECT min(id) FROM governance_meeting"),
        "notification": q("SELECT min(id) FROM kernel_notification") or 987654321,
        "api_token": q("SELECT min(id) FROM identity_api_token") or 987654321,
        "certificate": q("SELECT min(code) FROM governance_training_certificate"),
    }
    # Owners (side, organisation) of targets, for authz.can.
    opportunity = world.connection.execute(text(
        f"SELECT side, org_id FROM matchmaking_opportunity WHERE id = {values['opportunity']}")).one()
    consent_side = q(f"SELECT i.discloser_side FROM exchange_consent c JOIN exchange_item i ON i.id = c.item_id "
                     f"WHERE c.id = {values['consent']}")
    body_side = q(f"SELECT country FROM cyber_conformity_body WHERE id = {values['body']}")
    accreditation_side = q(f"SELECT b.country FROM cyber_accreditation a JOIN cyber_conformity_body b ON b.id = a.body_id "
                           f"WHERE a.id = {values['accreditation']}")
    event_org = q(f"SELECT organiser_org_id FROM matchmaking_event WHERE id = {event}")
    values["_owners"] = {
        "org_jp": ("JP", world.orgs["jp"]), "consent": (consent_side, None), "event": (None, event_org),
        "opportunity": (opportunity.side, opportunity.org_id), "body": (body_side, None),
        "accreditation": (accreditation_side, None), "side_jp": ("JP", None),
    }
    missing = [k for k, v in values.items() if v is None]
    assert not missing, f"the world lacks values for {missing}"
    ids["_values"] = values
    return values


def _fill(endpoint: Endpoint, values: dict[str, Any], replace: dict[str, str] | None = None) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[0]
        key = PARAMETERS.get(f"{endpoint.path}|{name}", PARAMETERS.get(name))
        assert key is not None, f"{endpoint}: no value for path parameter {name!r}: add it to PARAMETERS"
        if replace and key in replace:
            return replace[key]
        return str(values[key])

    return re.sub(r"{([^}]+)}", one, endpoint.path)


def _keys(endpoint: Endpoint) -> list[str]:
    return [PARAMETERS.get(f"{endpoint.path}|{name}", PARAMETERS.get(name, "")) for name in endpoint.params]


def _send(world: World, persona: Persona, endpoint: Endpoint, url: str, values: dict[str, Any]) -> tuple[Any, int]:
    kwargs: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if endpoint.kind == "taxii":
        headers["Accept"] = TAXII
        if persona.token:
            headers["Authorization"] = f"Bearer {persona.token}"
    if endpoint.unsafe:
        kwargs = _body(endpoint, values)
        headers.update(kwargs.pop("headers", {}))
        if endpoint.kind == "api":
            headers["X-CSRF-Token"] = persona.client.csrf()
        elif endpoint.kind == "html":
            kwargs.setdefault("data", {})["csrf_token"] = persona.client.csrf()
    return world.send_counting(persona, endpoint.method, url, headers=headers, **kwargs)


def _success(response: Any, audited: int) -> bool:
    """A 2xx, or a redirect after a write (pages redirect after success and, on some forms, after a failure
    too, with the message as a flash: only the audit trail tells them apart)."""
    if 200 <= response.status_code < 300:
        return True
    location = response.headers.get("location", "")
    return 300 <= response.status_code < 400 and not location.startswith("/login") and audited > 0


def _turned_away(world: World, persona: Persona, endpoint: Endpoint, response: Any) -> bool:
    """Anonymous: 401 (API, TAXII); a page answers 401 or sends to the sign-in page (perhaps via a redirect
    to another page of the platform, e.g. /exchange -> /exchange/shared-with-me -> /login)."""
    if endpoint.kind != "html":
        return bool(response.status_code == 401)
    for _hop in range(3):
        location = response.headers.get("location", "")
        if response.status_code == 401 or (response.status_code in (302, 303) and location.startswith("/login")):
            return True
        if endpoint.method != "GET" or response.status_code not in (302, 303, 307) or not location.startswith("/"):
            return False
        response = world.send(persona, "GET", location)
    return False


def _allowed(persona: Persona, endpoint: Endpoint, values: dict[str, Any]) -> bool:
    permission, target = UNSAFE[str(endpoint)]
    if permission is None:
        return True
    side, org_id = None, None
    if target == "own":
        side, org_id = persona.side or None, persona.actor.org_id
    elif target is not None:
        side, org_id = values["_owners"][target]
    if permission.startswith("member+"):
        permission = permission.removeprefix("member+")
        if org_id is not None and persona.actor.org_id == org_id:
            return True
    return can(persona.actor, permission, side=side, org_id=org_id)


def _text(response: Any) -> str:
    kind = response.headers.get("content-type", "")
    if any(t in kind for t in ("pdf", "spreadsheet", "octet-stream", "image/png", "zip")):
        return ""
    return response.text  # type: ignore[no-any-return]


def _check_cell(world: World, persona: Persona, endpoint: Endpoint, values: dict[str, Any]) -> list[str]:
    url = _fill(endpoint, values)
    response, audited = _send(world, persona, endpoint, url, values)
    status, problems = response.status_code, []
    where = f"{persona.key}: {endpoint.method} {url} -> {status}"
    if status >= 500:
        problems.append(f"(a) server error {where}")
    if not persona.actor.is_authenticated and str(endpoint) not in PUBLIC \
            and not _turned_away(world, persona, endpoint, response):
        problems.append(f"(b) anonymous not turned away {where}")
    if persona.actor.is_authenticated and endpoint.unsafe and not _allowed(persona, endpoint, values) \
            and _success(response, audited):
        problems.append(f"(c) {UNSAFE[str(endpoint)][0]} not held yet success {where}")
    body = _text(response) if 200 <= status < 300 else ""
    for marker in world.markers:
        if marker.text in body:
            world.ids.setdefault("_seen", set()).add(marker.text)
            if not marker.visible(persona):
                problems.append(f"(c) shown {marker.what} {where}")
    for key in _keys(endpoint):
        if key in PRIVATE and not PRIVATE[key][0](persona, world):
            if _success(response, audited):
                problems.append(f"(c) success on {key} it may not see {where}")
            ghost, _ = _send(world, persona, endpoint, _fill(endpoint, values, {key: PRIVATE[key][1]()}), values)
            if ghost.status_code != status:
                problems.append(f"(d) {key}: forbidden {status} but non-existent {ghost.status_code} {where}")
    return problems


def test_every_route_is_covered() -> None:
    """Every path parameter can be filled and every unsafe method has a permission entry; the tables name no
    route that is gone (so they cannot rot)."""
    endpoints = routes()
    assert len(endpoints) > 200
    names = {f"{e.path}|{n}" for e in endpoints for n in e.params} | {n for e in endpoints for n in e.params}
    unfilled = sorted({f"{e}: {n}" for e in endpoints for n in e.params
                       if PARAMETERS.get(f"{e.path}|{n}", PARAMETERS.get(n)) is None})
    assert not unfilled, f"add these path parameters to PARAMETERS: {unfilled}"
    assert not sorted(set(PARAMETERS) - names), "PARAMETERS names parameters no route has"
    unmapped = sorted(str(e) for e in endpoints if e.unsafe and str(e) not in UNSAFE)
    assert not unmapped, f"add these unsafe routes to UNSAFE with the permission they need: {unmapped}"
    existing = {str(e) for e in endpoints}
    assert not sorted(set(UNSAFE) - existing), f"UNSAFE names routes that are gone: {sorted(set(UNSAFE) - existing)}"
    assert not sorted(PUBLIC - existing), f"PUBLIC names routes that are gone: {sorted(PUBLIC - existing)}"
    assert not sorted(set(EXPENSIVE) - existing), "EXPENSIVE names routes that are gone"
    unknown = {p for p, _ in UNSAFE.values() if p is not None} - KNOWN_PERMISSIONS - {
        f"member+{p}" for p in KNOWN_PERMISSIONS}
    assert not unknown, f"unknown permissions in UNSAFE: {unknown}"


@pytest.mark.parametrize("endpoint", routes(), ids=str)
def test_matrix(world: World, endpoint: Endpoint) -> None:
    """Every persona on this route: no 5xx, anonymous turned away, no success without the permission, no
    private object shown, and no difference between a hidden object and a missing one."""
    values = _values(world)
    personas = [world.personas[k] for k in EXPENSIVE.get(str(endpoint), world.personas)]
    problems = [p for persona in personas for p in _check_cell(world, persona, endpoint, values)]
    assert not problems, "\n".join(problems)


def test_markers_are_shown_to_those_who_may_see_them(world: World) -> None:
    """The privacy oracle can fail: each private object's marker is shown somewhere to someone allowed."""
    values = _values(world)
    pages = {"/exchange/shared-by-us": "org_member:JP", f"/exchange/items/{values['item']}": "org_member:JP",
             f"/governance/activities/{values['activity']}": "platform_admin",
             f"/cyber/collections/{values['collection']}/objects/{values['red_object']}": "cert_analyst:JP",
             f"/cyber/collections/{values['collection']}/objects/{values['amber_object']}": "cert_analyst:JP"}
    seen = set()
    for url, key in pages.items():
        response = world.send(world.personas[key], "GET", url)
        seen |= {m.text for m in world.markers if m.text in response.text}
    assert seen == {m.text for m in world.markers}
