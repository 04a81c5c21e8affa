"""ODRL 2.2 export and import: the round trip keeps every decision, and whatever the import does not
understand denies everything with a reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kakehashi.exchange.errors import ExchangeError, OdrlImportError
from kakehashi.exchange.odrl import PROFILE, export_odrl, import_odrl
from kakehashi.exchange.policy import (
    AccessMode,
    AccessRequest,
    Conditions,
    ConsentGrant,
    RecipientKind,
    Recipients,
    Tlp,
    compile_policy,
    decide,
    index_consents,
)
from kakehashi.exchange.vocabulary import MOC_PURPOSE_CODES

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
PURPOSES = sorted(MOC_PURPOSE_CODES)
USERS = ["alice", "bob", "u:7", "田中"]
ORGS = ["meti", "meity", "tcs", "toyota"]
MINISTRIES = ["METI", "MeitY", "MIC", "MEXT"]

zones = st.sampled_from([UTC, timezone(timedelta(hours=9)), timezone(timedelta(hours=5, minutes=30))])
moments = st.builds(lambda minutes, tz: (EPOCH + timedelta(minutes=minutes)).astimezone(tz),
                    st.integers(0, 60 * 24 * 400), zones)


def subsets(values):
    return st.frozensets(st.sampled_from(values))


@st.composite
def conditions(draw):
    start = draw(moments)
    return Conditions(
        discloser=draw(st.sampled_from(ORGS)),
        purposes=draw(subsets(PURPOSES)),
        recipients=Recipients(sides=draw(subsets(["JP", "IN"])), ministries=draw(subsets(MINISTRIES)),
                              organisations=draw(subsets(ORGS)), users=draw(subsets(USERS))),
        valid_from=start,
        valid_until=start + timedelta(minutes=draw(st.integers(1, 60 * 24 * 200))),
        tlp=draw(st.sampled_from(list(Tlp))),
        onward_sharing=draw(st.booleans()),
        access=draw(st.sampled_from(list(AccessMode))),
        retain_until=draw(st.none() | moments),
    )


requests = st.builds(
    AccessRequest, user_id=st.sampled_from(USERS), org_id=st.sampled_from(ORGS),
    side=st.sampled_from(["JP", "IN", "EU"]), ministry=st.none() | st.sampled_from(MINISTRIES),
    action=st.sampled_from(["view", "download", "share_onward", "print"]),
    purpose=st.sampled_from([*PURPOSES, "", "resale"]), at=moments,
)
grants = st.builds(
    ConsentGrant, grant_id=st.sampled_from(["c-1", "c-2", "c-3"]),
    recipient_kind=st.sampled_from(list(RecipientKind)), recipient_id=st.sampled_from(USERS + ORGS),
    purpose=st.sampled_from(PURPOSES), granted_at=moments, onward_sharing=st.booleans(),
    revoked_at=st.none() | moments,
)


@settings(max_examples=200, deadline=None)
@given(conditions(), st.lists(requests, min_size=40, max_size=40), st.lists(grants, max_size=4))
def test_export_then_import_gives_the_same_decisions(original, table, consent_grants):
    text = orjson.dumps(export_odrl(original, item_id="item-9"))
    imported = import_odrl(text)
    assert imported.not_understood == ()
    consents = index_consents(consent_grants)
    before, after = compile_policy(original), compile_policy(imported)
    assert [decide(before, r, consents) for r in table] == [decide(after, r, consents) for r in table]


def test_the_export_names_our_profile_and_the_consent_duty(conditions):
    policy = export_odrl(conditions(), item_id="42")
    assert policy["profile"] == PROFILE
    consent = [rule for rule in policy["permission"] if rule["action"] == "use"]
    assert consent[0]["duty"] == [{"action": "obtainConsent", "consentingParty": "urn:kakehashi:org:meti"}]
    assert {c["leftOperand"] for c in policy["permission"][0]["constraint"]} == {"purpose", "recipient", "dateTime"}


def test_view_only_is_a_reproduce_prohibition_and_retention_a_delete_duty(conditions, moments):
    policy = export_odrl(conditions(access=AccessMode.VIEW_ONLY, retain_until=moments["end"]), item_id="42")
    assert policy["prohibition"] == [{"action": "reproduce"}]
    assert policy["obligation"][0]["action"] == "delete"
    assert "reproduce" not in [rule["action"] for rule in policy["permission"]]


def test_it_refuses_to_export_conditions_it_did_not_understand(conditions):
    with pytest.raises(ExchangeError):
        export_odrl(conditions(not_understood=("x",)), item_id="42")


def _exported(conditions, **changes):
    policy = orjson.loads(orjson.dumps(export_odrl(conditions(), item_id="42")))
    policy.update(changes)
    return policy


def _denies_everything(policy, request_):
    decision = decide(compile_policy(import_odrl(policy)), request_())
    assert (decision.permit, decision.rule) == (False, "policy-not-understood")
    return decision.reason


def test_an_unknown_constraint_is_a_denial_with_a_reason(conditions, request_):
    policy = _exported(conditions)
    policy["permission"][0]["constraint"].append({"leftOperand": "spatial", "operator": "eq", "rightOperand": "JP"})
    assert "spatial" in _denies_everything(policy, request_)


def test_an_unknown_operator_is_a_denial(conditions, request_):
    policy = _exported(conditions)
    policy["permission"][0]["constraint"][0]["operator"] = "isAllOf"
    assert "isAllOf" in _denies_everything(policy, request_)


def test_a_purpose_outside_our_namespace_is_a_denial(conditions, request_):
    policy = _exported(conditions)
    policy["permission"][0]["constraint"][0]["rightOperand"].append({"@id": "http://example.org/purpose/ads"})
    assert "example.org" in _denies_everything(policy, request_)


def test_a_purpose_outside_the_vocabulary_is_a_denial(conditions, request_):
    policy = _exported(conditions)
    for rule in policy["permission"][:2]:
        rule["constraint"][0]["rightOperand"].append({"@id": "urn:kakehashi:purpose:espionage"})
    assert "espionage" in _denies_everything(policy, request_)


@pytest.mark.parametrize("change", [
    {"profile": "http://example.org/other-profile"},
    {"profile": None},
    {"kh:tlp": "WHITE"},
    {"conflict": "perm"},
    {"inheritFrom": "urn:kakehashi:exchange:item:1:policy"},
    {"assigner": "urn:kakehashi:user:bob"},
    {"@type": "Ticket"},
])
def test_a_policy_header_it_does_not_know_is_a_denial(conditions, request_, change):
    _denies_everything(_exported(conditions, **change), request_)


@pytest.mark.parametrize("rule", [
    {"action": "print", "constraint": []},
    {"action": "display", "constraint": [{"and": []}]},
    {"action": "use", "duty": [{"action": "compensate"}]},
    {"action": "display", "assignee": "urn:kakehashi:user:eve"},
])
def test_a_rule_it_does_not_know_is_a_denial(conditions, request_, rule):
    policy = _exported(conditions)
    policy["permission"].append(rule)
    _denies_everything(policy, request_)


def test_a_policy_without_the_consent_rule_is_a_denial(conditions, request_):
    policy = _exported(conditions)
    policy["permission"] = [r for r in policy["permission"] if r["action"] != "use"]
    assert "obtainConsent" in _denies_everything(policy, request_)


def test_a_download_permission_with_other_constraints_is_a_denial(conditions, request_):
    policy = _exported(conditions)
    policy["permission"][1]["constraint"][0]["rightOperand"] = [{"@id": "urn:kakehashi:purpose:ai"}]
    assert "reproduce" in _denies_everything(policy, request_)


def test_it_understands_prefixed_terms_and_inclusive_bounds(conditions, request_, moments):
    policy = _exported(conditions)
    for rule in policy["permission"]:
        rule["action"] = "odrl:" + rule["action"]
        for constraint in rule["constraint"]:
            constraint["leftOperand"] = "http://www.w3.org/ns/odrl/2/" + constraint["leftOperand"]
            if constraint["operator"] == "lt":
                constraint["operator"] = "lteq"
    policy["@type"] = "odrl:Set"
    compiled = compile_policy(import_odrl(policy))
    assert decide(compiled, request_(at=moments["end"])).permit
    assert decide(compiled, request_(at=moments["end"] + timedelta(microseconds=1))).rule == "expired"


def test_a_document_that_is_not_a_policy_is_an_import_error():
    for document in (b"{not json", "[1, 2]", 42):
        with pytest.raises(OdrlImportError):
            import_odrl(document)
