"""Every TAXII 2.1 endpoint, driven by the OASIS taxii2-client against a live server."""

from __future__ import annotations

import datetime as dt

import pytest
import requests
from taxii2client.exceptions import AccessError
from taxii2client.v21 import Server, as_pages

from kakehashi.cyber.tlp import Tlp
from tests.cyber.conftest import ROOT, World
from tests.factories.cyber import envelope, indicator, sdo

TAXII = "application/taxii+json;version=2.1"


def _get(world: World, who: str, path: str, **params: object) -> requests.Response:
    return requests.get(world.url + ROOT + path, params=params, headers={
        "Accept": TAXII, "Authorization": f"Bearer {world.tokens[who]}"}, timeout=30)


def test_discovery_and_api_root_describe_one_root(world: World) -> None:
    server = Server(world.url + "/taxii2/", auth=world.auth("jp"))
    assert server.title == "Kakehashi TAXII 2.1"
    assert [root.url for root in server.api_roots] == [world.url + ROOT]
    assert server.default is not None and server.default.url == world.url + ROOT
    root = server.default
    assert root.versions == [TAXII]
    assert root.max_content_length == 10 * 1024 * 1024


def test_collections_show_each_cert_its_own_rights(world: World) -> None:
    rights = {who: [(c.title, c.can_read, c.can_write) for c in world.root(who).collections]
              for who in ("jp", "in", "sector", "stranger")}
    assert rights == {"jp": [("JP-IN shared", True, True)], "in": [("JP-IN shared", True, True)],
                      "sector": [("JP-IN shared", True, False)], "stranger": []}
    one = world.collection("sector")
    assert (one.id, one.alias, one.description, one.media_types) == (
        world.collection_id, "jp-in", "Bilateral exchange", ["application/stix+json;version=2.1"])


def test_posting_an_envelope_answers_a_complete_status_readable_again(world: World) -> None:
    objects = [indicator(), sdo("malware"), sdo("campaign")]
    status = world.collection("jp").add_objects(envelope(*objects))
    assert (status.status, status.total_count, status.success_count, status.failure_count) == ("complete", 3, 3, 0)
    assert {s["id"] for s in status.successes} == {o["id"] for o in objects}
    again = world.root("jp2").get_status(status.id)  # a colleague in the same CERT
    assert again.success_count == 3
    with pytest.raises(requests.HTTPError) as refused:
        world.root("in").get_status(status.id)
    assert refused.value.response.status_code == 404


def test_reposting_the_same_version_succeeds_but_a_different_body_under_it_fails(world: World) -> None:
    obj = indicator()
    collection = world.collection("jp")
    collection.add_objects(envelope(obj))
    same = collection.add_objects(envelope(obj))
    clash = collection.add_objects(envelope({**obj, "name": "changed without a new version"}))
    assert (same.success_count, same.successes[0]["message"]) == (1, "already present")
    assert (clash.success_count, clash.failure_count) == (0, 1)
    assert len(collection.get_objects()["objects"]) == 1


def test_pages_follow_next_through_every_object_once_in_date_added_order(world: World) -> None:
    collection = world.collection("jp")
    posted = []
    for _ in range(3):
        batch = [indicator() for _ in range(9)]
        collection.add_objects(envelope(*batch))
        posted += [o["id"] for o in batch]
    pages = list(as_pages(collection.get_objects, per_request=4))
    assert [len(p["objects"]) for p in pages] == [4, 4, 4, 4, 4, 4, 3]
    assert all(p["more"] and p["next"] for p in pages[:-1]) and pages[-1]["more"] is False
    assert "next" not in pages[-1]
    served = [o["id"] for p in pages for o in p["objects"]]
    assert sorted(served) == sorted(posted) and len(set(served)) == 27
    first_batch = set(posted[:9])
    assert set(served[:9]) == first_batch  # earlier envelopes come first


def test_pages_carry_the_date_added_headers_of_their_first_and_last_objects(world: World) -> None:
    collection = world.collection("jp")
    collection.add_objects(envelope(indicator(), indicator()))
    collection.add_objects(envelope(indicator()))
    response = _get(world, "jp", f"collections/{world.collection_id}/objects/")
    manifest = collection.get_manifest()["objects"]
    assert response.headers["Content-Type"] == TAXII
    assert response.headers["X-TAXII-Date-Added-First"] == manifest[0]["date_added"]
    assert response.headers["X-TAXII-Date-Added-Last"] == manifest[-1]["date_added"]
    assert manifest[0]["date_added"] < manifest[-1]["date_added"]


def test_match_filters_select_by_id_type_and_spec_version(world: World) -> None:
    collection = world.collection("jp")
    ind, mal, camp = indicator(), sdo("malware"), sdo("campaign")
    collection.add_objects(envelope(ind, mal, camp))
    ids = lambda result: sorted(o["id"] for o in result.get("objects", []))  # noqa: E731
    assert ids(collection.get_objects(type=["malware", "campaign"])) == sorted([mal["id"], camp["id"]])
    assert ids(collection.get_objects(id=[ind["id"], camp["id"]])) == sorted([ind["id"], camp["id"]])
    assert ids(collection.get_objects(type="indicator", id=mal["id"])) == []
    assert ids(collection.get_objects(spec_version="2.1")) == sorted([ind["id"], mal["id"], camp["id"]])
    assert ids(collection.get_objects(spec_version="2.0")) == []


