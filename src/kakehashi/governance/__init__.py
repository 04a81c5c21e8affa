"""Governance: the commitment register and its roll-up, JWG consultations, the funding ledger, training, dashboards.

Other contexts use this surface only:
- `progress(session)` → the current roll-up (figures per activity, commitment, area, agreement);
- `todo(session, actor)` → the actor's open action items;
- `link_activity(...)` → link an activity to a record of theirs (an event, a call, a document) by id;
- `verify_certificate(session, code)` → a training certificate, if the code is genuine.
"""

from kakehashi.governance.consultations.queries import todo
from kakehashi.governance.register.queries import progress
from kakehashi.governance.register.services import add_link as link_activity
from kakehashi.governance.rollup import RollUp
from kakehashi.governance.training.services import verify_certificate

__all__ = ["RollUp", "link_activity", "progress", "todo", "verify_certificate"]
