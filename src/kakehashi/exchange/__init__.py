"""Confidential exchange (MoC P5, P2(iv)): items shared under the discloser's conditions, every access
decided by a compiled policy engine and logged, other purposes only with a signed consent. Public surface.

Other contexts may reuse the engine and the ODRL profile (e.g. for TLP-labelled content), and refer to
items by id. `LOG_FACTS` tells the agreement log's verifier how to check the exchange's entries against its rows.
"""

from kakehashi.exchange.logfacts import LOG_FACTS
from kakehashi.exchange.odrl import PROFILE as ODRL_PROFILE
from kakehashi.exchange.odrl import export_odrl, import_odrl
from kakehashi.exchange.policy import (
    AccessMode,
    AccessRequest,
    Conditions,
    ConsentGrant,
    Decision,
    Recipients,
    Tlp,
    compile_policy,
    decide,
    index_consents,
)
from kakehashi.exchange.vocabulary import MOC_PURPOSES

__all__ = [
    "LOG_FACTS", "MOC_PURPOSES", "ODRL_PROFILE", "AccessMode", "AccessRequest", "Conditions", "ConsentGrant", "Decision",
    "Recipients", "Tlp", "compile_policy", "decide", "export_odrl", "import_odrl", "index_consents",
]
