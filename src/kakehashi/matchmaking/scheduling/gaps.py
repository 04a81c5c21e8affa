"""Idle gaps (the secondary objective) and moves that shrink them without losing any score.

A gap is an available slot with no meeting that lies between two meetings of the same person on
the same day; a person who is away in that slot has no gap there.
"""

from __future__ import annotations

from .agenda import Agenda, bits
from .deadline import Deadline
from .kempe import apply_swap, component, loads_after, swap_gain


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
            for e in sorted(agenda.at[person].values()):
                if e not in p.pinned and _improve_meeting(agenda, e, days):
                    improved = True
            agenda.commit()
        if not improved:
            break
    return True


def _improve_meeting(agenda: Agenda, e: int, days: list[int]) -> bool:
    p = agenda.problem
    k = agenda.slot_of[e]
    if k < 0:
        return False
    for target in bits(p.common[e] & ~(1 << k)):
        if p.score(e, target) < p.score(e, k):
            continue
        if agenda.free_slots(e) >> target & 1 and _single_move_gain(agenda, e, target, days) > 0:
            agenda.remove(e)
            agenda.place(e, target)
            return True
    return any(_kempe_move(agenda, e, k, target, days) for target in bits(p.common[e] & ~(1 << k)))


def _single_move_gain(agenda: Agenda, e: int, target: int, days: list[int]) -> int:
    p = agenda.problem
    k = agenda.slot_of[e]
    flip = (1 << k) | (1 << target)
    gain = 0
    for person in (p.req_a[e], p.req_b[e]):
        before = person_gaps(p.avail[person], agenda.busy[person], days)
        gain += before - person_gaps(p.avail[person], agenda.busy[person] ^ flip, days)
    return gain


def _kempe_move(agenda: Agenda, e: int, alpha: int, beta: int, days: list[int]) -> bool:
    p = agenda.problem
    edges = component(agenda, e, alpha, beta)
    if not edges or len(edges) < 2:
        return False
    load_alpha, load_beta = loads_after(agenda, edges, alpha, beta)
    if load_alpha > p.tables[alpha] or load_beta > p.tables[beta]:
        return False
    if swap_gain(agenda, edges, alpha, beta) < -1e-9:
        return False
    touched = sorted({p.req_a[x] for x in edges} | {p.req_b[x] for x in edges})
    before = sum(person_gaps(p.avail[i], agenda.busy[i], days) for i in touched)
    mark = agenda.mark()
    apply_swap(agenda, edges, alpha, beta)
    after = sum(person_gaps(p.avail[i], agenda.busy[i], days) for i in touched)
    if after < before:
        return True
    agenda.rollback(mark)
    return False
