"""The mutable working schedule: who meets whom in which slot, with O(1) feasibility checks."""

from __future__ import annotations

import heapq

from .problem import Problem


class Agenda:
    """A feasible partial assignment of requests to slots (tables are numbered at the end).

    Every method keeps it feasible: one meeting per person per slot, only common slots, caps,
    tables per slot, each request at most once.
    """

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        n_people, n_slots = len(problem.person_ids), problem.n_slots
        self.slot_of = [-1] * problem.n_requests
        self.busy = [0] * n_people
        self.count = [0] * n_people
        self.at: list[dict[int, int]] = [{} for _ in range(n_people)]
        self.load = [0] * n_slots
        self.members: list[set[int]] = [set() for _ in range(n_slots)]
        self.open_mask = sum(1 << k for k in range(n_slots) if problem.tables[k] > 0)
        # Per slot, (score, request) of movable meetings placed there; stale entries are skipped.
        self.heaps: list[list[tuple[float, int]]] = [[] for _ in range(n_slots)]
        # (request, slot, +1 placed / -1 removed) since the last `mark`, for `rollback`.
        self.journal: list[tuple[int, int, int]] = []

    def mark(self) -> int:
        """Start (or nest) a tentative change; pass the result to `rollback` to undo it."""
        return len(self.journal)

    def rollback(self, mark: int) -> None:
        """Undo every place/remove since `mark`."""
        while len(self.journal) > mark:
            r, k, sign = self.journal.pop()
            if sign > 0:
                self.remove(r)
            else:
                self.place(r, k)
            self.journal.pop()

    def delta_since(self, mark: int) -> float:
        """Change in score made by the journal entries after `mark`."""
        score = self.problem.score
        return sum(sign * score(r, k) for r, k, sign in self.journal[mark:])

    def commit(self) -> None:
        """Forget the journal (the current state is accepted)."""
        self.journal.clear()

    def copy(self) -> Agenda:
        """An independent copy (used to keep the best schedule found so far)."""
        other = Agenda.__new__(Agenda)
        other.problem = self.problem
        other.slot_of = list(self.slot_of)
        other.busy = list(self.busy)
        other.count = list(self.count)
        other.at = [dict(d) for d in self.at]
        other.load = list(self.load)
        other.members = [set(s) for s in self.members]
        other.open_mask = self.open_mask
        other.heaps = [list(h) for h in self.heaps]
        other.journal = []
        return other

    def has_room(self, r: int) -> bool:
        """Whether both people of unscheduled request `r` are below their meeting cap."""
        p = self.problem
        return self.count[p.req_a[r]] < p.cap[p.req_a[r]] and self.count[p.req_b[r]] < p.cap[p.req_b[r]]

    def free_slots(self, r: int) -> int:
        """Mask of slots where `r` could be placed now without moving anything."""
        p = self.problem
        a, b = p.req_a[r], p.req_b[r]
        return p.common[r] & ~self.busy[a] & ~self.busy[b] & self.open_mask

    def place(self, r: int, k: int) -> None:
        """Put unscheduled request `r` in slot `k` (caller has checked feasibility)."""
        p = self.problem
        for person in (p.req_a[r], p.req_b[r]):
            self.busy[person] |= 1 << k
            self.count[person] += 1
            self.at[person][k] = r
        self.slot_of[r] = k
        self.load[k] += 1
        self.members[k].add(r)
        if self.load[k] >= p.tables[k]:
            self.open_mask &= ~(1 << k)
        self.journal.append((r, k, 1))
        if r not in p.pinned:
            heapq.heappush(self.heaps[k], (p.score(r, k), r))

    def remove(self, r: int) -> int:
        """Take scheduled request `r` out; returns the slot it was in."""
        p = self.problem
        k = self.slot_of[r]
        for person in (p.req_a[r], p.req_b[r]):
            self.busy[person] &= ~(1 << k)
            self.count[person] -= 1
            del self.at[person][k]
        self.slot_of[r] = -1
        self.load[k] -= 1
        self.members[k].discard(r)
        self.open_mask |= 1 << k
        self.journal.append((r, k, -1))
        return k

    def cheapest(self, k: int, exclude: set[int]) -> int | None:
        """Lightest movable meeting in slot `k` outside `exclude` (ties: lowest index)."""
        heap, held = self.heaps[k], []
        found = None
        while heap:
            r = heap[0][1]
            if self.slot_of[r] != k:
                heapq.heappop(heap)  # stale: moved or removed since it was pushed
            elif r in exclude:
                held.append(heapq.heappop(heap))
            else:
                found = r
                break
        for item in held:
            heapq.heappush(heap, item)
        return found

    def scheduled(self) -> list[int]:
        """Indices of the scheduled requests."""
        return [r for r, k in enumerate(self.slot_of) if k >= 0]

    def value(self) -> float:
        """Internal score: total weight plus the bonus for previous meetings kept in place."""
        p = self.problem
        return sum(p.score(r, k) for r, k in enumerate(self.slot_of) if k >= 0)

    def weight(self) -> float:
        """Total weight of the scheduled requests (the reported objective)."""
        return sum(self.problem.weight[r] for r, k in enumerate(self.slot_of) if k >= 0)


def place_pinned(agenda: Agenda) -> None:
    """Put every pinned meeting where it was (validation has checked it fits)."""
    for r, (k, _table) in agenda.problem.pinned.items():
        agenda.place(r, k)


def bits(mask: int) -> list[int]:
    """Slot indices set in `mask`, lowest first."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out
