"""What requesters told us about recommended partners, and how it bends their next query (Rocchio).

"Request a meeting" pulls the requester's seek vector towards what that partner offers, so similar
partners rise; "not interested" removes the partner and pushes the vector away from what it offers.
Vectors are centred on the index mean first: e5 vectors share a large common direction, and without
centring the push and pull would mostly cancel.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from kakehashi.matchmaking.recommend.embedding import Vector, unit_rows
from kakehashi.matchmaking.recommend.records import Verdict
from kakehashi.matchmaking.recommend.scoring import Tuning


class FeedbackMemory:
    """Latest verdict per (requester, partner), in the order given."""

    def __init__(self) -> None:
        self._verdicts: dict[int, dict[int, Verdict]] = {}

    def record(self, requester: int, partner: int, verdict: Verdict) -> None:
        """Remember a verdict; a later verdict on the same partner replaces the earlier one."""
        verdicts = self._verdicts.setdefault(requester, {})
        verdicts.pop(partner, None)  # re-insert so the newest verdict is last
        verdicts[partner] = verdict

    def replace(self, requester: int, verdicts: list[tuple[int, Verdict]]) -> None:
        """Set all of a requester's verdicts at once, oldest first (as loaded from the database)."""
        self._verdicts[requester] = dict(verdicts)

    def forget(self, requester: int, partner: int) -> None:
        """Drop a verdict (the requester undid it)."""
        self._verdicts.get(requester, {}).pop(partner, None)

    def partners(self, requester: int, verdict: Verdict, *, last: int | None = None) -> list[int]:
        """Partners with this verdict from this requester, oldest first, optionally only the last few."""
        found = [p for p, v in self._verdicts.get(requester, {}).items() if v is verdict]
        return found[-last:] if last else found

    def declined(self, requester: int) -> set[int]:
        """Partners the requester marked "not interested": they are never recommended to them again."""
        return set(self.partners(requester, Verdict.NOT_INTERESTED))


def centred_direction(vectors: Iterable[Vector], mean: Vector) -> Vector | None:
    """Unit direction of the mean of the centred unit vectors, or None when there are none."""
    rows = [vector - mean for vector in vectors]
    if not rows:
        return None
    centred = unit_rows(np.stack(rows).astype(np.float32))
    return unit_rows(centred.mean(axis=0, dtype=np.float32)[None, :])[0]


def shaped_query(seek: Vector | None, liked: list[Vector], disliked: list[Vector], mean: Vector,
                 tuning: Tuning) -> Vector | None:
    """The forward query: centred seek + like_weight·liked − dislike_weight·disliked (None when empty)."""
    own = centred_direction([seek], mean) if seek is not None else None
    return shaped_direction(own, liked, disliked, mean, tuning)


def shaped_direction(own: Vector | None, liked: list[Vector], disliked: list[Vector], mean: Vector,
                     tuning: Tuning) -> Vector | None:
    """Like `shaped_query`, for a requester whose own direction is already centred (e.g. a person's blend)."""
    parts: list[Vector] = []
    if own is not None:
        parts.append(own)
    pull = centred_direction(liked, mean)
    if pull is not None:
        parts.append(np.float32(tuning.like_weight) * pull)
    push = centred_direction(disliked, mean)
    if push is not None:
        parts.append(np.float32(-tuning.dislike_weight) * push)
    if not parts:
        return None
    return np.sum(parts, axis=0, dtype=np.float32)


def blended_direction(personal: Vector | None, organisation: Vector | None, mean: Vector,
                      weight: float) -> Vector | None:
    """Unit blend of two centred directions: `weight` for the person's own, the rest for their organisation's.

    Each side is centred and scaled to unit length first, so the weight decides the mix whatever the
    vectors' spread; a missing side leaves the other alone (None when both are missing).
    """
    mine = centred_direction([personal], mean) if personal is not None else None
    theirs = centred_direction([organisation], mean) if organisation is not None else None
    if mine is None or theirs is None:
        return mine if mine is not None else theirs
    mixed = np.float32(weight) * mine + np.float32(1.0 - weight) * theirs
    return unit_rows(mixed[None, :].astype(np.float32))[0]
