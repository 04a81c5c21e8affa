"""The IRIs of the Kakehashi ODRL exchange profile (shared by export and import)."""

from __future__ import annotations

PROFILE = "urn:kakehashi:odrl:exchange-profile:1"
KH = "urn:kakehashi:odrl:"
TLP_PROPERTY = KH + "tlp"
ODRL = "http://www.w3.org/ns/odrl/2/"
ODRL_CONTEXT = "http://www.w3.org/ns/odrl.jsonld"
PURPOSE_PREFIX = "urn:kakehashi:purpose:"
ORG_PREFIX = "urn:kakehashi:org:"
ITEM_PREFIX = "urn:kakehashi:exchange:item:"
RECIPIENT_PREFIXES = {
    "sides": "urn:kakehashi:side:",
    "ministries": "urn:kakehashi:ministry:",
    "organisations": ORG_PREFIX,
    "users": "urn:kakehashi:user:",
}
