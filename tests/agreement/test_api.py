"""The agreement and log API: status codes, permissions, problem+json, proofs served with checkpoints."""

from __future__ import annotations

import base64
import datetime as dt

from sqlalchemy.orm import Session

from kakehashi.agreement import jws, merkle, transparency
from kakehashi.agreement.checkpoint import verify_checkpoint
from kakehashi.agreement.merkle_verify import verify_consistency, verify_inclusion
from kakehashi.agreement.originals import verify_original
from tests.agreement.conftest import Ledger
from tests.fixtures.actors import Cast
from tests.fixtures.web import WebClient


def test_the_log_endpoints_serve_proofs_with_the_checkpoint_of_the_same_size(
    db: Session,
    signed: Ledger,
    client: WebClient,
    login,
    cast: Cast,
) -> None:
    login(cast.in_org_member)
    latest = client.get("/api/v1/log/checkpoint").json()
    size = latest["tree_size"]
    key = transparency.log_verifier_key(db)
    for index in range(size):
        body = client.get(f"/api/v1/log/proofs/inclusion?index={index}&size={size}").json()
        checkpoint = verify_checkpoint(body["checkpoint"], key)
        assert checkpoint.size == size == body["tree_size"]
        entry = client.get(f"/api/v1/log/entries/{index}").json()
        leaf = base64.b64decode(entry["leaf_hash"])
        assert leaf == merkle.leaf_hash(entry["data"].encode())
        verify_inclusion(leaf, index, size, [base64.b64decode(h) for h in body["hashes"]], checkpoint.root_hash)
    body = client.get(f"/api/v1/log/proofs/consistency?first=1&second={size}").json()
    old, new = verify_checkpoint(body["first_checkpoint"], key), verify_checkpoint(body["checkpoint"], key)
    verify_consistency(1, size, [base64.b64decode(h) for h in body["hashes"]], old.root_hash, new.root_hash)


def test_bad_proof_requests_are_problem_documents_not_errors(signed: Ledger, client: WebClient, login, cast: Cast) -> None:
    login(cast.in_org_member)
    for url in (
        "/api/v1/log/proofs/inclusion?index=99",
        "/api/v1/log/proofs/inclusion?index=0&size=999",
        "/api/v1/log/proofs/consistency?first=9&second=2",
        "/api/v1/log/entries/999",
        "/api/v1/log/proofs/inclusion?index=x",
    ):
        response = client.get(url)
        assert response.status_code in (404, 422), url
        assert response.headers["content-type"] == "application/problem+json"


def test_the_log_needs_a_signed_in_user(signed: Ledger, client: WebClient) -> None:
    assert client.get("/api/v1/log/checkpoint").status_code == 401


def test_an_officer_drafts_and_both_sign_through_the_api(signed: Ledger, client: WebClient, login, bearer) -> None:
    meti = bearer(signed.meti.user)
    meity = bearer(signed.meity.user)
    created = client.post(
        "/api/v1/agreements/ijdp-2.0/instruments",
        headers=meti,
        json={"type": "minutes_approval", "payload": {"meeting": "JWG-3", "minutes_sha256": "b" * 64}},
    )
    assert created.status_code == 201, created.text
    view = created.json()
    assert view["missing"] == ["MEITY", "METI"]
    payload = base64.urlsafe_b64decode(view["payload_b64"] + "==")
    for headers, signer in ((meti, signed.meti), (meity, signed.meity)):
        response = client.post(
            f"/api/v1/instruments/{view['id']}/signatures", headers=headers, json=jws.sign(payload, signer.key)
        )
        assert response.status_code == 201, response.text
    final = response.json()
    assert final["status"] == "concluded" and final["log_index"] is not None
    assert all(s["valid"] for s in final["signatures"])
    original = client.get(f"/api/v1/instruments/{view['id']}/original", headers=meti)
    assert original.status_code == 200
    assert verify_original(original.json()).ok


