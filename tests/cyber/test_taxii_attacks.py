"""Bad input and attack: TAXII error objects with the right status, nothing stored, nothing leaked."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from kakehashi.cyber.models import StixObject
from kakehashi.cyber.tlp import TLP2_IDS, Tlp, marking_definition
from tests.cyber.conftest import ROOT, World
from tests.factories.cyber import envelope, indicator

TAXII = "application/taxii+json;version=2.1"


def _call(world: World, method: str, path: str, who: str = "jp", *, body: bytes | None = None,
          headers: dict[str, str] | None = None, **params: Any) -> requests.Response:
    sent = {"Accept": TAXII, "Authorization": f"Bearer {world.tokens[who]}", **(headers or {})}
    if body is not None:
        sent.setdefault("Content-Type", TAXII)
    return requests.request(method, world.url + ROOT + path, data=body, params=params, headers=sent, timeout=60)


def _objects_path(world: World) -> str:
    return f"collections/{world.collection_id}/objects/"


def _post(world: World, payload: Any, who: str = "jp", **kwargs: Any) -> requests.Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return _call(world, "POST", _objects_path(world), who, body=body, **kwargs)


def _stored(world: World) -> int:
    with world.session() as session:
        return session.scalar(select(func.count()).select_from(StixObject)) or 0


def _is_taxii_error(response: requests.Response, status: int) -> bool:
    body = response.json()
    return (response.status_code == status and response.headers["Content-Type"] == TAXII
            and body["http_status"] == str(status) and bool(body["title"]) and bool(body["description"]))


@pytest.mark.parametrize(("payload", "status"), [
    (b'{"objects": [', 400),
    (b"[]", 400),
    (b'{"objects": {"not": "a list"}}', 400),
    ({"objects": [{"type": "indicator", "id": "indicator--1"}]}, 422),
    ({"objects": [indicator(), {**indicator(), "valid_until": "2000-01-01T00:00:00Z"}]}, 422),
    ({"objects": [indicator(), {**indicator(), "pattern": "[ipv4-addr:value = '1.2.3.4'"}]}, 422),
    ({"objects": [{**indicator(), "spec_version": "2.0"}]}, 422),
    ({"objects": ["not an object"]}, 422),
])
def test_malformed_or_invalid_envelopes_are_refused_and_nothing_is_stored(world: World, payload: Any,
                                                                           status: int) -> None:
    response = _post(world, payload)
    assert _is_taxii_error(response, status)
    assert _stored(world) == 0


def test_the_error_names_the_invalid_object(world: World) -> None:
    bad = {**indicator(), "valid_until": "2000-01-01T00:00:00Z"}
    details = _post(world, envelope(indicator(), bad)).json()["details"]
    assert [(p["index"], p["id"]) for p in details["invalid_objects"]] == [(1, bad["id"])]


def test_objects_with_unknown_markings_are_refused(world: World) -> None:
    unknown = indicator(None, object_marking_refs=["marking-definition--11111111-2222-4333-8444-555555555555"])
    response = _post(world, envelope(indicator(), unknown))
    assert _is_taxii_error(response, 422)
    assert response.json()["details"]["unknown_markings"] == unknown["object_marking_refs"]
    assert _stored(world) == 0


def test_a_statement_marking_defined_in_the_envelope_or_earlier_is_known(world: World) -> None:
    statement = {"type": "marking-definition", "spec_version": "2.1",
                 "id": "marking-definition--11111111-2222-4333-8444-555555555555",
                 "created": "2025-01-01T00:00:00.000Z", "definition_type": "statement",
                 "definition": {"statement": "Copyright 2025 JPCERT/CC"}}
    first = indicator(object_marking_refs=[statement["id"], TLP2_IDS[Tlp.GREEN]])
    assert _post(world, envelope(statement, first)).status_code == 202
    later = indicator(object_marking_refs=[statement["id"]])
    assert _post(world, envelope(later)).status_code == 202


def test_a_forged_tlp_definition_is_refused(world: World) -> None:
    forged = marking_definition(Tlp.RED)
    forged["extensions"]["extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"]["tlp_2_0"] = "clear"
    assert _is_taxii_error(_post(world, envelope(forged, indicator(Tlp.RED))), 422)
    assert _post(world, envelope(marking_definition(Tlp.RED), indicator(Tlp.RED))).status_code == 202


def test_oversized_envelopes_are_refused_before_reading_them(world: World) -> None:
    big = b'{"objects": [' + b" " * (10 * 1024 * 1024) + b"]}"
    assert _is_taxii_error(_post(world, big), 413)
    chunked = iter([b'{"objects": [', b" " * (6 * 1024 * 1024), b" " * (6 * 1024 * 1024), b"]}"])
    response = requests.post(world.url + ROOT + _objects_path(world), data=chunked, timeout=60, headers={
        "Accept": TAXII, "Content-Type": TAXII, "Authorization": f"Bearer {world.tokens['jp']}"})
    assert _is_taxii_error(response, 413)
    assert _stored(world) == 0


def test_read_only_and_unauthorised_writers_are_refused(world: World) -> None:
    assert _is_taxii_error(_post(world, envelope(indicator()), "sector"), 403)
    assert _is_taxii_error(_post(world, envelope(indicator()), "member"), 403)
    assert _is_taxii_error(_post(world, envelope(indicator()), "stranger"), 404)
    assert _stored(world) == 0


def test_missing_or_wrong_credentials_get_401_with_a_challenge(world: World) -> None:
    for headers in ({"Authorization": ""}, {"Authorization": "Bearer kk_not-a-token"},
                    {"Authorization": "Basic " + base64.b64encode(b"jp@cert.example:guess").decode()},
                    {"Authorization": "Basic !!!"}):
        response = _call(world, "GET", "collections/", headers=headers)
        assert _is_taxii_error(response, 401), headers
        assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_media_types_are_negotiated(world: World) -> None:
    assert _is_taxii_error(_call(world, "GET", "collections/", headers={"Accept": "text/html"}), 406)
    assert _is_taxii_error(_call(world, "GET", "collections/", headers={"Accept": "application/taxii+json;version=2.0"}),
                           406)
    assert _call(world, "GET", "collections/", headers={"Accept": "application/taxii+json"}).status_code == 200
    assert _is_taxii_error(_post(world, envelope(indicator()), headers={"Content-Type": "application/json"}), 415)


def test_unknown_roots_and_paths_are_taxii_404s(world: World) -> None:
    response = requests.get(world.url + "/taxii2/other/collections/", timeout=30,
                            headers={"Accept": TAXII, "Authorization": f"Bearer {world.tokens['jp']}"})
    assert _is_taxii_error(response, 404)
    assert _is_taxii_error(_call(world, "GET", "collections/nope/objects/"), 404)


def _page(world: World, who: str, **params: Any) -> dict[str, Any]:
    response = _call(world, "GET", _objects_path(world), who, **params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_tampered_or_replayed_cursors_are_refused(world: World) -> None:
    world.collection("jp").add_objects(envelope(*[indicator() for _ in range(6)]))
    token = _page(world, "jp", limit=2)["next"]
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    for params in ({"next": flipped}, {"next": token + "x"}, {"next": "not-a-cursor"},
                   {"next": token, "match[type]": "malware"}):
        response = _call(world, "GET", _objects_path(world), "jp", limit=2, **params)
        assert _is_taxii_error(response, 400), params
    other_reader = _call(world, "GET", _objects_path(world), "jp2", limit=2, next=token)
    assert _is_taxii_error(other_reader, 400)
    assert len(_page(world, "jp", limit=2, next=token)["objects"]) == 2


def test_filters_cannot_enumerate_objects_a_reader_may_not_see(world: World) -> None:
    red, amber = indicator(Tlp.RED), indicator(Tlp.AMBER)
    world.collection("jp").add_objects(envelope(red, amber))
    nonexistent = "indicator--00000000-0000-4000-8000-000000000000"
    for stix_id in (red["id"], amber["id"], nonexistent):
        assert _page(world, "sector", **{"match[id]": stix_id}) == {"more": False}
        assert _page(world, "sector", **{"match[id]": stix_id, "match[version]": "all"}) == {"more": False}
        for suffix in ("", "versions/"):
            response = _call(world, "GET", f"{_objects_path(world)}{stix_id}/{suffix}", "sector")
            assert _is_taxii_error(response, 404)
            assert response.json()["description"] == "No such object."
    manifest = _call(world, "GET", f"collections/{world.collection_id}/manifest/", "sector", **{"match[type]": "indicator"})
    assert manifest.json() == {"more": False} and "X-TAXII-Date-Added-First" not in manifest.headers


def test_unsupported_or_malformed_filters_are_bad_requests(world: World) -> None:
    for params in ({"added_after": "yesterday"}, {"limit": "-1"}, {"limit": "ten"}, {"match[version]": "newest"},
                   {"match[id]": "not-an-id"}, {"match[colour]": "red"}):
        assert _is_taxii_error(_call(world, "GET", _objects_path(world), **params), 400), params
    versions = f"{_objects_path(world)}indicator--00000000-0000-4000-8000-000000000000/versions/"
    assert _is_taxii_error(_call(world, "GET", versions, **{"match[version]": "all"}), 400)
