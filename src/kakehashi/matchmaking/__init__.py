"""Matchmaking: partnering opportunities, startups and investors, events with 1:1 meetings, agendas.

Public surface for other contexts (and the recommender sub-package):
- `published_opportunity_texts(session)` → [(org id, kind, text)] of every live named (not anonymous)
  opportunity; `OFFER_KINDS` tells which kinds describe an offer (the rest describe a need);
  `on_texts_withdrawn(listener)` is told when an organisation's live texts may have shrunk.
- `meeting_request_path(org_id)`: the page where the signed-in person asks that organisation for a
  meeting in an event both take part in.
"""

from kakehashi.matchmaking.models.opportunity import OFFER_KINDS
from kakehashi.matchmaking.opportunities import on_texts_withdrawn, published_opportunity_texts


def meeting_request_path(org_id: int) -> str:
    """Where to ask an organisation for a meeting (lists the events both take part in)."""
    return f"/matchmaking/meet/{org_id}"


__all__ = ["OFFER_KINDS", "meeting_request_path", "on_texts_withdrawn", "published_opportunity_texts"]
