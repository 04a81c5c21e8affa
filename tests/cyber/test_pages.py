"""Analyst pages (English and Japanese): collections, search, object detail, bundle upload, sightings."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.cyber import ledger, objects, services
from kakehashi.cyber.models import StixObject
from kakehashi.cyber.tlp import Tlp
from kakehashi.identity.models import User
from kakehashi.kernel.audit import AuditEvent
from kakehashi.kernel.authz import SYSTEM, Role, Side
from kakehashi.kernel.notifications import Notification
from tests.factories.cyber import indicator, sdo
from tests.factories.identity import make_user
from tests.factories.registry import make_org


@pytest.fixture
def certs(db: Session) -> dict[str, Any]:
    """JPCERT/CC owning a collection shared with CERT-In (up to AMBER) and a sector CERT (GREEN)."""
    jp, cin, sector = (make_org(db, country=c, name_en=n) for c, n in
                       (("JP", "JPCERT/CC"), ("IN", "CERT-In"), ("IN", "Sector CERT")))
    people = {
        "jp": make_user(db, role=Role.CERT_ANALYST, side=Side.JP, org_id=jp.id, email="a@jpcert.example"),
        "in": make_user(db, role=Role.CERT_ANALYST, side=Side.IN, org_id=cin.id, email="a@certin.example"),
        "sector": make_user(db, role=Role.CERT_ANALYST, side=Side.IN, org_id=sector.id, email="a@sector.example"),
    }
    shared = services.create_collection(db, title="Shared IOCs", owner_org_id=jp.id, actor=SYSTEM)
    services.grant_access(db, shared.uid, org_id=cin.id, can_write=True, max_tlp=Tlp.AMBER, actor=SYSTEM)
    services.grant_access(db, shared.uid, org_id=sector.id, max_tlp=Tlp.GREEN, actor=SYSTEM)
    return {"uid": shared.uid, **people}


def _post(db: Session, uid: str, user: User, *items: dict[str, Any]) -> None:
    objects.add_objects(db, uid, list(items), actor=user.actor())
    db.flush()


def test_the_home_page_lists_the_collections_with_the_readers_rights(certs: dict[str, Any], login: Any) -> None:
    page = login(certs["sector"]).get("/cyber")
    assert page.status_code == 200
    assert "Shared IOCs" in page.text and "TLP:GREEN" in page.text


def test_search_shows_only_what_the_reader_may_see(db: Session, certs: dict[str, Any], login: Any) -> None:
    green, amber = indicator(Tlp.GREEN, name="Green beacon"), indicator(Tlp.AMBER, name="Amber beacon")
    _post(db, certs["uid"], certs["jp"], green, amber, sdo("malware", Tlp.GREEN, name="Green dropper"))
    sector = login(certs["sector"]).get("/cyber/search", params={"q": "beacon"})
    assert "Green beacon" in sector.text and "Amber beacon" not in sector.text
    by_type = login(certs["sector"]).get("/cyber/search", params={"type": "malware"})
    assert "Green dropper" in by_type.text and "Green beacon" not in by_type.text
    marked = login(certs["in"]).get("/cyber/search", params={"tlp": "amber"})
    assert "Amber beacon" in marked.text and "Green beacon" not in marked.text


def test_showing_amber_content_on_a_page_is_audited(db: Session, certs: dict[str, Any], login: Any) -> None:
    amber = indicator(Tlp.AMBER, name="Amber beacon")
    _post(db, certs["uid"], certs["jp"], amber)
    login(certs["in"]).get(f"/cyber/collections/{certs['uid']}/objects/{amber['id']}")
    assert ledger.pending(db) == 2  # the write and the read, queued with the acts
    assert ledger.drain(db) == 2
    reads = db.scalars(select(AuditEvent).where(AuditEvent.action == "cyber.taxii.read")).all()
    assert [r.details["endpoint"] for r in reads] == ["page:object"]
    assert reads[0].actor_user_id == certs["in"].id


def test_an_object_page_shows_versions_and_relationships(db: Session, certs: dict[str, Any], login: Any) -> None:
    ind = indicator(Tlp.GREEN, name="C2 server", modified="2025-06-01T00:00:00.000Z",
                    created="2025-05-01T00:00:00.000Z", valid_from="2025-05-01T00:00:00Z")
    first = {**ind, "modified": "2025-05-01T00:00:00.000Z"}
    mal = sdo("malware", Tlp.GREEN, name="Plugx")
    rel = {**sdo("relationship", Tlp.GREEN), "relationship_type": "indicates", "source_ref": ind["id"],
           "target_ref": mal["id"]}
    hidden = {**sdo("relationship", Tlp.AMBER), "relationship_type": "indicates", "source_ref": ind["id"],
              "target_ref": f"campaign--{'1' * 8}-1111-4111-8111-{'1' * 12}"}
    _post(db, certs["uid"], certs["jp"], first, ind, mal, rel, hidden)
    page = login(certs["sector"]).get(f"/cyber/collections/{certs['uid']}/objects/{ind['id']}")
    assert page.status_code == 200
    assert "2025-06-01T00:00:00.000Z" in page.text and "2025-05-01T00:00:00.000Z" in page.text
    assert "relationship:indicates" in page.text and "Plugx" in page.text
    assert "campaign--" not in page.text  # the AMBER relationship is not shown to a GREEN reader


def test_a_hidden_object_page_is_not_found(db: Session, certs: dict[str, Any], login: Any) -> None:
    amber = indicator(Tlp.AMBER)
    _post(db, certs["uid"], certs["jp"], amber)
    assert login(certs["sector"]).get(f"/cyber/collections/{certs['uid']}/objects/{amber['id']}").status_code == 404


def test_a_sighting_goes_back_to_the_producer(db: Session, certs: dict[str, Any], login: Any) -> None:
    ind = indicator(Tlp.GREEN)
    _post(db, certs["uid"], certs["jp"], ind)
    client = login(certs["sector"])
    response = client.post_form(f"/cyber/collections/{certs['uid']}/objects/{ind['id']}/sightings", {"count": "3"})
    assert response.status_code == 303
    sighting = db.scalars(select(StixObject).where(StixObject.type == "sighting")).one()
    body = json.loads(sighting.raw)
    assert (body["sighting_of_ref"], body["count"], sighting.tlp) == (ind["id"], 3, Tlp.GREEN)
    notes = db.scalars(select(Notification).where(Notification.user_id == certs["jp"].id)).all()
    assert [n.kind for n in notes] == ["cyber.sighting"]


def test_a_bundle_is_shared_by_upload_and_a_bad_one_is_refused(db: Session, certs: dict[str, Any], login: Any) -> None:
    client = login(certs["in"])
    bundle = {"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": [indicator(Tlp.GREEN)]}
    files = {"bundle": ("iocs.json", json.dumps(bundle).encode(), "application/json")}
    response = client.post(f"/cyber/collections/{certs['uid']}/bundles", files=files,
                           data={"csrf_token": client.csrf()})
    assert response.status_code == 303 and "flash=bundle_shared" in response.headers["location"]
    bad = {**bundle, "objects": [{**indicator(), "pattern": "[broken"}]}
    refused = client.post(f"/cyber/collections/{certs['uid']}/bundles", data={"csrf_token": client.csrf()},
                          files={"bundle": ("bad.json", json.dumps(bad).encode(), "application/json")})
    assert refused.status_code == 422
    assert len(db.scalars(select(StixObject)).all()) == 1


def test_a_read_only_cert_cannot_upload(certs: dict[str, Any], login: Any) -> None:
    client = login(certs["sector"])
    files = {"bundle": ("iocs.json", json.dumps({"objects": [indicator()]}).encode(), "application/json")}
    response = client.post(f"/cyber/collections/{certs['uid']}/bundles", files=files, data={"csrf_token": client.csrf()})
    assert response.status_code == 403


def test_an_analyst_opens_a_collection_and_grants_another_cert(db: Session, certs: dict[str, Any], login: Any) -> None:
    client = login(certs["in"])
    opened = client.post_form("/cyber/collections", {"title": "CERT-In feed", "default_tlp": "amber"})
    assert opened.status_code == 303
    uid = opened.headers["location"].split("/")[3].split("?")[0]
    granted = client.post_form(f"/cyber/collections/{uid}/grants", {"org_id": str(certs["sector"].org_id),
                                                                   "max_tlp": "green"})
    assert granted.status_code == 303
    assert "CERT-In feed" in login(certs["sector"]).get("/cyber").text
    assert login(certs["sector"]).post_form(f"/cyber/collections/{uid}/grants",
                                            {"org_id": "1", "max_tlp": "green"}).status_code == 403


def test_pages_read_in_japanese(certs: dict[str, Any], login: Any) -> None:
    page = login(certs["jp"]).get("/cyber?lang=ja")
    assert "CERT間" in page.text or "コレクション" in page.text


def test_strangers_and_other_roles_are_kept_out(db: Session, certs: dict[str, Any], login: Any) -> None:
    member = make_user(db, role=Role.ORG_MEMBER)
    assert login(member).get("/cyber").status_code == 403
    assert login(member).get(f"/cyber/collections/{certs['uid']}").status_code == 403
