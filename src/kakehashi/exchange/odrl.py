"""Conditions as ODRL 2.2 JSON-LD under the Kakehashi exchange profile: export, and strict import.

Export writes one atomic rule per action (display = view, reproduce = download with a watermark duty,
distribute = onward sharing), each constrained by `purpose`, `recipient` and `dateTime`; a `use`
permission with the `obtainConsent` duty stands for "any other use needs the discloser's prior written
consent"; view-only adds a `reproduce` prohibition; retention is a `delete` obligation. Import reads
exactly that shape back; whatever it does not understand is recorded in `Conditions.not_understood`,
which the engine turns into a denial of everything (the profile: what is not permitted is denied).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kakehashi.exchange.errors import ExchangeError
from kakehashi.exchange.odrl_reader import read_policy
from kakehashi.exchange.odrl_terms import ITEM_PREFIX, KH, ODRL_CONTEXT, ORG_PREFIX, PROFILE, PURPOSE_PREFIX, RECIPIENT_PREFIXES
from kakehashi.exchange.policy import AccessMode, Conditions, Tlp

__all__ = ["PROFILE", "export_odrl", "import_odrl"]


def export_odrl(conditions: Conditions, *, item_id: str) -> dict[str, Any]:
    """Return the ODRL 2.2 policy (a JSON-ready dict) that expresses `conditions` for one item."""
    if conditions.not_understood:
        raise ExchangeError("a policy that was not understood cannot be exported",
                            field="policy", code="odrl-not-understood")
    window = [_time("gteq", conditions.valid_from), _time("lt", conditions.valid_until)]
    permission: list[dict[str, Any]] = [{"action": "display", "constraint": _scope_constraints(conditions)}]
    if conditions.access is AccessMode.DOWNLOAD:
        permission.append({"action": "reproduce", "constraint": _scope_constraints(conditions),
                           "duty": [{"action": "watermark"}]})
    if conditions.onward_sharing and conditions.tlp not in (Tlp.AMBER_STRICT, Tlp.RED):
        permission.append({"action": "distribute", "constraint": _scope_constraints(conditions)})
    permission.append({
        "action": "use", "constraint": window,
        "duty": [{"action": "obtainConsent", "consentingParty": ORG_PREFIX + conditions.discloser}],
    })
    policy: dict[str, Any] = {
        "@context": [ODRL_CONTEXT, {"kh": KH}],
        "@type": "Set",
        "uid": f"{ITEM_PREFIX}{item_id}:policy",
        "profile": PROFILE,
        "conflict": "prohibit",
        "kh:tlp": conditions.tlp.value,
        "assigner": ORG_PREFIX + conditions.discloser,
        "target": ITEM_PREFIX + item_id,
        "permission": permission,
    }
    if conditions.access is AccessMode.VIEW_ONLY:
        policy["prohibition"] = [{"action": "reproduce"}]
    if conditions.retain_until is not None:
        policy["obligation"] = [{"action": "delete", "constraint": [_time("gteq", conditions.retain_until)]}]
    return policy


def import_odrl(document: Any) -> Conditions:
    """Read a policy (dict, or JSON text) back into conditions; unreadable parts deny everything."""
    return read_policy(document)


def _scope_constraints(conditions: Conditions) -> list[dict[str, Any]]:
    """The purpose, recipient and time constraints every permitted action carries."""
    r = conditions.recipients
    recipients = [
        {"@id": RECIPIENT_PREFIXES[kind] + value}
        for kind, values in (("sides", r.sides), ("ministries", r.ministries),
                             ("organisations", r.organisations), ("users", r.users))
        for value in sorted(values)
    ]
    return [
        {"leftOperand": "purpose", "operator": "isAnyOf",
         "rightOperand": [{"@id": PURPOSE_PREFIX + p} for p in sorted(conditions.purposes)]},
        {"leftOperand": "recipient", "operator": "isAnyOf", "rightOperand": recipients},
        _time("gteq", conditions.valid_from),
        _time("lt", conditions.valid_until),
    ]


def _time(operator: str, value: datetime) -> dict[str, Any]:
    return {"leftOperand": "dateTime", "operator": operator,
            "rightOperand": {"@value": value.isoformat(), "@type": "xsd:dateTime"}}
