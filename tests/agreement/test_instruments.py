"""Instruments: canonical payloads, General JSON JWS with Ed25519, who must sign what."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws as jwcrypto_jws

from kakehashi.agreement import jws
from kakehashi.agreement.canonical import (
    NotCanonicalError,
    canonicalize,
    parse_canonical,
)
from kakehashi.agreement.instrument_types import (
    REGISTRY,
    InstrumentType,
    InvalidPayload,
    Payload,
    parse_payload,
    register,
)
from kakehashi.agreement.instruments import SignerKey, verify_instrument

PARTICIPANTS = ("METI", "MeitY")
METI_KEY, MEITY_KEY, OUTSIDER_KEY = jws.generate_key(), jws.generate_key(), jws.generate_key()


def _signer(key: jws.Ed25519PrivateKey, participant: str, **extra: object) -> SignerKey:
    return SignerKey(jws.key_id(key), participant, f"officer of {participant}", jws.public_jwk(key), **extra)  # type: ignore[arg-type]


KEYS = {k.kid: k for k in (_signer(METI_KEY, "METI"), _signer(MEITY_KEY, "MeitY"))}

RENEWAL = {"type": "renewal", "agreement": "ijdp-2.0", "term_years": 5}
NOTICE = {
    "type": "discontinuation_notice",
    "agreement": "ijdp-2.0",
    "sender": "MeitY",
    "recipient": "METI",
    "notice_date": "2026-03-01",
}


def _instrument(payload: dict[str, object], *keys: jws.Ed25519PrivateKey) -> dict[str, object]:
    data = canonicalize(payload)
    return jws.assemble(data, [jws.sign(data, key) for key in keys])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**60), 2**60) | st.text() | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(value=json_values)
def test_the_fast_canonical_path_agrees_with_the_rfc8785_library(value: object) -> None:
    try:
        expected = rfc8785.dumps(value)
    except rfc8785.CanonicalizationError:
        with pytest.raises(NotCanonicalError):
            canonicalize(value)
        return
    assert canonicalize(value) == expected


def test_canonical_form_sorts_keys_and_drops_spaces() -> None:
    assert canonicalize({"b": [1.0, "é"], "a": 1e21}) == '{"a":1e+21,"b":[1,"é"]}'.encode()


@pytest.mark.parametrize(
    "raw",
    [
        b'{"b":1, "a":2}',
        b'{"b":1,"a":2}',
        b'{"a":1.0}',
        b'{"a":1,"a":2}',
        b"[1]",
        b'{"a":NaN}',
        b"\xff",
    ],
)
def test_it_rejects_json_that_is_not_canonical(raw: bytes) -> None:
    with pytest.raises(NotCanonicalError):
        parse_canonical(raw)


def test_a_two_party_instrument_verifies_with_jwcrypto_as_well() -> None:
    document = _instrument(RENEWAL, METI_KEY, MEITY_KEY)
    report = verify_instrument(document, KEYS, PARTICIPANTS)
    assert report.complete and report.signed_by == {"METI", "MeitY"}
    independent = jwcrypto_jws.JWS()
    independent.deserialize(json.dumps(document))
    for key in (METI_KEY, MEITY_KEY):
        public = jwcrypto_jwk.JWK(**jws.public_jwk(key))
        independent.verify(public, alg="Ed25519")
        assert independent.payload == canonicalize(RENEWAL)
    header = json.loads(jws.b64url_decode(document["signatures"][0]["protected"]))  # type: ignore[index]
    assert header == {"alg": "Ed25519", "kid": jws.key_id(METI_KEY)}


def test_jwcrypto_made_signatures_verify_here() -> None:
    data = canonicalize(RENEWAL)
    independent = jwcrypto_jws.JWS(data)
    for key in (METI_KEY, MEITY_KEY):
        private = jwcrypto_jwk.JWK.from_pem(jws.private_key_to_pem(key))
        header = {"alg": "Ed25519", "kid": jws.key_id(key)}
        independent.add_signature(private, alg="Ed25519", protected=json.dumps(header))
    document = json.loads(independent.serialize())
    assert verify_instrument(document, KEYS, PARTICIPANTS).complete


def test_it_says_which_party_is_missing_when_one_side_signed() -> None:
    report = verify_instrument(_instrument(RENEWAL, METI_KEY), KEYS, PARTICIPANTS)
    assert report.valid and not report.complete
    assert report.reasons() == ["no valid signature by MeitY"]


def test_a_notice_needs_only_the_sender() -> None:
    report = verify_instrument(_instrument(NOTICE, MEITY_KEY), KEYS, PARTICIPANTS)
    assert report.complete and report.required == {"MeitY"}


def test_it_rejects_a_notice_signed_by_the_recipient() -> None:
    report = verify_instrument(_instrument(NOTICE, METI_KEY), KEYS, PARTICIPANTS)
    assert not report.valid
    assert "METI is not a required signer" in report.reasons()[0]


def test_it_rejects_a_signature_by_an_unregistered_key() -> None:
    report = verify_instrument(_instrument(RENEWAL, METI_KEY, OUTSIDER_KEY), KEYS, PARTICIPANTS)
    assert report.signatures[1].reason == f"no registered key has kid {jws.key_id(OUTSIDER_KEY)!r}"


def test_it_rejects_a_signature_over_a_different_payload() -> None:
    document = _instrument(RENEWAL, METI_KEY, MEITY_KEY)
    other = _instrument({**RENEWAL, "term_years": 10}, MEITY_KEY)
    document["signatures"][1] = other["signatures"][0]  # type: ignore[index]
    report = verify_instrument(document, KEYS, PARTICIPANTS)
    assert [s.valid for s in report.signatures] == [True, False]
    assert report.signatures[1].reason == "signature does not match this payload"
    assert report.signatures[1].participant == "MeitY"


def test_it_rejects_a_re_serialised_payload_even_with_valid_signatures() -> None:
    data = json.dumps(RENEWAL, indent=1).encode()
    document = jws.assemble(data, [jws.sign(data, METI_KEY), jws.sign(data, MEITY_KEY)])
    report = verify_instrument(document, KEYS, PARTICIPANTS)
    assert not report.valid
    assert "canonical" in report.problems[0]


def test_it_rejects_a_key_revoked_before_the_instrument_was_concluded() -> None:
    revoked = datetime(2026, 1, 1, tzinfo=UTC)
    keys = {**KEYS, jws.key_id(MEITY_KEY): _signer(MEITY_KEY, "MeitY", revoked_at=revoked)}
    document = _instrument(RENEWAL, METI_KEY, MEITY_KEY)
    before = verify_instrument(document, keys, PARTICIPANTS, at=datetime(2025, 12, 31, tzinfo=UTC))
    after = verify_instrument(document, keys, PARTICIPANTS, at=revoked + timedelta(seconds=1))
    assert before.complete
    assert after.signatures[1].reason == "key was revoked at 2026-01-01T00:00:00+00:00"


def test_it_rejects_the_same_party_signing_twice() -> None:
    report = verify_instrument(_instrument(RENEWAL, METI_KEY, METI_KEY), KEYS, PARTICIPANTS)
    assert report.signatures[1].reason == "METI has already signed"


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ({"alg": "EdDSA", "kid": "k"}, "alg is 'EdDSA', not 'Ed25519'"),
        ({"alg": "Ed25519"}, "protected header has no kid"),
        ({"alg": "Ed25519", "kid": "k", "crit": ["b64"]}, "unexpected members ['crit']"),
    ],
)
def test_it_names_the_header_problem(header: dict[str, object], reason: str) -> None:
    data = canonicalize(RENEWAL)
    entry = {"protected": jws.b64url(json.dumps(header).encode()), "signature": "AA"}
    report = verify_instrument(jws.assemble(data, [entry]), KEYS, PARTICIPANTS)
    assert reason in report.signatures[0].reason


def test_it_rejects_something_that_is_not_a_general_jws() -> None:
    report = verify_instrument({"payload": "e30"}, KEYS, PARTICIPANTS)
    assert report.problems == ["not a JWS in General JSON Serialization (payload, signatures)"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**RENEWAL, "term_years": "5"}, "term_years"),
        ({**RENEWAL, "extra": 1}, "extra"),
        ({**NOTICE, "recipient": "MeitY"}, ""),
        ({**NOTICE, "sender": "MIC"}, "sender"),
        ({**NOTICE, "notice_date": 1772323200}, "notice_date"),
        ({"type": "purpose_consent", "agreement": "x", "discloser": "METI"}, "recipient"),
    ],
)
def test_it_rejects_payloads_that_do_not_fit_their_type(payload: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidPayload) as caught:
        parse_payload(payload, PARTICIPANTS)
    assert any(f == field for f, _ in caught.value.problems)


def test_the_registry_names_who_signs_each_type() -> None:
    both = frozenset(PARTICIPANTS)
    samples = {
        "signature": {"title": "MoC", "text_sha256": "0" * 64},
        "renewal": {"term_years": 5},
        "modification": {
            "summary": "s",
            "effective_date": "2026-01-01",
            "changes": [{"paragraph": "P2", "text": "t"}],
        },
        "discontinuation_notice": {
            "sender": "METI",
            "recipient": "MeitY",
            "notice_date": "2026-01-01",
        },
        "cost_sharing_concurrence": {
            "activity": "a",
            "description": "d",
            "shares": [{"participant": "METI", "currency": "JPY", "amount": "100"}],
        },
        "purpose_consent": {
            "discloser": "MeitY",
            "recipient": "METI",
            "information": "i",
            "original_purpose": "o",
            "new_purpose": "n",
        },
        "minutes_approval": {"meeting": "jwg-1", "minutes_sha256": "a" * 64},
        "key_rotation": {"owner": "METI", "signatory": "s", "action": "revoke", "old_kid": "k"},
    }
    required = {}
    for name, members in samples.items():
        kind, payload = parse_payload({"type": name, "agreement": "x", **members}, PARTICIPANTS)
        required[name] = kind.required_signers(payload, PARTICIPANTS)
    assert required == {
        "signature": both,
        "renewal": both,
        "modification": both,
        "cost_sharing_concurrence": both,
        "minutes_approval": both,
        "discontinuation_notice": {"METI"},
        "purpose_consent": {"MeitY"},
        "key_rotation": {"METI"},
    }


def test_a_later_issue_adds_a_type_with_one_entry() -> None:
    class AuditPayload(Payload):
        type: str = "joint_audit"
        scope: str

    register(InstrumentType("joint_audit", "Joint audit", "all", AuditPayload))
    try:
        kind, _ = parse_payload({"type": "joint_audit", "agreement": "x", "scope": "s"}, PARTICIPANTS)
        assert kind.title == "Joint audit"
    finally:
        del REGISTRY["joint_audit"]


def test_a_key_file_round_trips_through_pem_and_jwk() -> None:
    key = jws.generate_key()
    assert jws.key_id(jws.load_private_key(jws.private_key_to_pem(key))) == jws.key_id(key)
    private = jwcrypto_jwk.JWK.from_pem(jws.private_key_to_pem(key)).export_private()
    assert jws.key_id(jws.load_private_key(private.encode())) == jws.key_id(key)
    assert jws.key_id(key) == jwcrypto_jwk.JWK(**jws.public_jwk(key)).thumbprint()
