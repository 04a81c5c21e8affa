"""The organiser's phases: draft → open → requests_closed → provisional → final (with two steps back)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kakehashi.kernel import audit
from kakehashi.kernel.authz import Actor
from kakehashi.kernel.clock import utcnow
from kakehashi.kernel.i18n import N_
from kakehashi.matchmaking.errors import WrongPhase
from kakehashi.matchmaking.events import get_event, require_organiser, slots_of
from kakehashi.matchmaking.models import Event
from kakehashi.matchmaking.models.event import Phase
from kakehashi.matchmaking.participation import close_pending_requests
from kakehashi.matchmaking.planning import announce_schedule, latest_run

TRANSITIONS = frozenset({
    (Phase.DRAFT, Phase.OPEN), (Phase.OPEN, Phase.REQUESTS_CLOSED), (Phase.REQUESTS_CLOSED, Phase.OPEN),
    (Phase.REQUESTS_CLOSED, Phase.PROVISIONAL), (Phase.PROVISIONAL, Phase.FINAL),
    (Phase.PROVISIONAL, Phase.REQUESTS_CLOSED),
})


def next_phases(event: Event) -> list[Phase]:
    """The phases the organiser may move the event to from where it is."""
    return [to for (frm, to) in sorted(TRANSITIONS) if frm == event.phase]


def advance_phase(session: Session, event_id: int, *, actor: Actor, to: str) -> Event:
    """Move the event to phase `to`.

    Opening needs slots; closing requests expires every unanswered one (so none blocks a slot); the
    provisional phase needs a schedule run; making it final tells everyone their agenda is ready.
    """
    event = get_event(session, event_id)
    require_organiser(actor, event)
    if to not in Phase.__members__.values() or (Phase(event.phase), Phase(to)) not in TRANSITIONS:
        raise WrongPhase(N_("The event cannot move to that phase from here."), field="phase")
    if to == Phase.OPEN and not slots_of(session, event.id):
        raise WrongPhase(N_("Add a meetings session first: the event has no slots."), field="phase")
    if to == Phase.PROVISIONAL and latest_run(session, event.id) is None:
        raise WrongPhase(N_("Run the scheduler first."), field="phase")
    if to == Phase.REQUESTS_CLOSED and event.phase == Phase.OPEN:
        close_pending_requests(session, event, now=utcnow())
    previous, event.phase = event.phase, to
    if to == Phase.FINAL:
        announce_schedule(session, event)
    audit.record(session, actor, "matchmaking.event.phase", target_type="matchmaking_event", target_id=event.id,
                 details={"from": previous, "to": to})
    return event
