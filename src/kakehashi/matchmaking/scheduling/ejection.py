"""Ejection moves: make room for a heavier request by removing lighter meetings, then re-place them."""

from __future__ import annotations

from .agenda import Agenda, bits
from .gaps import person_gaps
from .kempe import kempe_insert

TRIES_PER_REQUEST = 3


def place_directly(agenda: Agenda, r: int) -> bool:
    """Place `r` in a free slot, or via one Kempe swap; True if placed."""
    if not agenda.has_room(r):
        return False
    free = agenda.free_slots(r)
    if free:
        agenda.place(r, best_free_slot(agenda, r, free))
        return True
    return kempe_insert(agenda, r)


def best_free_slot(agenda: Agenda, r: int, free: int) -> int:
    """Prefer the previous slot, then the fewest new idle gaps, then the emptiest slot."""
    p = agenda.problem
    home = p.home.get(r)
    if home is not None and free >> home[0] & 1:
        return home[0]
    ends = (p.req_a[r], p.req_b[r])
    before = [person_gaps(p.avail[i], agenda.busy[i], p.day_masks) for i in ends]

    def cost(k: int) -> tuple[int, float, int]:
        added = sum(
            person_gaps(p.avail[i], agenda.busy[i] | 1 << k, p.day_masks) - was for i, was in zip(ends, before, strict=True)
        )
        return (added, agenda.load[k] / p.tables[k], k)

    return min(bits(free), key=cost)


def eject_insert(agenda: Agenda, r: int) -> bool:
    """Try to place `r` by ejecting lighter meetings; keep it only if the score rises."""
    p = agenda.problem
    if hopeless(agenda, r):
        return False
    options = []
    for k in bits(p.common[r]):
        victims = _victims(agenda, r, k)
        if victims is None:
            continue
        loss = sum(p.score(e, agenda.slot_of[e]) for e in victims)
        options.append((p.score(r, k) - loss, k, victims))
    options.sort(key=lambda o: (-o[0], o[1]))
    return any(_apply(agenda, r, k, victims) for _, k, victims in options[:TRIES_PER_REQUEST])


def hopeless(agenda: Agenda, r: int) -> bool:
    """A capped person whose every meeting is at least as heavy as `r` blocks any gain."""
    p = agenda.problem
    for person in (p.req_a[r], p.req_b[r]):
        if agenda.count[person] >= p.cap[person]:
            lightest = min(
                (p.score(e, k) for k, e in agenda.at[person].items() if e not in p.pinned),
                default=None,
            )
            if lightest is None or lightest >= p.weight[r] + p.move_penalty * (r in p.home):
                return True
    return False


def _victims(agenda: Agenda, r: int, k: int) -> set[int] | None:
    p = agenda.problem
    ends = (p.req_a[r], p.req_b[r])
    victims = {agenda.at[person][k] for person in ends if k in agenda.at[person]}
    for person in ends:
        own = sum(1 for e in victims if person in (p.req_a[e], p.req_b[e]))
        if agenda.count[person] - own >= p.cap[person]:
            movable = [e for e in agenda.at[person].values() if e not in victims and e not in p.pinned]
            if not movable:
                return None
            victims.add(min(movable, key=lambda e: (p.score(e, agenda.slot_of[e]), e)))
    in_slot = sum(1 for e in victims if agenda.slot_of[e] == k)
    if agenda.load[k] - in_slot >= p.tables[k]:
        cheapest = agenda.cheapest(k, victims)
        if cheapest is None:
            return None
        victims.add(cheapest)
    if any(e in p.pinned for e in victims):
        return None
    return victims


def _apply(agenda: Agenda, r: int, k: int, victims: set[int]) -> bool:
    p = agenda.problem
    mark = agenda.mark()
    for e in victims:
        agenda.remove(e)
    agenda.place(r, k)
    for e in sorted(victims, key=lambda e: (-p.weight[e], e)):
        place_directly(agenda, e)
    if agenda.delta_since(mark) > 1e-9:
        return True
    agenda.rollback(mark)
    return False
