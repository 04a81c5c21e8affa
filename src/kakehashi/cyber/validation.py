"""STIX 2.1 object validation: a fast path for the common object types, `stix2-validator` for the rest.

`errors(obj)` returns the reference validator's error messages (empty when valid). Most objects never
reach it: `certainly_valid(obj)` accepts an object only when every property is one it knows, with the
types, formats and cross-property rules the OASIS JSON schemas and the validator's MUST checks impose
(indicator patterns through `patterns.certainly_valid`). It never rejects: anything unusual (custom
properties, extensions, granular markings, a URL it would have to judge...) is handed to the reference
validator, so the verdict is always the reference one. tests/cyber/test_validation.py checks on a
generated corpus that the fast path accepts nothing the reference rejects.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import orjson

from kakehashi.cyber import patterns, timestamps, tlp
from kakehashi.kernel import text

Check = Callable[[Any], bool]

_IDENTIFIER = re.compile(
    r"[a-z][a-z0-9-]+[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}"
)
_NOT_SRO_TARGET = ("relationship--", "sighting--", "bundle--", "marking-definition--", "language-content--")


@functools.cache
def _reference() -> tuple[type[Exception], Callable[..., Any], Any]:
    """stix2-validator, imported on first use: its import takes seconds (jsonschema builds URI grammars), which
    every CLI command and worker would pay otherwise."""
    from stix2validator import ValidationError, ValidationOptions, validate_instance
    return ValidationError, validate_instance, ValidationOptions(version="2.1")


def warm() -> None:
    """Import the reference validator and pattern tables now (a server does it at start, off the request path)."""
    _reference()
    patterns.observables()


def _identifier(value: Any) -> bool:
    return type(value) is str and _IDENTIFIER.fullmatch(value) is not None


def _ref(*prefixes: str, excluded: tuple[str, ...] = ()) -> Check:
    def check(value: Any) -> bool:
        return (_identifier(value) and (not prefixes or value.startswith(prefixes))
                and not value.startswith(excluded))
    return check


def _refs(*prefixes: str) -> Check:
    item = _ref(*prefixes)
    return lambda value: type(value) is list and len(value) > 0 and all(item(v) for v in value)


def _text(value: Any) -> bool:
    return type(value) is str


def _texts(value: Any) -> bool:
    return type(value) is list and len(value) > 0 and all(type(v) is str for v in value)


def _boolean(value: Any) -> bool:
    return type(value) is bool


def _timestamp(value: Any) -> bool:
    # More than six fractional digits: the validator compares such values as text; leave them to it.
    return type(value) is str and 0 <= timestamps.fraction_digits(value) <= 6


def _timestamp_millis(value: Any) -> bool:
    return type(value) is str and 3 <= timestamps.fraction_digits(value) <= 6


def _confidence(value: Any) -> bool:
    return type(value) is int and 0 <= value <= 100


def _count(value: Any) -> bool:
    return type(value) is int and 0 <= value <= 999_999_999


def _kill_chain_phases(value: Any) -> bool:
    return type(value) is list and len(value) > 0 and all(
        type(p) is dict and p.keys() == {"kill_chain_name", "phase_name"}
        and type(p["kill_chain_name"]) is str and type(p["phase_name"]) is str for p in value)


def _external_reference(ref: Any) -> bool:
    if type(ref) is not dict or not ref.keys() <= {"source_name", "description", "external_id"}:
        return False
    source, external_id = ref.get("source_name"), ref.get("external_id", "")
    # CVE/CAPEC references have their own schema branches (and URLs a format check): not decided here.
    return (type(source) is str and "\n" not in source and source not in ("cve", "capec")
            and type(external_id) is str and "CVE-" not in external_id and "CAPEC-" not in external_id
            and "\n" not in external_id and type(ref.get("description", "")) is str
            and ("external_id" in ref or "description" in ref))


def _external_references(value: Any) -> bool:
    return type(value) is list and len(value) > 0 and all(_external_reference(r) for r in value)


COMMON: dict[str, Check] = {
    "type": _text, "spec_version": lambda v: v == "2.1", "id": _identifier, "created": _timestamp_millis,
    "modified": _timestamp_millis, "created_by_ref": _identifier, "revoked": _boolean, "labels": _texts,
    "confidence": _confidence, "external_references": _external_references, "object_marking_refs": _refs(),
    "description": _text, "name": _text,
}
_SEEN = {"first_seen": _timestamp, "last_seen": _timestamp}
_KILL_CHAIN = {"kill_chain_phases": _kill_chain_phases}

PROPERTIES: dict[str, dict[str, Check]] = {
    "indicator": {"indicator_types": _texts, "pattern": _text, "pattern_type": _text, "pattern_version": _text,
                  "valid_from": _timestamp, "valid_until": _timestamp, **_KILL_CHAIN},
    "malware": {"is_family": _boolean, "malware_types": _texts, "aliases": _texts, **_SEEN, **_KILL_CHAIN,
                "architecture_execution_envs": _texts, "implementation_languages": _texts, "capabilities": _texts},
    "campaign": {"aliases": _texts, **_SEEN, "objective": _text},
    "report": {"report_types": _texts, "published": _timestamp, "object_refs": _refs()},
    "relationship": {"relationship_type": lambda v: type(v) is str and re.fullmatch(r"[a-z0-9\-]+", v) is not None,
                     "source_ref": _ref(excluded=_NOT_SRO_TARGET), "target_ref": _ref(excluded=_NOT_SRO_TARGET),
                     "start_time": _timestamp, "stop_time": _timestamp},
    "sighting": {**_SEEN, "count": _count, "sighting_of_ref": _ref(excluded=_NOT_SRO_TARGET),
                 "observed_data_refs": _refs("observed-data--"), "where_sighted_refs": _refs("identity--", "location--"),
                 "summary": _boolean},
    "identity": {"roles": _texts, "identity_class": _text, "sectors": _texts, "contact_information": _text},
    "threat-actor": {"threat_actor_types": _texts, "aliases": _texts, "roles": _texts, "goals": _texts, **_SEEN,
                     "sophistication": _text, "resource_level": _text, "primary_motivation": _text,
                     "secondary_motivations": _texts, "personal_motivations": _texts},
    "intrusion-set": {"aliases": _texts, **_SEEN, "goals": _texts, "resource_level": _text,
                      "primary_motivation": _text, "secondary_motivations": _texts},
    "attack-pattern": {"aliases": _texts, **_KILL_CHAIN},
    "tool": {"aliases": _texts, "tool_types": _texts, "tool_version": _text, **_KILL_CHAIN},
    "vulnerability": {},
    "course-of-action": {},
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "indicator": ("pattern", "pattern_type", "valid_from"), "malware": ("is_family",), "campaign": ("name",),
    "report": ("name", "object_refs", "published"), "relationship": ("relationship_type", "source_ref", "target_ref"),
    "sighting": ("sighting_of_ref",), "identity": ("name",), "threat-actor": ("name",), "intrusion-set": ("name",),
    "attack-pattern": ("name",), "tool": ("name",), "vulnerability": ("name",), "course-of-action": ("name",),
}
# (later, strictly?, earlier): the validator's timestamp comparisons per type.
ORDER: dict[str, tuple[str, bool, str]] = {
    "indicator": ("valid_until", True, "valid_from"), "relationship": ("stop_time", True, "start_time"),
    **{t: ("last_seen", False, "first_seen")
       for t in ("malware", "campaign", "sighting", "threat-actor", "intrusion-set")},
}


def _in_order(obj: dict[str, Any], later: str, strict: bool, earlier: str) -> bool:
    if later not in obj or earlier not in obj:
        return True
    after, before = timestamps.micros(obj[later]), timestamps.micros(obj[earlier])
    assert after is not None and before is not None  # checked by the property rules first
    return after > before if strict else after >= before


def _type_rules_hold(obj: dict[str, Any], kind: str) -> bool:
    created, modified = timestamps.micros(obj["created"]), timestamps.micros(obj["modified"])
    if created is None or modified is None or modified < created:
        return False
    if kind in ORDER and not _in_order(obj, *ORDER[kind]):
        return False
    if kind == "malware" and obj["is_family"] is True and "name" not in obj:
        return False
    if kind == "indicator" and obj["pattern_type"] == "stix":
        return obj.get("pattern_version", "2.1") == "2.1" and patterns.certainly_valid(obj["pattern"])
    return True


# Per type: every property it may carry with its check, and the properties it must carry.
_CHECKS = {kind: {**COMMON, **specific} for kind, specific in PROPERTIES.items()}
_MUST = {kind: frozenset(("type", "spec_version", "id", "created", "modified", *REQUIRED[kind]))
         for kind in PROPERTIES}


def certainly_valid(obj: Any) -> bool:
    """True when the fast rules prove `obj` valid; False means "ask the reference validator"."""
    if type(obj) is not dict:
        return False
    kind = obj.get("type")
    if kind == "marking-definition":
        return obj in tlp.PUBLISHED_DEFINITIONS
    if type(kind) is not str or kind not in _CHECKS or not obj.keys() >= _MUST[kind]:
        return False
    checks = _CHECKS[kind]
    ident = obj["id"]
    if type(ident) is not str or not ident.startswith(kind) or ident[len(kind):len(kind) + 2] != "--":
        return False
    for name, value in obj.items():
        check = checks.get(name)
        if check is None or not check(value):
            return False
    return _type_rules_hold(obj, kind)


def reference_errors(obj: Any) -> list[str]:
    """The error messages of `stix2-validator` for one object (empty when valid)."""
    if type(obj) is not dict:
        return ["A STIX object must be a JSON object."]
    validation_error, validate_instance, options = _reference()
    try:
        result = validate_instance(obj, options)
    except validation_error as exc:
        return [str(exc)]
    except (TypeError, AttributeError, KeyError, ValueError) as exc:  # the validator trips on some malformed input
        return [f"Not a valid STIX object ({type(exc).__name__})."]
    return [str(error) for error in result.errors]


# In orjson's output a control character shows as an escape (\u00XX, \b, \f) or, for DEL and C1, as itself.
# A superset (an escaped backslash before "b" matches too): what matches is then walked exactly.
_MAYBE_CONTROL = re.compile(rb"\\(?:u00|b|f)|\x7f|\xc2[\x80-\x9f]")


def _control_path(obj: Any) -> str | None:
    """The JSON path of the first string (a value or a property name) in `obj` holding a control character.

    Iterative: an envelope may nest as deep as the JSON parser allows, deeper than Python's recursion limit.
    """
    pending: list[tuple[Any, str]] = [(obj, "")]
    while pending:
        value, path = pending.pop()
        if type(value) is str:
            if text.control_character(value) is not None:
                return path
        elif type(value) is dict:
            for key, item in value.items():
                if text.control_character(key) is not None:
                    return f"{path}.{key!r}" if path else repr(key)
                pending.append((item, f"{path}.{key}" if path else key))
        elif type(value) is list:
            pending.extend((item, f"{path}[{index}]") for index, item in enumerate(value))
    return None


def control_characters(obj: Any) -> list[str]:
    """Why `obj` may not be stored although it may be valid STIX: text holding NUL or another control character
    (other than tab and line breaks). PostgreSQL cannot store NUL, and no analyst means the others."""
    try:
        if _MAYBE_CONTROL.search(orjson.dumps(obj)) is None:  # the common case, without walking the object
            return []
    except orjson.JSONEncodeError:
        pass  # not JSON-serialisable as is (built in code, not parsed): walk it
    where = _control_path(obj)
    if where is None:
        return []
    return [f"The property {where} contains a control character (such as NUL, U+0000); STIX text may hold tabs and "
            "line breaks but no other control characters."]


def errors(obj: Any) -> list[str]:
    """Why `obj` is not a valid STIX 2.1 object; empty when it is."""
    return [] if certainly_valid(obj) else reference_errors(obj)
