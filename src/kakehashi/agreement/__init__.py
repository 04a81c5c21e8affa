"""Agreement ledger: the MoC's lifecycle, co-signed instruments and the transparency log. Public surface.

Other contexts append publicly verifiable acts with `append_to_log(session, kind, payload)` (in their own
transaction; kinds are namespaced, e.g. "exchange.decision") and may link to entries by index.
"""

from kakehashi.agreement.logcheck import LogReport, verify_log
from kakehashi.agreement.models import LogEntry
from kakehashi.agreement.transparency import append_many, append_to_log, get_entry, inclusion, latest_checkpoint

__all__ = ["LogEntry", "LogReport", "append_many", "append_to_log", "get_entry", "inclusion", "latest_checkpoint", "verify_log"]
