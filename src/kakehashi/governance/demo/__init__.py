"""Demo data: a year of plausible governance activity across all eight areas (September 2025 – November 2026).

Runs after the agreement's demo (which loads the MoC and the officers' demo signing keys). Idempotent: once the
register holds an activity, loading again adds nothing.
"""

from __future__ import annotations

import random

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kakehashi.governance import ledger
from kakehashi.governance.demo import consultations, funding, register, training
from kakehashi.governance.demo.people import Cast
from kakehashi.governance.register.models import Activity
from kakehashi.kernel.demo import DemoOptions


def load(session: Session, options: DemoOptions) -> None:
    """Load the governance demo (skipped when the MoC is not loaded or the register is not empty)."""
    commitments = ledger.commitments(session)
    if not commitments or (session.scalar(select(func.count()).select_from(Activity)) or 0) > 0:
        return
    rng = random.Random(options.seed)
    cast = Cast.find(session)
    options.progress(0, 5, "governance: register")
    timelines = register.load(session, cast, commitments, rng)
    options.progress(1, 5, "governance: consultations")
    consultations.load(session, cast, commitments, rng)
    options.progress(2, 5, "governance: funding")
    funding.load(session, cast, rng)
    options.progress(3, 5, "governance: training")
    training.load(session, cast, rng)
    options.progress(4, 5, "governance: progress history")
    register.history(session, commitments, timelines)
    session.flush()
    options.progress(5, 5, "governance")