def test_a_bad_signature_is_a_422_naming_the_reason(signed: Ledger, client: WebClient, bearer) -> None:
    meti = bearer(signed.meti.user)
    view = client.post(
        "/api/v1/agreements/ijdp-2.0/instruments",
        headers=meti,
        json={"type": "minutes_approval", "payload": {"meeting": "JWG-3", "minutes_sha256": "b" * 64}},
    ).json()
    response = client.post(
        f"/api/v1/instruments/{view['id']}/signatures", headers=meti, json=jws.sign(b'{"other":1}', signed.meti.key)
    )
    assert response.status_code == 422
    assert "does not match this payload" in response.json()["detail"]


def test_an_org_member_cannot_draft_instruments(signed: Ledger, client: WebClient, bearer, cast: Cast) -> None:
    response = client.post(
        "/api/v1/agreements/ijdp-2.0/instruments",
        headers=bearer(cast.in_org_member),
        json={"type": "renewal", "payload": {"term_years": 5}},
    )
    assert response.status_code == 403


def test_unknown_fields_in_a_draft_are_rejected(signed: Ledger, client: WebClient, bearer) -> None:
    response = client.post(
        "/api/v1/agreements/ijdp-2.0/instruments",
        headers=bearer(signed.meti.user),
        json={"type": "minutes_approval", "payload": {"meeting": "x", "minutes_sha256": "b" * 64, "extra": 1}},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "extra"


def test_the_agreement_view_shows_state_deadlines_and_commitments(signed: Ledger, client: WebClient, bearer) -> None:
    body = client.get("/api/v1/agreements/ijdp-2.0", headers=bearer(signed.meity.user)).json()
    assert body["in_force_on"] == "2025-08-25" and body["last_day_in_force"] == "2030-08-24"
    assert len(body["commitments"]) == 39
    assert {c["area"] for c in body["commitments"]} == {
        "semiconductors",
        "ai",
        "corporate",
        "dpi",
        "talent",
        "rnd",
        "startups",
        "security",
    }
    assert any(d["kind"] == "expiry" and d["on"] == "2030-08-24" for d in body["deadlines"])


def test_keys_register_and_revoke_through_the_api(signed: Ledger, client: WebClient, bearer) -> None:
    headers = bearer(signed.meti.user)
    key = jws.generate_key()
    created = client.post("/api/v1/keys", headers=headers, json={"jwk": jws.public_jwk(key), "label": "laptop"})
    assert created.status_code == 201 and created.json()["kid"] == jws.key_id(key)
    assert client.post("/api/v1/keys", headers=headers, json={"jwk": {"kty": "RSA"}}).status_code == 422
    revoked = client.post(f"/api/v1/keys/{jws.key_id(key)}/revoke", headers=headers, json={"reason": "lost"})
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert len(client.get("/api/v1/keys", headers=headers).json()) == 2


def test_a_witness_cosigns_through_the_api(db: Session, signed: Ledger, client: WebClient, bearer) -> None:
    from kakehashi.agreement.checkpoint import COSIGNATURE_V1, NoteSigner

    headers = bearer(signed.meity.user)
    witness = NoteSigner("meity.gov.in/witness-1", jws.generate_key(), COSIGNATURE_V1)
    assert client.post("/api/v1/log/witnesses", headers=headers, json={"vkey": witness.key.vkey()}).status_code == 201
    latest = client.get("/api/v1/log/checkpoint", headers=headers).json()
    text = latest["checkpoint"].split("\n\n")[0] + "\n"
    line = witness.signature_line(text, int(dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp()))
    response = client.post(f"/api/v1/log/checkpoints/{latest['tree_size']}/cosignatures", headers=headers, json={"line": line})
    assert response.status_code == 201, response.text
    assert "meity.gov.in/witness-1" in response.json()["signed_by"]
    forged = witness.signature_line(text.replace("\n", "\n", 1), 5)[:-10] + "AAAAAAAA=\n"
    again = client.post(f"/api/v1/log/checkpoints/{latest['tree_size']}/cosignatures", headers=headers, json={"line": forged})
    assert again.status_code == 422
