"""The process-wide index kept in step with the database, one per database binding.

Each query first compares cheap stamps (row count, newest change) with what the index has seen and
applies only the changes; a count that disagrees after that (rows deleted, a transaction rolled back)
triggers a full reload, as does age. Several processes each keep their own copy in step this way.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from kakehashi.matchmaking.recommend.engine import RecommendationIndex
from kakehashi.matchmaking.recommend.queries import (
    Stamp,
    feedback_stamp,
    profile_stamp,
    stored_exposure,
    stored_feedback,
    stored_profiles,
)  # fmt: skip

FULL_RELOAD_SECONDS = 600.0
EXPOSURE_RELOAD_SECONDS = 30.0


class LiveIndex:
    """A RecommendationIndex plus the stamps it was synchronised to."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.index = RecommendationIndex()
        self.lock = threading.RLock()
        self._clock = clock
        self._profiles = Stamp(0, None)
        self._feedback = Stamp(0, None)
        self._loaded_at = float("-inf")
        self._exposure_at = float("-inf")

    def sync(self, session: Session) -> None:
        """Bring the index up to date with the database (call with `lock` held)."""
        now = self._clock()
        if now - self._loaded_at > FULL_RELOAD_SECONDS:
            self._reload(session, now)
            return
        self._sync_profiles(session, now)
        self._sync_feedback(session)
        if now - self._exposure_at > EXPOSURE_RELOAD_SECONDS:
            self._load_exposure(session, now)

    def _reload(self, session: Session, now: float) -> None:
        self.index = RecommendationIndex(stored_profiles(session))
        self._profiles = profile_stamp(session)
        self._feedback = Stamp(0, None)
        self._sync_feedback(session)
        self._load_exposure(session, now)
        self._loaded_at = now

    def _sync_profiles(self, session: Session, now: float) -> None:
        stamp = profile_stamp(session)
        if stamp == self._profiles:
            return
        since = self._profiles.newest
        for record in stored_profiles(session, since=since if isinstance(since, dt.datetime) else None):
            self.index.upsert(record)
        if len(self.index) != stamp.count:  # something was deleted or rolled back
            self._reload(session, now)
            return
        self._profiles = stamp

    def _sync_feedback(self, session: Session) -> None:
        stamp = feedback_stamp(session)
        if stamp == self._feedback:
            return
        newest = self._feedback.newest
        after_id = newest if isinstance(newest, int) and stamp.count >= self._feedback.count else 0
        incremental = after_id > 0
        if not incremental:
            self.index.feedback.clear()
        for requester, partner, verdict in stored_feedback(session, after_id=after_id):
            self.index.feedback.record(requester, partner, verdict)
        self._feedback = stamp
        if incremental and self._count_verdicts() != stamp.count:
            self._feedback = Stamp(-1, None)  # withdrawn and re-given verdicts: reload them all
            self._sync_feedback(session)

    def _count_verdicts(self) -> int:
        return self.index.feedback.size()

    def _load_exposure(self, session: Session, now: float) -> None:
        for org_id, exposure in stored_exposure(session).items():
            self.index.set_exposure(org_id, float(exposure))
        self._exposure_at = now


_HOLDERS: weakref.WeakKeyDictionary[object, LiveIndex] = weakref.WeakKeyDictionary()
_HOLDERS_LOCK = threading.Lock()


@contextmanager
def live_index(session: Session) -> Iterator[RecommendationIndex]:
    """The synchronised index for this session's database, locked for the duration of the block."""
    bind = session.get_bind()
    with _HOLDERS_LOCK:
        holder = _HOLDERS.get(bind)
        if holder is None:
            holder = _HOLDERS[bind] = LiveIndex()
    with holder.lock:
        holder.sync(session)
        yield holder.index
