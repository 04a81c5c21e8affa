"""Who acts in an exchange: the party an actor discloses for, and the requester the engine sees.

A party is a ministry (its officers share for it: "METI") or an organisation (its people share for it:
the organisation id as text). An organisation's side is its country.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from kakehashi import registry
from kakehashi.exchange.policy import AccessRequest
from kakehashi.kernel.authz import NODAL_MINISTRY, Actor, Side


@dataclass(frozen=True, slots=True)
class Party:
    """The party an actor belongs to, with its side."""

    code: str
    side: str


def party_of(session: Session, actor: Actor) -> Party | None:
    """The actor's party: their organisation, else their ministry; None for the platform itself."""
    if actor.org_id is not None:
        org = registry.get_organisation(session, actor.org_id)
        if org is not None:
            return Party(str(org.id), org.country)
    if actor.ministry is not None and actor.side is not None:
        return Party(actor.ministry.value, actor.side.value)
    return None


def side_of(session: Session, actor: Actor) -> str:
    """The actor's side (an officer's own, an organisation's country), or "" if none."""
    if actor.side is not None:
        return actor.side.value
    party = party_of(session, actor)
    return party.side if party is not None else ""


def participant_of_side(side: str) -> str | None:
    """The MoC participant (METI, MEITY) of a side, or None."""
    try:
        return NODAL_MINISTRY[Side(side)].value
    except ValueError:
        return None


def access_request(session: Session, actor: Actor, *, action: str, purpose: str, at: dt.datetime) -> AccessRequest:
    """The request the decision engine sees for this actor."""
    return AccessRequest(
        user_id=str(actor.user_id) if actor.user_id is not None else "",
        org_id=str(actor.org_id) if actor.org_id is not None else "",
        side=side_of(session, actor),
        ministry=actor.ministry.value if actor.ministry is not None else None,
        action=action, purpose=purpose, at=at,
    )