def test_match_version_selects_first_last_all_or_given_versions(world: World) -> None:
    collection = world.collection("jp")
    v1 = indicator(modified="2025-03-01T00:00:00.000Z", created="2025-03-01T00:00:00.000Z",
                   valid_from="2025-03-01T00:00:00Z")
    v2 = {**v1, "modified": "2025-03-02T00:00:00.000Z", "name": "second"}
    v3 = {**v1, "modified": "2025-03-03T00:00:00.123456Z", "name": "third"}
    collection.add_objects(envelope(v3, v1))
    collection.add_objects(envelope(v2))
    versions = lambda **f: sorted(o["modified"] for o in collection.get_object(v1["id"], **f)["objects"])  # noqa: E731
    assert versions() == [v3["modified"]]
    assert versions(version="first") == [v1["modified"]]
    assert versions(version="all") == [v1["modified"], v2["modified"], v3["modified"]]
    assert versions(version=["first", "last"]) == [v1["modified"], v3["modified"]]
    assert versions(version="2025-03-02T00:00:00Z") == [v2["modified"]]
    assert versions(version="2025-03-03T00:00:00.123456Z") == [v3["modified"]]
    listed = collection.object_versions(v1["id"])
    assert sorted(listed["versions"]) == [v1["modified"], v2["modified"], v3["modified"]]
    assert listed["more"] is False


def test_added_after_accepts_timestamps_with_and_without_fractions(world: World) -> None:
    collection = world.collection("jp")
    early = indicator()
    collection.add_objects(envelope(early))
    cut = collection.get_manifest()["objects"][0]["date_added"]
    late = indicator()
    collection.add_objects(envelope(late))
    after = lambda stamp: [o["id"] for o in collection.get_objects(added_after=stamp).get("objects", [])]  # noqa: E731
    assert after(cut) == [late["id"]]
    whole_second = cut.split(".")[0] + "Z"
    assert after(whole_second) == [early["id"], late["id"]]
    assert after(dt.datetime(2000, 1, 1, tzinfo=dt.UTC)) == [early["id"], late["id"]]
    assert after("2999-01-01T00:00:00Z") == []


def test_object_endpoint_serves_one_object_and_404s_an_unknown_one(world: World) -> None:
    collection = world.collection("jp")
    obj = indicator()
    collection.add_objects(envelope(obj))
    assert collection.get_object(obj["id"])["objects"] == [obj]
    with pytest.raises(requests.HTTPError) as missing:
        collection.get_object("indicator--00000000-0000-4000-8000-000000000000")
    assert missing.value.response.status_code == 404
    assert missing.value.response.json()["http_status"] == "404"


def test_manifest_lists_id_date_version_and_media_type_with_paging(world: World) -> None:
    collection = world.collection("jp")
    objects = [indicator() for _ in range(5)]
    collection.add_objects(envelope(*objects))
    pages = list(as_pages(collection.get_manifest, per_request=2))
    entries = [e for p in pages for e in p["objects"]]
    assert [len(p["objects"]) for p in pages] == [2, 2, 1]
    assert {e["id"] for e in entries} == {o["id"] for o in objects}
    assert {e["media_type"] for e in entries} == {"application/stix+json;version=2.1"}
    assert {(e["id"], e["version"]) for e in entries} == {(o["id"], o["modified"]) for o in objects}


def test_delete_removes_chosen_versions_and_the_next_version_becomes_last(world: World) -> None:
    collection = world.collection("jp")
    v1 = indicator(modified="2025-05-01T00:00:00.000Z", created="2025-05-01T00:00:00.000Z",
                   valid_from="2025-05-01T00:00:00Z")
    v2 = {**v1, "modified": "2025-05-02T00:00:00.000Z"}
    collection.add_objects(envelope(v1, v2))
    collection.delete_object(v1["id"], version=v2["modified"])
    assert [o["modified"] for o in collection.get_object(v1["id"])["objects"]] == [v1["modified"]]
    collection.delete_object(v1["id"])
    with pytest.raises(requests.HTTPError) as gone:
        collection.get_object(v1["id"])
    assert gone.value.response.status_code == 404


def test_only_the_producing_cert_or_the_owner_may_delete(world: World) -> None:
    by_owner, by_certin = indicator(Tlp.GREEN), indicator(Tlp.GREEN)
    world.collection("jp").add_objects(envelope(by_owner))
    world.collection("in").add_objects(envelope(by_certin))
    for who, stix_id in (("in", by_owner["id"]), ("sector", by_certin["id"])):
        with pytest.raises(requests.HTTPError) as refused:
            _delete(world, who, stix_id)
        assert refused.value.response.status_code == 403
    _delete(world, "in", by_certin["id"])
    _delete(world, "jp", by_owner["id"])
    assert world.collection("in").get_objects() == {"more": False}


def _delete(world: World, who: str, stix_id: str) -> None:
    response = requests.delete(f"{world.url}{ROOT}collections/{world.collection_id}/objects/{stix_id}/",
                               headers={"Accept": TAXII, "Authorization": f"Bearer {world.tokens[who]}"}, timeout=30)
    response.raise_for_status()


def test_basic_auth_takes_the_e_mail_and_an_api_token(world: World) -> None:
    root = world.root("in", user="in@cert.example", password=world.tokens["in"])
    assert [c.title for c in root.collections] == ["JP-IN shared"]
    wrong = world.root("in", user="jp@cert.example", password=world.tokens["in"])
    with pytest.raises(requests.HTTPError) as refused:
        wrong.refresh()
    assert refused.value.response.status_code == 401
    assert refused.value.response.headers["WWW-Authenticate"].startswith("Basic")


def test_a_read_only_cert_cannot_post(world: World) -> None:
    collection = world.collection("sector")
    assert collection.can_write is False
    with pytest.raises(AccessError):
        collection.add_objects(envelope(indicator()))
