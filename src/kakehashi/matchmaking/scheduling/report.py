"""Why a request stayed out, and how far the new schedule departs from the previous one."""

from __future__ import annotations

from .agenda import Agenda, bits
from .model import Meeting, Unscheduled


def unscheduled(agenda: Agenda) -> list[Unscheduled]:
    """Every request left out, heaviest first, with a machine reason and a readable detail."""
    p = agenda.problem
    out = []
    for r in sorted(range(p.n_requests), key=lambda r: (-p.weight[r], r)):
        if agenda.slot_of[r] >= 0:
            continue
        a, b = p.person_ids[p.req_a[r]], p.person_ids[p.req_b[r]]
        reason, detail = _reason(agenda, r)
        out.append(Unscheduled(a=a, b=b, weight=p.weight[r], reason=reason, detail=detail))
    return out


def _reason(agenda: Agenda, r: int) -> tuple[str, str]:
    p = agenda.problem
    ends = (p.req_a[r], p.req_b[r])
    names = [p.person_ids[i] for i in ends]
    if not p.common[r]:
        return "no_common_slot", f"{names[0]} and {names[1]} share no available slot"
    for person in ends:
        if agenda.count[person] >= p.cap[person]:
            return "max_meetings", f"{p.person_ids[person]} is at their limit of {p.cap[person]} meetings"
    blocked = [p.slot_ids[k] for k in bits(p.common[r])]
    return (
        "no_free_slot",
        f"in every common slot ({', '.join(blocked)}) one of them is busy or the tables are full",
    )


def disruption(agenda: Agenda, meetings: list[Meeting]) -> tuple[int, int, int]:
    """(moved, dropped, cancelled) previous meetings: moved = other slot or table."""
    p = agenda.problem
    placed = {frozenset((m.a, m.b)): (m.slot, m.table) for m in meetings}
    moved = dropped = cancelled = 0
    for old in p.instance.existing:
        pair = frozenset((old.a, old.b))
        if p.request_of(p.person_index[old.a], p.person_index[old.b]) is None:
            cancelled += 1
        elif pair not in placed:
            dropped += 1
        else:
            slot, table = placed[pair]
            if slot != old.slot or (old.table is not None and table != old.table):
                moved += 1
    return moved, dropped, cancelled
