"""Build an instrument's original (see `originals`) from the database, and the iCalendar feed of deadlines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.agreement import queries, transparency, witnessing
from kakehashi.agreement.errors import AgreementNotFound
from kakehashi.agreement.lifecycle import Deadline
from kakehashi.agreement.models import Agreement, LogEntry, SignerKey
from kakehashi.agreement.originals import FORMAT
from kakehashi.kernel.i18n import N_


def _logged(session: Session, index: int, size: int) -> dict[str, Any]:
    entry = session.get_one(LogEntry, index)
    return {"index": index, "entry": entry.data, "inclusion_proof": transparency.inclusion(session, index, size).b64()}


def build_original(session: Session, instrument_id: int) -> dict[str, Any]:
    """The self-contained original of a concluded instrument, proven against the latest checkpoint."""
    instrument = queries.get_instrument(session, instrument_id)
    if instrument.log_index is None:
        raise AgreementNotFound(N_("Only a concluded instrument has an original."), code="not_concluded")
    checkpoint = transparency.latest_checkpoint(session)
    assert checkpoint is not None  # a concluded instrument is in the log
    size = checkpoint.size
    kids = [s.kid for s in queries.signatures_of(session, instrument.id)]
    keys = []
    for key in session.scalars(select(SignerKey).where(SignerKey.kid.in_(kids))):
        if key.log_index is None:
            continue
        revoked = key.revoked_at.isoformat() if key.revoked_at else None
        keys.append(
            {"kid": key.kid, "participant": key.participant_code, "revoked_at": revoked, **_logged(session, key.log_index, size)}
        )
    witnesses = [row.vkey for row in witnessing.cosigning_keys(session, checkpoint)]
    return {
        "format": FORMAT,
        "agreement": session.get_one(Agreement, instrument.agreement_id).slug,
        "participants": queries.participant_codes(session, instrument.agreement_id),
        "instrument": {
            "id": instrument.id,
            "type": instrument.type,
            "title": instrument.title,
            "concluded_at": instrument.concluded_at.isoformat() if instrument.concluded_at else None,
            "jws": queries.instrument_jws(session, instrument),
            **_logged(session, instrument.log_index, size),
        },
        "keys": keys,
        "log": {
            "origin": transparency.log_verifier_key(session).name,
            "log_key": transparency.log_verifier_key(session).vkey(),
            "witness_keys": witnesses,
            "checkpoint": checkpoint.note,
        },
    }


def calendar(agreement: Agreement, deadlines: list[Deadline], *, base_url: str, stamp: dt.datetime) -> bytes:
    """An iCalendar feed with one all-day event per deadline (stable UIDs, so updates replace)."""
    cal = Calendar()
    cal.add("prodid", "-//Kakehashi//Agreement deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{agreement.title}: deadlines")
    for deadline in deadlines:
        event = Event()
        event.add("uid", f"{agreement.slug}-{deadline.kind}-{deadline.on.isoformat()}@kakehashi")
        event.add("summary", f"{deadline.title}: {agreement.title}")
        event.add("dtstart", deadline.on)
        event.add("dtend", deadline.on + dt.timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("url", f"{base_url}/agreement/{agreement.slug}")
        cal.add_component(event)
    return bytes(cal.to_ical())
