"""Idle gaps (the secondary objective) and moves that shrink them without losing any score.

A gap is an available slot with no meeting that lies between two meetings of the same person on
the same day; a person who is away in that slot has no gap there.
"""

from __future__ import annotations

from .agenda import Agenda, bits
from .deadline import Deadline
from .kempe import apply_swap, component, loads_after, swap_gain

#: Meetings of a crowded slot examined for a counter-move when a gap move overflows its tables.
PARTNER_SCAN = 160


def person_gaps(avail: int, busy: int, days: list[int]) -> int:
    """Idle available slots between a person's first and last meeting of each day."""
    total = 0
    for day in days:
        booked = busy & day
        if booked & (booked - 1):
            low = booked & -booked
            high = 1 << (booked.bit_length() - 1)
            total += (((high << 1) - low) & avail & ~busy).bit_count()
    return total


def total_gaps(agenda: Agenda) -> int:
    """Idle gaps summed over everyone."""
    p, days = agenda.problem, agenda.problem.day_masks
    return sum(person_gaps(p.avail[i], agenda.busy[i], days) for i in range(len(p.person_ids)))


def reduce_gaps(agenda: Agenda, deadline: Deadline, *, passes: int = 4) -> bool:
    """Move meetings (alone or along Kempe chains) while gaps fall and score does not; False if cut."""
    p, days = agenda.problem, agenda.problem.day_masks
    for _ in range(passes):
        improved = False
        for person in range(len(p.person_ids)):
            if person % 64 == 0 and deadline.expired():
                return False
            if person_gaps(p.avail[person], agenda.busy[person], days) == 0:
                continue
            for e, targets in _candidate_moves(agenda, person):
                if any(_try_target(agenda, e, agenda.slot_of[e], t, days) for t in bits(targets)):
                    improved = True
            agenda.commit()
        if not improved:
            break
    return True


def _candidate_moves(agenda: Agenda, person: int) -> list[tuple[int, int]]:
    """(meeting, target slots) that can shrink the person's gaps: a meeting of a day with gaps moving
    into a gap of that day or just past either end of its block; a first or last meeting anywhere."""
    p = agenda.problem
    moves = []
    for day in p.day_masks:
        booked = agenda.busy[person] & day
        if not booked & (booked - 1):
            continue
        low = booked & -booked
        high = 1 << (booked.bit_length() - 1)
        holes = ((high << 1) - low) & p.avail[person] & ~agenda.busy[person]
        if not holes:
            continue
        beyond = ((low >> 1) | (high << 1)) & day & p.avail[person] & ~agenda.busy[person]
        free = p.avail[person] & ~agenda.busy[person]
        for k in bits(booked):
            e = agenda.at[person][k]
            if e in p.pinned:
                continue
            # An end meeting may also leave the day's block altogether (e.g. for another day).
            targets = free if (1 << k) in (low, high) else holes | beyond
            moves.append((e, targets & p.common[e]))
    return moves


def _try_target(agenda: Agenda, e: int, alpha: int, beta: int, days: list[int]) -> bool:
    """Swap α/β on e's chain (a lone meeting just moves) if gaps fall; pair it if tables overflow."""
    p = agenda.problem
    first = _evaluate(agenda, component(agenda, e, alpha, beta), alpha, beta, days)
    if first is None or first[1] >= 0:
        return False
    edges, change, into_alpha = first
    if agenda.load[alpha] + into_alpha <= p.tables[alpha] and agenda.load[beta] - into_alpha <= p.tables[beta]:
        apply_swap(agenda, edges, alpha, beta)
        return True
    # One slot would overflow by one table: pair it with a lone meeting moving the other way.
    crowded, other = (alpha, beta) if into_alpha > 0 else (beta, alpha)
    partner = _lone_counter_move(agenda, edges, crowded, other, -change, days)
    if partner is None:
        return False
    apply_swap(agenda, edges, alpha, beta)
    agenda.remove(partner)
    agenda.place(partner, other)
    return True


def _lone_counter_move(agenda: Agenda, edges: list[int], crowded: int, other: int, budget: int, days: list[int]) -> int | None:
    """A meeting in `crowded` whose two people are free in `other`, moving it adds < budget gaps."""
    p = agenda.problem
    people = {q for x in edges for q in (p.req_a[x], p.req_b[x])}
    flip = (1 << crowded) | (1 << other)
    for f in sorted(agenda.members[crowded])[:PARTNER_SCAN]:
        a, b = p.req_a[f], p.req_b[f]
        if a in people or b in people or f in p.pinned or not p.common[f] >> other & 1:
            continue
        if (agenda.busy[a] | agenda.busy[b]) >> other & 1 or p.score(f, other) < p.score(f, crowded):
            continue
        added = sum(
            person_gaps(p.avail[q], agenda.busy[q] ^ flip, days) - person_gaps(p.avail[q], agenda.busy[q], days) for q in (a, b)
        )
        if added < budget:
            return f
    return None


def _evaluate(
    agenda: Agenda, edges: list[int] | None, alpha: int, beta: int, days: list[int]
) -> tuple[list[int], int, int] | None:
    """(edges, change in gaps, meetings gained by α) for swapping a chain, None if not allowed."""
    if not edges or swap_gain(agenda, edges, alpha, beta) < -1e-9:
        return None
    p = agenda.problem
    # A person with one meeting in the chain trades α for β; with two (one in each) keeps both.
    ends: dict[int, int] = {}
    for x in edges:
        for person in (p.req_a[x], p.req_b[x]):
            ends[person] = ends.get(person, 0) + 1
    flip = (1 << alpha) | (1 << beta)
    change = 0
    for person, n in ends.items():
        if n == 1:
            busy = agenda.busy[person]
            change += person_gaps(p.avail[person], busy ^ flip, days) - person_gaps(p.avail[person], busy, days)
    load_alpha, _ = loads_after(agenda, edges, alpha, beta)
    return edges, change, load_alpha - agenda.load[alpha]
