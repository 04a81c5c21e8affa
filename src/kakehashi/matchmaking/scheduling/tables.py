"""Number the tables in each slot 1..n, leaving a kept previous meeting at its old table."""

from __future__ import annotations

from .agenda import Agenda
from .model import Meeting


def number_tables(agenda: Agenda) -> list[Meeting]:
    """Meetings with table numbers, ordered by slot time and then table."""
    p = agenda.problem
    meetings: list[Meeting] = []
    for k in range(p.n_slots):
        taken: dict[int, int] = {}
        rest = []
        for r in sorted(agenda.members[k]):
            home = p.home.get(r)
            wanted = home[1] if home is not None and home[0] == k else None
            if wanted is not None and wanted <= p.tables[k] and wanted not in taken:
                taken[wanted] = r
            else:
                rest.append(r)
        free = (t for t in range(1, len(agenda.members[k]) + len(taken) + 1) if t not in taken)
        for r in rest:
            taken[next(free)] = r
        for table in sorted(taken):
            r = taken[table]
            a, b = p.person_ids[p.req_a[r]], p.person_ids[p.req_b[r]]
            meetings.append(Meeting(a=a, b=b, slot=p.slot_ids[k], table=table))
    return meetings
