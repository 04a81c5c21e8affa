"""The exchange API: JSON and problem+json, with bearer tokens."""

from __future__ import annotations

import json
from datetime import timedelta

import orjson

from kakehashi.exchange.odrl import export_odrl
from kakehashi.exchange.policy import AccessMode, Conditions, Recipients, Tlp
from kakehashi.kernel.clock import utcnow

from .conftest import REPORT


def _terms(**changes):
    now = utcnow()
    terms = {"purposes": ["semiconductor"], "recipients": {"ministries": ["MEITY"]},
             "valid_from": (now - timedelta(days=1)).isoformat(), "valid_until": (now + timedelta(days=30)).isoformat(),
             "tlp": "AMBER", "access": "download", **changes}
    return json.dumps(terms)


def _share(client, headers, **data):
    return client.post("/api/v1/exchange/items", headers=headers, files={"file": ("wafers.csv", REPORT, "text/csv")},
                       data={"title": "Wafers", **data})


def test_an_officer_shares_with_json_terms(client, cast, bearer):
    response = _share(client, bearer(cast.meti_officer), terms=_terms())
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["discloser"], body["tlp"], body["recipients"]) == ("METI", "AMBER", [{"kind": "ministry", "value": "MEITY"}])


def test_bad_terms_are_a_problem_naming_the_fields(client, cast, bearer):
    response = _share(client, bearer(cast.meti_officer), terms=_terms(tlp="RED", purposes=["espionage"]))
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    assert {e["field"] for e in response.json()["errors"]} >= {"purposes", "tlp"}


def test_a_share_can_take_its_conditions_as_odrl(client, cast, bearer):
    now = utcnow()
    conditions = Conditions("METI", frozenset({"ai"}), Recipients(ministries=frozenset({"MEITY"})), now,
                            now + timedelta(days=10), Tlp.GREEN, access=AccessMode.DOWNLOAD)
    policy = export_odrl(conditions, item_id="draft")
    ok = _share(client, bearer(cast.meti_officer), policy=orjson.dumps(policy).decode())
    assert ok.status_code == 201 and ok.json()["purposes"] == ["ai"]
    policy["permission"][0]["constraint"].append({"leftOperand": "spatial", "operator": "eq", "rightOperand": "JP"})
    refused = _share(client, bearer(cast.meti_officer), policy=orjson.dumps(policy).decode())
    assert refused.status_code == 422 and "spatial" in refused.json()["errors"][0]["message"]


def test_access_returns_content_or_a_logged_denial(client, cast, bearer):
    item = _share(client, bearer(cast.meti_officer), terms=_terms()).json()
    meity = bearer(cast.meity_officer)
    permitted = client.post(f"/api/v1/exchange/items/{item['id']}/access", headers=meity,
                            json={"action": "download", "purpose": "semiconductor"})
    assert permitted.status_code == 200 and permitted.headers["x-kakehashi-rule"] == "permitted-purpose"
    assert REPORT in permitted.content
    denied = client.post(f"/api/v1/exchange/items/{item['id']}/access", headers=meity,
                         json={"action": "view", "purpose": "talent"})
    assert denied.status_code == 403 and denied.headers["content-type"] == "application/problem+json"
    assert (denied.json()["rule"], denied.json()["permit"]) == ("purpose-needs-consent", False)
    assert denied.json()["log_index"] is not None
    outsider = client.post(f"/api/v1/exchange/items/{item['id']}/access", headers=bearer(cast.outsider),
                           json={"action": "view", "purpose": "semiconductor"})
    assert outsider.status_code == 404
    history = client.get(f"/api/v1/exchange/items/{item['id']}/accesses", headers=bearer(cast.meti_officer)).json()
    assert [(h["permit"], h["rule"]) for h in history] == [
        (False, "recipient-not-permitted"), (False, "purpose-needs-consent"), (True, "permitted-purpose")]
    assert client.get(f"/api/v1/exchange/items/{item['id']}/accesses", headers=meity).status_code == 403


def test_an_unknown_action_is_a_validation_problem(client, cast, bearer):
    item = _share(client, bearer(cast.meti_officer), terms=_terms()).json()
    response = client.post(f"/api/v1/exchange/items/{item['id']}/access", headers=bearer(cast.meity_officer),
                           json={"action": "print", "purpose": "semiconductor"})
    assert response.status_code == 422


def test_consent_through_the_api(client, cast, bearer, moc):
    item = _share(client, bearer(cast.meti_officer), terms=_terms()).json()
    meity, meti = bearer(cast.meity_officer), bearer(cast.meti_officer)
    asked = client.post(f"/api/v1/exchange/items/{item['id']}/consents", headers=meity,
                        json={"purpose": "talent", "justification": "Internships"})
    assert asked.status_code == 201
    pending = client.get("/api/v1/exchange/consents?role=decide", headers=meti).json()
    assert [c["id"] for c in pending] == [asked.json()["id"]]
    granted = client.post(f"/api/v1/exchange/consents/{asked.json()['id']}/grant", headers=meti, json={})
    assert granted.json()["status"] == "granted" and granted.json()["instrument_id"]
    again = client.post(f"/api/v1/exchange/items/{item['id']}/access", headers=meity,
                        json={"action": "view", "purpose": "talent"})
    assert again.status_code == 200 and again.headers["x-kakehashi-rule"].startswith("consent:")
    revoked = client.post(f"/api/v1/exchange/consents/{asked.json()['id']}/revoke", headers=meti, json={"note": "done"})
    assert revoked.json()["status"] == "revoked"
    assert client.post(f"/api/v1/exchange/items/{item['id']}/access", headers=meity,
                       json={"action": "view", "purpose": "talent"}).status_code == 403


def test_officers_extend_the_vocabulary(client, cast, bearer):
    body = {"code": "quantum", "label_en": "Quantum computing cooperation", "label_ja": "量子コンピューティング協力",
            "clause": "P2(vi)"}
    assert client.post("/api/v1/exchange/purposes", headers=bearer(cast.in_org_member), json=body).status_code == 403
    assert client.post("/api/v1/exchange/purposes", headers=bearer(cast.meti_officer), json=body).status_code == 201
    codes = [p["code"] for p in client.get("/api/v1/exchange/purposes", headers=bearer(cast.in_org_member)).json()]
    assert "quantum" in codes and "semiconductor" in codes
