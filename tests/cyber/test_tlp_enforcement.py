"""TLP 2.0 enforced when serving, for each marking and each kind of requester, on every read endpoint."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import requests
from sqlalchemy import select
from taxii2client.v21 import as_pages

from kakehashi import agreement
from kakehashi.agreement import LogEntry
from kakehashi.cyber import ledger
from kakehashi.cyber.models import LogOutbox
from kakehashi.cyber.tlp import TLP1_IDS, Tlp
from kakehashi.kernel.audit import AuditEvent
from tests.cyber.conftest import ROOT, World
from tests.factories.cyber import envelope, indicator

LEVELS = {"clear": Tlp.CLEAR, "green": Tlp.GREEN, "amber": Tlp.AMBER, "strict": Tlp.AMBER_STRICT, "red": Tlp.RED}

# Who receives what: the owner CERT (JPCERT/CC, poster "jp" and colleague "jp2"), CERT-In (granted up to
# AMBER+STRICT; "in_red" named for RED), a sector CERT (GREEN community), an outsider (CLEAR only).
EXPECTED = {
    "jp": {"jp:clear", "jp:green", "jp:amber", "jp:strict", "jp:red", "jp:unmarked", "in:strict"},
    "jp2": {"jp:clear", "jp:green", "jp:amber", "jp:strict", "jp:unmarked", "in:strict"},
    "in": {"jp:clear", "jp:green", "jp:amber", "jp:strict", "jp:unmarked", "in:strict", "in:red"},
    "in_red": {"jp:clear", "jp:green", "jp:amber", "jp:strict", "jp:red", "jp:unmarked", "in:strict", "in:red"},
    "sector": {"jp:clear", "jp:green", "jp:unmarked"},
    "outsider": {"jp:clear"},
}


def _post_everything(world: World) -> dict[str, str]:
    """One object per marking from JPCERT/CC, and AMBER+STRICT and RED from CERT-In; label -> STIX id."""
    made = {f"jp:{label}": indicator(level) for label, level in LEVELS.items()}
    made["jp:unmarked"] = indicator(None)  # the collection's default: GREEN
    world.collection("jp").add_objects(envelope(*made.values()))
    theirs = {"in:strict": indicator(Tlp.AMBER_STRICT), "in:red": indicator(Tlp.RED)}
    world.collection("in").add_objects(envelope(*theirs.values()))
    return {label: obj["id"] for label, obj in {**made, **theirs}.items()}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_requester_receives_exactly_the_levels_it_may(world: World, who: str) -> None:
    ids = _post_everything(world)
    label_of = {v: k for k, v in ids.items()}
    collection = world.collection(who)
    served = {label_of[o["id"]] for page in as_pages(collection.get_objects, per_request=3)
              for o in page.get("objects", [])}
    manifest = {label_of[e["id"]] for e in collection.get_manifest().get("objects", [])}
    assert served == EXPECTED[who]
    assert manifest == EXPECTED[who]
    for label, stix_id in ids.items():
        response = requests.get(f"{world.url}{ROOT}collections/{world.collection_id}/objects/{stix_id}/",
                                headers={"Authorization": f"Bearer {world.tokens[who]}"}, timeout=30)
        assert response.status_code == (200 if label in EXPECTED[who] else 404), label


def test_unknown_requesters_learn_nothing_about_the_collection(world: World) -> None:
    _post_everything(world)
    for who, status in (("stranger", 404), ("member", 403)):
        response = requests.get(f"{world.url}{ROOT}collections/{world.collection_id}/objects/",
                                headers={"Authorization": f"Bearer {world.tokens[who]}"}, timeout=30)
        assert response.status_code == status, who
        assert response.headers["Content-Type"] == "application/taxii+json;version=2.1"
        assert set(response.json()) >= {"title", "http_status", "description"}


def test_tlp_1_markings_are_read_as_their_tlp_2_levels(world: World) -> None:
    by_level = {level: ident for ident, level in TLP1_IDS.items()}
    white, amber = indicator(None), indicator(None)
    white["object_marking_refs"], amber["object_marking_refs"] = [by_level[Tlp.CLEAR]], [by_level[Tlp.AMBER]]
    world.collection("jp").add_objects(envelope(white, amber))
    assert [o["id"] for o in world.collection("outsider").get_objects()["objects"]] == [white["id"]]
    assert {o["id"] for o in world.collection("in").get_objects()["objects"]} == {white["id"], amber["id"]}


def test_a_granular_red_marking_makes_the_whole_object_red(world: World) -> None:
    obj = indicator(Tlp.GREEN, granular_markings=[{"marking_ref": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
                                                   "selectors": ["pattern"]}])
    world.collection("jp").add_objects(envelope(obj))
    assert world.collection("sector").get_objects() == {"more": False}
    assert [o["id"] for o in world.collection("in_red").get_objects()["objects"]] == [obj["id"]]


def _log_payloads(world: World, kind: str, expected: int) -> list[dict[str, Any]]:
    """The payloads of log entries of `kind`, once the server's drainer has appended `expected` of them."""
    deadline = time.monotonic() + 15
    while True:
        with world.session() as session:
            entries = session.scalars(select(LogEntry).where(LogEntry.kind == kind).order_by(LogEntry.index)).all()
            if len(entries) >= expected or time.monotonic() > deadline:
                return [json.loads(entry.data)["payload"] for entry in entries]
        time.sleep(0.1)


