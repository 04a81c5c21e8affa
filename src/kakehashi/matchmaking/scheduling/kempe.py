"""Kempe-chain moves: swap two slots along an alternating path of meetings to free a slot.

Meetings in slots α and β form paths and cycles (each person has at most one meeting in each).
Swapping α and β on the path that starts at a person keeps everyone single-booked and frees α for
that person, provided every meeting on the path may take place in both slots and the tables of α
and β still suffice afterwards.
"""

from __future__ import annotations

from .agenda import Agenda, bits

MAX_CHAIN = 64
#: Slot pairs tried per insertion before giving up (bounds the cost on crowded agendas).
MAX_TRIES = 48


def chain(agenda: Agenda, start: int, alpha: int, beta: int) -> list[int] | None:
    """Meetings on the α/β path leaving `start` through its α meeting, or None if not swappable."""
    p = agenda.problem
    both = (1 << alpha) | (1 << beta)
    edges: list[int] = []
    person, colour, other = start, alpha, beta
    while True:
        e = agenda.at[person].get(colour)
        if e is None:
            return edges
        if p.common[e] & both != both or e in p.pinned or len(edges) >= MAX_CHAIN:
            return None
        edges.append(e)
        person = p.req_b[e] if p.req_a[e] == person else p.req_a[e]
        colour, other = other, colour
        if person == start:
            return None  # closed cycle through the start: swapping frees nothing


def component(agenda: Agenda, e: int, alpha: int, beta: int) -> list[int] | None:
    """All meetings in the α/β path or cycle through meeting `e`, or None if not swappable."""
    p = agenda.problem
    both = (1 << alpha) | (1 << beta)
    if p.common[e] & both != both or e in p.pinned:
        return None
    edges, seen = [e], {e}
    for end in (p.req_a[e], p.req_b[e]):
        person = end
        colour = beta if agenda.slot_of[e] == alpha else alpha
        while True:
            nxt = agenda.at[person].get(colour)
            if nxt is None or nxt in seen:
                break
            if p.common[nxt] & both != both or nxt in p.pinned or len(edges) >= MAX_CHAIN:
                return None
            edges.append(nxt)
            seen.add(nxt)
            person = p.req_b[nxt] if p.req_a[nxt] == person else p.req_a[nxt]
            colour = alpha if colour == beta else beta
    return edges


def swap_gain(agenda: Agenda, edges: list[int], alpha: int, beta: int) -> float:
    """Change in score if the chain's meetings trade slots α and β (home bonuses may move)."""
    p = agenda.problem
    gain = 0.0
    for e in edges:
        old = agenda.slot_of[e]
        new = beta if old == alpha else alpha
        gain += p.score(e, new) - p.score(e, old)
    return gain


def loads_after(agenda: Agenda, edges: list[int], alpha: int, beta: int) -> tuple[int, int]:
    """Loads of α and β after the swap."""
    in_alpha = sum(1 for e in edges if agenda.slot_of[e] == alpha)
    moved = len(edges) - 2 * in_alpha
    return agenda.load[alpha] + moved, agenda.load[beta] - moved


def apply_swap(agenda: Agenda, edges: list[int], alpha: int, beta: int) -> None:
    """Swap the chain's slots (caller has checked tables and availability)."""
    targets = [beta if agenda.slot_of[e] == alpha else alpha for e in edges]
    for e in edges:
        agenda.remove(e)
    for e, k in zip(edges, targets, strict=True):
        agenda.place(e, k)


def kempe_insert(agenda: Agenda, r: int, *, min_gain: float = 1e-9) -> bool:
    """Place unscheduled `r` (both people below cap) by one chain swap; True if it improved."""
    p = agenda.problem
    ends = (p.req_a[r], p.req_b[r])
    tries = MAX_TRIES
    for first, second in (ends, ends[::-1]):
        # α: free for `first`, busy for `second`; the chain from `second` clears α.
        alphas = p.common[r] & ~agenda.busy[first] & agenda.busy[second]
        betas = ~agenda.busy[second] & p.avail[second]
        for alpha in bits(alphas):
            blocker = agenda.at[second][alpha]
            # β must suit the blocking meeting; if α's tables are full the chain must end in α,
            # which moves one meeting into β, so β needs a free table.
            candidates = betas & p.common[blocker] & ~(1 << alpha)
            if agenda.load[alpha] >= p.tables[alpha]:
                candidates &= agenda.open_mask
            for beta in bits(candidates):
                if _try_swap(agenda, r, first, second, alpha, beta, min_gain):
                    return True
                tries -= 1
                if tries <= 0:
                    return False
    return False


def _try_swap(agenda: Agenda, r: int, first: int, second: int, alpha: int, beta: int, min_gain: float) -> bool:
    p = agenda.problem
    edges = chain(agenda, second, alpha, beta)
    if not edges:
        return False
    touched = {p.req_a[e] for e in edges} | {p.req_b[e] for e in edges}
    if first in touched:
        return False  # odd cycle (same-side meetings): the swap would double-book `first`
    load_alpha, load_beta = loads_after(agenda, edges, alpha, beta)
    if load_alpha + 1 > p.tables[alpha] or load_beta > p.tables[beta]:
        return False
    if swap_gain(agenda, edges, alpha, beta) + p.score(r, alpha) < min_gain:
        return False
    apply_swap(agenda, edges, alpha, beta)
    agenda.place(r, alpha)
    return True
