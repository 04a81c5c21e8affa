"""Agreement ledger: the MoC's lifecycle, co-signed instruments and the transparency log. Public surface.

Other contexts append publicly verifiable acts with `append_to_log(session, kind, payload)` (in their own
transaction; kinds are namespaced, e.g. "exchange.decision") and may cite entries by index. A context that
logs facts exposes a `FactSource` as `LOG_FACTS` in its own public surface; the shell registers it at
start-up (`register_fact_source`) and `verify_log` checks those facts against the context's rows. They draft
and read instruments (e.g. `purpose_consent`) with the functions below.
"""

from kakehashi.agreement.facts import (
    ABSENT,
    UNCHECKED,
    Fact,
    FactSource,
    LoggedEntry,
    commitment,
    new_salt,
    register_fact_source,
)
from kakehashi.agreement.instrument_types import REGISTRY as INSTRUMENT_TYPES
from kakehashi.agreement.instrument_types import InstrumentType, Payload, register
from kakehashi.agreement.logcheck import LogReport, verify_log
from kakehashi.agreement.models import Instrument, LogEntry
from kakehashi.agreement.publication import publish_to as publish_checkpoints_to
from kakehashi.agreement.queries import commitments, get_agreement, get_instrument, list_agreements, participant_codes
from kakehashi.agreement.services import draft_instrument, sign_with_demo_key, submit_signature, verify_stored
from kakehashi.agreement.transparency import append_many, append_to_log, get_entry, inclusion, latest_checkpoint

__all__ = [
    "ABSENT",
    "INSTRUMENT_TYPES",
    "UNCHECKED",
    "Fact",
    "FactSource",
    "Instrument",
    "InstrumentType",
    "LogEntry",
    "LogReport",
    "LoggedEntry",
    "Payload",
    "append_many",
    "append_to_log",
    "commitment",
    "commitments",
    "draft_instrument",
    "get_agreement",
    "get_entry",
    "get_instrument",
    "inclusion",
    "latest_checkpoint",
    "list_agreements",
    "new_salt",
    "participant_codes",
    "publish_checkpoints_to",
    "register",
    "register_fact_source",
    "sign_with_demo_key",
    "submit_signature",
    "verify_log",
    "verify_stored",
]