def test_amber_and_red_reads_are_logged_but_green_reads_are_not(world: World) -> None:
    ids = _post_everything(world)
    world.collection("sector").get_objects()
    with world.session() as session:  # GREEN content: nothing to record
        assert session.scalars(select(LogOutbox).where(LogOutbox.kind == "cyber.taxii.read")).all() == []
    world.collection("in_red").get_objects()
    payloads = _log_payloads(world, "cyber.taxii.read", 1)
    assert len(payloads) == 1
    logged = {stix_id for stix_id, _version, _level in payloads[0]["objects"]}
    assert logged == {ids[k] for k in ("jp:amber", "jp:strict", "jp:red", "in:strict", "in:red")}
    assert "user" not in payloads[0] and payloads[0]["endpoint"] == "objects"  # the reader is in the audit trail
    with world.session() as session:
        assert ledger.pending(session) == 0
        audits = session.scalars(select(AuditEvent).where(AuditEvent.action == "cyber.taxii.read")).all()
        assert [a.actor_user_id for a in audits] == [world.users["in_red"].id]
        assert audits[0].details["log_index"] >= 0
        who = {"user": audits[0].actor_user_id, "org": audits[0].details["org"], "side": audits[0].side}
        assert agreement.commitment(audits[0].details["salt"], who) == payloads[0]["commitment"]


def test_every_write_is_on_the_transparency_log_with_a_digest(world: World) -> None:
    world.collection("jp").add_objects(envelope(indicator(), indicator()))
    world.collection("in").add_objects(envelope(indicator()))
    payloads = _log_payloads(world, "cyber.taxii.write", 2)
    assert [p["stored"] for p in payloads] == [2, 1]
    assert all(len(p["digest"]) == 64 and "org" not in p and "user" not in p for p in payloads)
    with world.session() as session:  # who wrote is in the audit trail, and opens the log's commitment
        audits = session.scalars(select(AuditEvent).where(AuditEvent.action == "cyber.taxii.write")
                                 .order_by(AuditEvent.id)).all()
        assert [a.details["org"] for a in audits] == [world.orgs["jpcert"], world.orgs["certin"]]
        for audit, payload in zip(audits, payloads, strict=True):
            who = {"user": audit.actor_user_id, "org": audit.details["org"], "side": audit.side}
            assert agreement.commitment(audit.details["salt"], who) == payload["commitment"]
