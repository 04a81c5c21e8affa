"""The fast validation path never accepts what the OASIS validators reject, and it covers the common objects.

Corpora: generated STIX patterns (valid, near-valid and broken), generated objects of every covered type
with mutations, and the example bundles shipped with stix2-validator.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import stix2validator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stix2patterns.validator import run_validator
from stix2validator import ValidationOptions, validate_instance
from stix2validator.v21.enums import OBSERVABLE_PROPERTIES

from kakehashi.cyber import patterns, validation
from kakehashi.cyber.tlp import PUBLISHED_DEFINITIONS, TLP2_IDS, Tlp
from tests.factories.cyber import indicator, sdo

REFERENCE = ValidationOptions(version="2.1")
EXAMPLES = Path(stix2validator.__file__).parent / "schemas-2.1" / "examples"


def _reference_accepts_pattern(pattern: str) -> bool:
    try:  # the reference parser raises on some inputs (negative list indexes): that is not acceptance
        return run_validator(pattern, stix_version="2.1") == [] and \
            validate_instance(indicator(pattern=pattern), REFERENCE).is_valid
    except Exception:
        return False


# ---------------------------------------------------------------- patterns

KNOWN_TYPES = ["ipv4-addr", "ipv6-addr", "domain-name", "url", "file", "email-addr", "process", "network-traffic",
               "software", "mutex", "user-account"]
ODD_TYPES = ["x-custom-thing", "and", "File", "ipv4_addr"]
ODD_PROPS = ["start", "x_custom", "Value", "and", "in", "not_a_property"]
KEYS = st.sampled_from([".MD5", ".'SHA-256'", ".SHA-256", ".'MD5'", ".sha1", "[0]", "[*]", "[-1]", ".like", "[01]",
                        ".'x\\'y'", "", "", "", ""])
LITERALS = st.sampled_from([
    "'198.51.100.7'", "'evil.example'", "'d41d8cd98f00b204e9800998ecf8427e'", "'zz'", "5", "-3", "05", "0", "1.5",
    "true", "false", "TRUE", "t'2024-02-29T10:00:00Z'", "t'2024-02-30T10:00:00Z'", "t'2024-01-01T00:00:60.5Z'",
    "h'ab'", "b'AAAA'", "'it\\'s'", "'back\\\\slash'", "'bad\\escape'", "'unterminated", "''",
    "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'", "'198.51.100.7'", "'x'",
])
OPS = st.sampled_from(["=", " = ", " = ", " != ", " > ", "<=", " LIKE ", " MATCHES ", " like ", " IN ", "==",
                       " ISSUBSET "])


@st.composite
def comparisons(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 4)) > 0:  # mostly plain comparisons, so the fast path is exercised
        kind = draw(st.sampled_from(KNOWN_TYPES))
        prop = draw(st.sampled_from(sorted(OBSERVABLE_PROPERTIES[kind])))
        key = draw(st.sampled_from(["", "", ".MD5", ".'SHA-256'", "[0]", "[*]"]))
        op = draw(st.sampled_from(["=", " = ", " != ", " > ", " LIKE "]))
        return f"{kind}:{prop}{key}{op}{draw(LITERALS)}"
    kind = draw(st.sampled_from(KNOWN_TYPES + ODD_TYPES))
    prop = draw(st.sampled_from(sorted(OBSERVABLE_PROPERTIES.get(kind, ["value"])) + ODD_PROPS))
    return f"{kind}:{prop}{draw(KEYS)}{draw(OPS)}{draw(LITERALS)}"


@st.composite
def observations(draw: st.DrawFn) -> str:
    parts = draw(st.lists(comparisons(), min_size=1, max_size=2))
    joins = draw(st.lists(st.sampled_from([" AND ", " OR ", " OR ", " and ", "  OR  ", " FOLLOWEDBY "]), min_size=2,
                          max_size=2))
    inner = parts[0] + "".join(j + p for j, p in zip(joins, parts[1:], strict=False))
    shape = draw(st.sampled_from(["[{}]"] * 6 + ["[ {} ]", "([{}])", "[{}] WITHIN 5 SECONDS", "{}"]))
    return shape.format(inner)


@st.composite
def stix_patterns(draw: st.DrawFn) -> str:
    obs = draw(st.lists(observations(), min_size=1, max_size=2))
    joins = draw(st.lists(st.sampled_from([" AND ", " OR ", " FOLLOWEDBY ", " or ", "AND"]), min_size=2, max_size=2))
    text = obs[0] + "".join(j + o for j, o in zip(joins, obs[1:], strict=False))
    if draw(st.integers(0, 3)) == 0:  # mutate: drop or insert a character somewhere
        at = draw(st.integers(0, max(0, len(text) - 1)))
        text = text[:at] + draw(st.sampled_from(["", "'", "]", "[", " ", "\\", ":"])) + text[at + 1:]
    return text


@settings(max_examples=600, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(stix_patterns())
def test_every_pattern_the_fast_path_accepts_the_reference_accepts(pattern: str) -> None:
    if patterns.certainly_valid(pattern):
        assert _reference_accepts_pattern(pattern), pattern


COMMON_PATTERNS = [
    "[ipv4-addr:value = '198.51.100.7']",
    "[domain-name:value = 'evil.example'] OR [url:value = 'http://evil.example/x']",
    "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
    "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' OR file:name = 'dropper.exe']",
    "[email-addr:value = 'phish@evil.example'] FOLLOWEDBY [url:value LIKE '%evil%']",
    "[ipv6-addr:value = '2001:db8::1' AND ipv6-addr:value != '2001:db8::2']",
    "[network-traffic:dst_port = 443]",
]


def test_the_common_patterns_take_the_fast_path_and_are_valid() -> None:
    for pattern in COMMON_PATTERNS:
        assert patterns.certainly_valid(pattern), pattern
        assert _reference_accepts_pattern(pattern), pattern


def test_patterns_the_reference_rejects_are_never_fast() -> None:
    for pattern in ["[file:hashes.MD5 = 'zz']", "[ipv4-addr:value = '1' AND file:name = 'x'] and [x:y = 1]",
                    "ipv4-addr:value = '1.2.3.4'", "[ipv4-addr:value = '1.2.3.4'", "[ipv4-addr:value = 'a\\b']",
                    "[file:hashes.'SHA-256' = 5]"]:
        assert not patterns.certainly_valid(pattern), pattern


# ---------------------------------------------------------------- objects

def _uuid(draw: st.DrawFn) -> str:
    return str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1)), version=draw(st.sampled_from([1, 4, 5]))))


BASES = {
    "indicator": lambda: indicator(),
    "malware": lambda: sdo("malware", malware_types=["ransomware"], first_seen="2025-01-01T00:00:00Z"),
    "campaign": lambda: sdo("campaign", objective="credentials", last_seen="2025-06-01T00:00:00.5Z",
                            first_seen="2025-01-01T00:00:00Z"),
    "report": lambda: sdo("report", report_types=["threat-report"], description="What we saw"),
    "relationship": lambda: {**sdo("relationship"), "relationship_type": "indicates",
                             "source_ref": f"indicator--{uuid.uuid4()}", "target_ref": f"malware--{uuid.uuid4()}"},
    "sighting": lambda: {**sdo("sighting"), "sighting_of_ref": f"indicator--{uuid.uuid4()}", "count": 3,
                         "where_sighted_refs": [f"identity--{uuid.uuid4()}"]},
    "identity": lambda: sdo("identity", identity_class="organization", sectors=["government"]),
    "threat-actor": lambda: sdo("threat-actor", threat_actor_types=["nation-state"], aliases=["Group 1"]),
    "intrusion-set": lambda: sdo("intrusion-set", goals=["espionage"]),
    "attack-pattern": lambda: sdo("attack-pattern", kill_chain_phases=[{"kill_chain_name": "mitre-attack",
                                                                        "phase_name": "initial-access"}]),
    "tool": lambda: sdo("tool", tool_types=["remote-access"], tool_version="1.0"),
    "vulnerability": lambda: sdo("vulnerability", external_references=[{"source_name": "vendor",
                                                                        "external_id": "VU#123"}]),
    "course-of-action": lambda: sdo("course-of-action", description="Block it"),
}
VALUES = st.sampled_from([
    None, "", "text", [], ["a"], [""], [1], 0, 1, -1, 100, 101, True, False, 1.5, {}, {"a": 1},
    "2025-01-01T00:00:00Z", "2025-01-01T00:00:00.000Z", "2025-02-30T00:00:00.000Z", "2025-01-01T24:00:00.000Z",
    "2025-01-01 00:00:00.000Z", "2024-12-31T23:59:60.000Z", "2025-01-01T00:00:00.1234567Z", "1999-01-01T00:00:00.000Z",
    "2030-01-01T00:00:00.000Z", f"indicator--{uuid.UUID(int=5, version=4)}", "indicator--not-a-uuid",
    f"identity--{uuid.UUID(int=7, version=4)}", f"marking-definition--{uuid.UUID(int=9, version=4)}",
    f"sighting--{uuid.UUID(int=11, version=4)}", [TLP2_IDS[Tlp.AMBER]], ["not-an-id"],
    [{"kill_chain_name": "k", "phase_name": "p"}], [{"kill_chain_name": "k"}],
    [{"source_name": "cve", "external_id": "CVE-2024-1234"}], [{"source_name": "x"}], [{"source_name": "x", "url": "::"}],
    "[ipv4-addr:value = '1.2.3.4']", "[ipv4-addr:value = '1.2.3.4'", "stix", "yara", "2.1", "2.0",
])
PROPERTIES = st.sampled_from(sorted({*validation.COMMON, *(p for props in validation.PROPERTIES.values() for p in props),
                                     "x_custom", "lang", "granular_markings", "extensions", "Name", "id", "type"}))


@st.composite
def stix_objects(draw: st.DrawFn) -> dict[str, Any]:
    obj = BASES[draw(st.sampled_from(sorted(BASES)))]()
    obj["id"] = f"{obj['type']}--{_uuid(draw)}"
    for _ in range(draw(st.integers(0, 3))):
        name = draw(PROPERTIES)
        if draw(st.integers(0, 4)) == 0:
            obj.pop(name, None)
        else:
            obj[name] = draw(VALUES)
    return obj


@settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(stix_objects())
def test_every_object_the_fast_path_accepts_the_reference_accepts(obj: dict[str, Any]) -> None:
    if validation.certainly_valid(obj):
        assert validate_instance(obj, REFERENCE).is_valid, obj
    assert (validation.errors(obj) == []) == (validation.reference_errors(obj) == [])


def test_each_covered_type_takes_the_fast_path_when_plain() -> None:
    for kind, build in BASES.items():
        obj = build()
        assert validation.certainly_valid(obj), kind
        assert validate_instance(obj, REFERENCE).is_valid, kind


def test_the_published_tlp_definitions_take_the_fast_path() -> None:
    for definition in PUBLISHED_DEFINITIONS:
        assert validation.certainly_valid(definition)
        assert validate_instance(definition, REFERENCE).is_valid


def test_the_oasis_example_bundles_agree_with_the_reference() -> None:
    fast = 0
    for path in sorted(EXAMPLES.rglob("*.json")):
        for obj in json.loads(path.read_text(encoding="utf-8")).get("objects", []):
            reference_ok = validate_instance(obj, REFERENCE).is_valid
            if validation.certainly_valid(obj):
                fast += 1
                assert reference_ok, (path.name, obj["id"])
            assert (validation.errors(obj) == []) == reference_ok
    assert fast >= 10  # the examples are mostly plain SDOs: the fast path must cover them


def test_objects_the_reference_rejects_are_reported_with_its_messages() -> None:
    bad = {**indicator(), "valid_until": "2000-01-01T00:00:00Z"}
    assert not validation.certainly_valid(bad)
    assert any("valid_until" in message for message in validation.errors(bad))
    assert validation.errors("not an object") == ["A STIX object must be a JSON object."]
