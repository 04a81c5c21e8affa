"""TAXII content integrity on a live server (SQLite and PostgreSQL): only the CERT that created an object
versions it, and STIX text with NUL or other control characters is refused by name, never answered 500."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kakehashi.cyber import authorship, services
from kakehashi.cyber.models import Status, StixObject
from kakehashi.cyber.tlp import Tlp
from kakehashi.kernel.authz import SYSTEM, Role, Side
from tests.cyber import conftest as cyber_fixtures
from tests.cyber.conftest import ROOT, World
from tests.factories.cyber import envelope, indicator, sdo
from tests.factories.identity import make_user
from tests.factories.registry import make_org

TAXII = "application/taxii+json;version=2.1"
# The cyber tests' live TAXII server over a fresh database of each backend, with CERTs and a shared collection.
template_database, world = cyber_fixtures.template_database, cyber_fixtures.world


def _call(world: World, method: str, path: str, who: str, *, body: bytes | None = None,
          **params: Any) -> requests.Response:
    headers = {"Accept": TAXII, "Authorization": f"Bearer {world.tokens[who]}"}
    if body is not None:
        headers["Content-Type"] = TAXII
    return requests.request(method, world.url + ROOT + path, data=body, params=params, headers=headers, timeout=60)


def _post(world: World, who: str, *objects: dict[str, Any]) -> requests.Response:
    return _call(world, "POST", f"collections/{world.collection_id}/objects/", who,
                 body=json.dumps(envelope(*objects)).encode())


def _versions(world: World, stix_id: str) -> list[tuple[str, str | None, int | None]]:
    """(version, name, producer organisation) of every stored version of an object."""
    with world.session() as session:
        rows = session.execute(select(StixObject.version, StixObject.name, StixObject.producer_org_id)
                               .where(StixObject.stix_id == stix_id).order_by(StixObject.version_us))
        return [tuple(row) for row in rows]  # type: ignore[misc]


def _next(obj: dict[str, Any], modified: str, **changes: Any) -> dict[str, Any]:
    return {**obj, "modified": modified, **changes}


# --- one creator per object ---------------------------------------------------------------------------------

def test_a_co_writer_cannot_replace_another_certs_object_and_the_rest_of_its_envelope_is_stored(
        world: World) -> None:
    original = indicator(Tlp.GREEN, created="2025-05-01T00:00:00.000Z", modified="2025-05-01T00:00:00.000Z",
                         valid_from="2025-05-01T00:00:00Z", name="JPCERT original")
    assert _post(world, "jp", original).json()["success_count"] == 1
    forged = _next(original, "2025-06-01T00:00:00.000Z", name="Replaced by CERT-In", description="benign")
    own = indicator(Tlp.GREEN, name="CERT-In's own")
    response = _post(world, "in", forged, own)
    assert response.status_code == 202
    status = response.json()
    assert (status["total_count"], status["success_count"], status["failure_count"]) == (2, 1, 1)
    assert status["failures"] == [{"id": original["id"], "version": forged["modified"],
                                   "message": authorship.NOT_CREATOR}]
    assert [s["id"] for s in status["successes"]] == [own["id"]]
    assert _versions(world, original["id"]) == [(original["modified"], "JPCERT original", world.orgs["jpcert"])]
    latest = _call(world, "GET", f"collections/{world.collection_id}/objects/{original['id']}/", "sector").json()
    assert [o["name"] for o in latest["objects"]] == ["JPCERT original"]
    again = _call(world, "GET", f"status/{status['id']}/", "in").json()
    assert again["failures"] == status["failures"]


def test_the_creating_certs_colleague_adds_a_version_and_others_may_repost_it_unchanged(world: World) -> None:
    v1 = indicator(Tlp.GREEN, created="2025-03-01T00:00:00.000Z", modified="2025-05-01T00:00:00.000Z",
                   valid_from="2025-03-01T00:00:00Z")
    v2 = _next(v1, "2025-05-02T00:00:00.000Z", name="second")
    _post(world, "jp", v1)
    assert _post(world, "jp2", v2).json()["success_count"] == 1  # same CERT, another analyst
    echoed = _post(world, "in", v1).json()  # relaying a version as it is stored changes nothing
    assert (echoed["success_count"], echoed["successes"][0]["message"]) == (1, "already present")
    older = _next(v1, "2025-04-01T00:00:00.000Z", name="backdated")  # an earlier version is a version too
    assert _post(world, "in", older).json()["failures"][0]["message"] == authorship.NOT_CREATOR
    assert [v for v, _, _ in _versions(world, v1["id"])] == [v1["modified"], v2["modified"]]


def test_created_by_ref_must_stay_the_creators_and_may_not_name_another_cert(world: World) -> None:
    jpcert, certin = (authorship.org_identity_id(world.orgs[o]) for o in ("jpcert", "certin"))
    v1 = sdo("malware", Tlp.GREEN, created_by_ref=jpcert)
    assert _post(world, "jp", v1).json()["success_count"] == 1
    renamed = _next(v1, "2026-01-01T00:00:00.000Z", created_by_ref=f"identity--{uuid.uuid4()}")
    assert _post(world, "jp", renamed).json()["failures"][0]["message"] == authorship.CREATOR_CHANGED
    posing = sdo("campaign", Tlp.GREEN, created_by_ref=jpcert)
    honest = sdo("campaign", Tlp.GREEN, created_by_ref=certin)
    status = _post(world, "in", posing, honest).json()
    assert status["failures"] == [{"id": posing["id"], "version": posing["modified"],
                                   "message": authorship.OTHER_CREATOR}]
    assert [s["id"] for s in status["successes"]] == [honest["id"]]
    assert _versions(world, posing["id"]) == []


def test_the_taxii2_client_sees_the_refusal_in_its_status(world: World) -> None:
    original = indicator(Tlp.GREEN)
    world.collection("jp").add_objects(envelope(original))
    status = world.collection("in").add_objects(envelope(_next(original, "2026-02-01T00:00:00.000Z")))
    assert (status.status, status.success_count, status.failure_count) == ("complete", 0, 1)
    assert status.failures[0]["message"] == authorship.NOT_CREATOR


# --- control characters ---------------------------------------------------------------------------------------

CONTROLLED = {
    "NUL in the description": lambda o: {**o, "description": "before\u0000after"},
    "NUL in the name": lambda o: {**o, "name": "\u0000"},
    "NUL deep inside": lambda o: {**o, "external_references": [{"source_name": "x", "description": "a\u0000b"}]},
    "NUL in a property name": lambda o: {**o, "x_note\u0000": "custom"},
    "NUL in a label": lambda o: {**o, "labels": ["ok", "bad\u0000"]},
    "escape character": lambda o: {**o, "description": "colour \u001b[31m red"},
    "C1 control": lambda o: {**o, "description": "next line\u0085here"},
    "DEL": lambda o: {**o, "name": "rub\u007fout"},
}


@pytest.mark.parametrize("spoil", CONTROLLED.values(), ids=CONTROLLED.keys())
def test_stix_text_with_control_characters_is_refused_naming_the_object(world: World, spoil: Any) -> None:
    good, bad = indicator(Tlp.GREEN), spoil(indicator(Tlp.GREEN))
    response = _post(world, "jp", good, bad)
    assert response.status_code == 422 and response.headers["Content-Type"] == TAXII
    body = response.json()
    assert body["http_status"] == "422"
    problems = body["details"]["invalid_objects"]
    assert [(p["index"], p["id"]) for p in problems] == [(1, bad["id"])]
    assert "control character" in problems[0]["errors"][0]
    with world.session() as session:
        assert session.scalar(select(func.count()).select_from(StixObject)) == 0
        assert session.scalar(select(func.count()).select_from(Status)) == 0


def test_tabs_and_line_breaks_stay_welcome(world: World) -> None:
    obj = indicator(Tlp.GREEN, description="line one\nline two\r\n\tindented")
    assert _post(world, "jp", obj).json()["success_count"] == 1


@pytest.mark.parametrize("path", [
    "collections/{c}/objects/indicator--0000\u0000/",
    "collections/{c}/objects/?match[id]=indicator--\u0000",
    "collections/{c}/objects/?added_after=\u0000",
    "collections/\u0000/objects/",
    "collections/{c}/manifest/?match[type]=indicator\u0000",
    "status/\u0000/",
])
def test_nul_in_an_address_is_a_taxii_400_not_a_500(world: World, path: str) -> None:
    url, _, query = path.format(c=world.collection_id).partition("?")
    params = dict(item.split("=", 1) for item in query.split("&")) if query else {}
    response = _call(world, "GET", url, "jp", **params)
    assert response.status_code == 400 and response.json()["http_status"] == "400"


# --- the analysts' bundle upload page (the db fixture's backends) ---------------------------------------------

@pytest.fixture
def certs(db: Session) -> dict[str, Any]:
    jp, cin = make_org(db, country="JP", name_en="JPCERT/CC"), make_org(db, country="IN", name_en="CERT-In")
    people = {"jp": make_user(db, role=Role.CERT_ANALYST, side=Side.JP, org_id=jp.id, email="a@jpcert.example"),
              "in": make_user(db, role=Role.CERT_ANALYST, side=Side.IN, org_id=cin.id, email="a@certin.example")}
    shared = services.create_collection(db, title="Shared IOCs", owner_org_id=jp.id, actor=SYSTEM)
    services.grant_access(db, shared.uid, org_id=cin.id, can_write=True, max_tlp=Tlp.AMBER, actor=SYSTEM)
    return {"uid": shared.uid, **people}


def _upload(client: Any, uid: str, *objects: dict[str, Any]) -> Any:
    bundle = {"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": list(objects)}
    return client.post(f"/cyber/collections/{uid}/bundles", data={"csrf_token": client.csrf()},
                       files={"bundle": ("iocs.json", json.dumps(bundle).encode(), "application/json")})


def test_an_uploaded_bundle_with_nul_is_refused_and_nothing_is_stored(db: Session, certs: dict[str, Any],
                                                                      login: Any) -> None:
    response = _upload(login(certs["jp"]), certs["uid"], indicator(), indicator(description="x\u0000y"))
    assert response.status_code == 422
    assert db.scalar(select(func.count()).select_from(StixObject)) == 0


def test_an_uploaded_bundle_cannot_version_another_certs_object(db: Session, certs: dict[str, Any],
                                                                login: Any) -> None:
    original = indicator(name="JPCERT original")
    assert _upload(login(certs["jp"]), certs["uid"], original).status_code == 303
    forged = _next(original, "2026-03-01T00:00:00.000Z", name="forged")
    assert _upload(login(certs["in"]), certs["uid"], forged).status_code == 303
    assert list(db.scalars(select(StixObject.name).where(StixObject.stix_id == original["id"]))) == ["JPCERT original"]
