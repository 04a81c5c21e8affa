"""Governance records for tests, made through the services (so every rule holds)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from kakehashi.governance.register import services as register
from kakehashi.governance.register.models import Activity
from kakehashi.governance.register.schemas import ActivityFields
from kakehashi.kernel.authz import Actor

NOW = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)


def make_activity(session: Session, actor: Actor, commitment_id: int, *, progress: int = 0, weight: str = "1",
                  status: str | None = None, parent_id: int | None = None, **extra: Any) -> Activity:
    """An activity with a status that fits its progress unless one is given."""
    from kakehashi.governance.register.schemas import status_for

    fields = ActivityFields(
        commitment_id=commitment_id, kind=extra.pop("kind", "initiative"), title=extra.pop("title", "An activity"),
        progress=progress, weight=Decimal(weight), status=status or status_for(progress).value, parent_id=parent_id,
        **extra,
    )
    return register.create_activity(session, fields, actor=actor, now=NOW)
