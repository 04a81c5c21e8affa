"""Strict reader of ODRL 2.2 policies written to the Kakehashi exchange profile.

It reads JSON-LD compacted with the ODRL context (bare terms, `odrl:` or full ODRL IRIs). Every part
it does not understand becomes a reason in `Conditions.not_understood`, never a silent default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from kakehashi.exchange.errors import OdrlImportError
from kakehashi.exchange.odrl_terms import ODRL, ORG_PREFIX, PROFILE, PURPOSE_PREFIX, RECIPIENT_PREFIXES, TLP_PROPERTY
from kakehashi.exchange.policy import AccessMode, Conditions, Recipients, Tlp

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TICK = timedelta(microseconds=1)
_POLICY_KEYS = frozenset({"@context", "@type", "@id", "uid", "profile", "conflict", "kh:tlp",
                          TLP_PROPERTY, "assigner", "target", "permission", "prohibition", "obligation"})
_RULE_KEYS = frozenset({"@type", "uid", "action", "constraint", "duty", "target", "assigner"})
_CONSTRAINT_KEYS = frozenset({"@type", "uid", "leftOperand", "operator", "rightOperand"})
_SCOPED_ACTIONS = ("display", "reproduce", "distribute")
_TLP_VALUES = frozenset(t.value for t in Tlp)


@dataclass
class _Scope:
    """What the constraints of one rule say (None where they say nothing)."""

    purposes: frozenset[str] | None = None
    recipients: dict[str, set[str]] | None = None
    after: datetime | None = None
    before: datetime | None = None


@dataclass
class _Reading:
    problems: list[str] = field(default_factory=list)
    scopes: dict[str, _Scope] = field(default_factory=dict)
    consent_window: _Scope | None = None
    prohibited: set[str] = field(default_factory=set)
    retain_until: datetime | None = None

    def note(self, problem: str) -> None:
        self.problems.append(problem)


def read_policy(document: Any) -> Conditions:
    """Read one policy into conditions; raise OdrlImportError only if it is not a JSON object."""
    doc = _load(document)
    reading = _Reading()
    for key in sorted(set(doc) - _POLICY_KEYS):
        reading.note(f"unknown policy property {key!r}")
    _check_header(doc, reading)
    discloser = _discloser(doc, reading)
    tlp_value = doc.get("kh:tlp", doc.get(TLP_PROPERTY))
    tlp = Tlp(tlp_value) if isinstance(tlp_value, str) and tlp_value in _TLP_VALUES else None
    if tlp is None:
        reading.note(f"unknown or missing TLP label {tlp_value!r}")
    for rule in _rules(doc, "permission", reading):
        _read_permission(rule, doc, reading)
    for rule in _rules(doc, "prohibition", reading):
        _read_prohibition(rule, doc, reading)
    for rule in _rules(doc, "obligation", reading):
        _read_obligation(rule, reading)
    return _conditions(reading, discloser, tlp or Tlp.RED)


def _load(document: Any) -> dict[str, Any]:
    if isinstance(document, (str, bytes)):
        try:
            document = orjson.loads(document)
        except orjson.JSONDecodeError as exc:
            raise OdrlImportError(f"not JSON: {exc}", field="policy") from exc
    if not isinstance(document, dict):
        raise OdrlImportError("an ODRL policy is a JSON object", field="policy")
    return document


def _check_header(doc: dict[str, Any], reading: _Reading) -> None:
    if _term(doc.get("@type")) not in ("Set", "Offer", "Agreement", "Policy"):
        reading.note(f"unknown policy type {doc.get('@type')!r}")
    profiles = doc.get("profile")
    if (profiles if isinstance(profiles, list) else [profiles]) != [PROFILE]:
        reading.note(f"profile must be exactly {PROFILE}, got {profiles!r}")
    if _term(doc.get("conflict")) != "prohibit":
        reading.note("conflict strategy must be 'prohibit'")


def _discloser(doc: dict[str, Any], reading: _Reading) -> str:
    assigner = _term(doc.get("assigner"))
    if assigner is None or not assigner.startswith(ORG_PREFIX):
        reading.note(f"assigner must be an organisation IRI, got {doc.get('assigner')!r}")
        return ""
    return assigner.removeprefix(ORG_PREFIX)


def _rules(doc: dict[str, Any], kind: str, reading: _Reading) -> list[dict[str, Any]]:
    rules = doc.get(kind, [])
    rules = rules if isinstance(rules, list) else [rules]
    understood = []
    for rule in rules:
        if not isinstance(rule, dict):
            reading.note(f"a {kind} is not an object")
            continue
        for key in sorted(set(rule) - _RULE_KEYS):
            reading.note(f"unknown {kind} property {key!r}")
        for key in ("target", "assigner"):
            if key in rule and _term(rule[key]) != _term(doc.get(key)):
                reading.note(f"a {kind} names another {key}")
        understood.append(rule)
    return understood


def _read_permission(rule: dict[str, Any], doc: dict[str, Any], reading: _Reading) -> None:
    action = _term(rule.get("action"))
    duties = [_term(d.get("action")) if isinstance(d, dict) else None for d in _as_list(rule.get("duty"))]
    if action in _SCOPED_ACTIONS:
        if action in reading.scopes:
            reading.note(f"more than one {action} permission")
        reading.scopes[action] = _read_scope(rule.get("constraint"), reading)
        allowed = ["watermark"] if action == "reproduce" else []
        if any(d not in allowed for d in duties):
            reading.note(f"unknown duty on {action}: {duties!r}")
    elif action == "use" and duties == ["obtainConsent"]:
        party = _term(_as_list(rule.get("duty"))[0].get("consentingParty"))
        if party not in (None, _term(doc.get("assigner"))):
            reading.note("consent must be obtained from the assigner")
        window = _read_scope(rule.get("constraint"), reading)
        if window.purposes is not None or window.recipients is not None:
            reading.note("the obtainConsent permission may only carry a validity period")
        reading.consent_window = window
    else:
        reading.note(f"permission of action {action!r} with duties {duties!r} is beyond this profile")


def _read_prohibition(rule: dict[str, Any], doc: dict[str, Any], reading: _Reading) -> None:
    action = _term(rule.get("action"))
    if action not in ("reproduce", "distribute") or rule.get("constraint") or rule.get("duty"):
        reading.note(f"prohibition of {action!r} with constraints or duties is beyond this profile")
        return
    reading.prohibited.add(action)


def _read_obligation(rule: dict[str, Any], reading: _Reading) -> None:
    scope = _read_scope(rule.get("constraint"), reading)
    if _term(rule.get("action")) != "delete" or scope.after is None or scope.before is not None \
            or scope.purposes is not None or scope.recipients is not None or rule.get("duty"):
        reading.note("the only obligation understood is delete after a dateTime")
        return
    reading.retain_until = scope.after


def _read_scope(constraints: Any, reading: _Reading) -> _Scope:
    scope = _Scope()
    for constraint in _as_list(constraints):
        if not isinstance(constraint, dict) or set(constraint) - _CONSTRAINT_KEYS:
            reading.note(f"constraint not understood: {constraint!r}")
            continue
        left, operator = _term(constraint.get("leftOperand")), _term(constraint.get("operator"))
        values = [_value(v) for v in _as_list(constraint.get("rightOperand"))]
        if left == "dateTime" and len(values) == 1:
            _read_time(scope, operator, values[0], reading)
        elif left in ("purpose", "recipient") and operator in ("isAnyOf", "eq") \
                and getattr(scope, "purposes" if left == "purpose" else "recipients") is None:
            if left == "purpose":
                scope.purposes = frozenset(_codes(values, {"purposes": PURPOSE_PREFIX}, reading)["purposes"])
            else:
                scope.recipients = _codes(values, RECIPIENT_PREFIXES, reading)
        else:
            reading.note(f"constraint {left!r} {operator!r} is beyond this profile")
    return scope


def _read_time(scope: _Scope, operator: str | None, value: str | None, reading: _Reading) -> None:
    try:
        when = datetime.fromisoformat(value or "")
    except ValueError:
        reading.note(f"dateTime {value!r} is not ISO 8601")
        return
    if when.utcoffset() is None:
        reading.note(f"dateTime {value!r} has no timezone")
        return
    if operator in ("gteq", "gt"):
        when = when + _TICK if operator == "gt" else when
        scope.after = when if scope.after is None else max(scope.after, when)
    elif operator in ("lt", "lteq"):
        when = when + _TICK if operator == "lteq" else when
        scope.before = when if scope.before is None else min(scope.before, when)
    else:
        reading.note(f"dateTime operator {operator!r} is beyond this profile")


def _codes(values: list[str | None], prefixes: dict[str, str], reading: _Reading) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {kind: set() for kind in prefixes}
    for value in values:
        kind = next((k for k, p in prefixes.items() if value and value.startswith(p)), None)
        if kind is None or value is None or value == prefixes[kind]:
            reading.note(f"value {value!r} is outside this profile's vocabulary")
            continue
        found[kind].add(value.removeprefix(prefixes[kind]))
    return found


def _conditions(reading: _Reading, discloser: str, tlp: Tlp) -> Conditions:
    display = reading.scopes.get("display")
    for action, scope in reading.scopes.items():
        if display is None or scope != display:
            reading.note(f"the {action} permission must carry the display permission's constraints")
    window = display if display is not None else reading.consent_window
    if reading.consent_window is None or window is None \
            or (reading.consent_window.after, reading.consent_window.before) != (window.after, window.before):
        reading.note("the obtainConsent permission must be present, over the same period")
    scope = display or _Scope(purposes=frozenset(), recipients={})
    if scope.purposes is None or scope.recipients is None:
        reading.note("every permission needs a purpose and a recipient constraint")
    if window is None or window.after is None or window.before is None:
        reading.note("every permission needs a validity period (dateTime gteq and lt)")
    recipients = scope.recipients or {}
    return Conditions(
        discloser=discloser, purposes=scope.purposes or frozenset(),
        recipients=Recipients(**{k: frozenset(recipients.get(k, ())) for k in RECIPIENT_PREFIXES}),
        valid_from=(window and window.after) or _EPOCH, valid_until=(window and window.before) or _EPOCH,
        tlp=tlp, onward_sharing="distribute" in reading.scopes and "distribute" not in reading.prohibited,
        access=(AccessMode.DOWNLOAD if "reproduce" in reading.scopes and "reproduce" not in reading.prohibited
                else AccessMode.VIEW_ONLY),
        retain_until=reading.retain_until, not_understood=tuple(reading.problems),
    )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _term(value: Any) -> str | None:
    """A compact ODRL term from a bare term, an `odrl:` CURIE, a full IRI or an {"@id": ...} node."""
    if isinstance(value, dict):
        value = value.get("@id") if set(value) == {"@id"} else None
    if not isinstance(value, str):
        return None
    for prefix in ("odrl:", ODRL):
        if value.startswith(prefix):
            return value.removeprefix(prefix)
    return value


def _value(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id", value.get("@value"))
    return value if isinstance(value, str) else None
