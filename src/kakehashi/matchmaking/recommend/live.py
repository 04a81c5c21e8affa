"""The process-wide index kept in step with the database, one per database binding.

Each query first compares a cheap stamp of the profiles (row count, newest change) with what the index
has seen and applies only the changes; a count that disagrees after that (rows deleted, a transaction
rolled back) triggers a full reload, as does age. Several processes each keep their own copy in step
this way. Feedback is not synchronised here: a query reads its requester's own verdicts each time.
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
    profile_stamp,
    stored_exposure,
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
        self._loaded_at = float("-inf")
        self._exposure_at = float("-inf")

    def sync(self, session: Session) -> None:
        """Bring the index up to date with the database (call with `lock` held)."""
        now = self._clock()
        if now - self._loaded_at > FULL_RELOAD_SECONDS:
            self._reload(session, now)
            return
        self._sync_profiles(session, now)
        if now - self._exposure_at > EXPOSURE_RELOAD_SECONDS:
            self._load_exposure(session, now)

    def _reload(self, session: Session, now: float) -> None:
        self.index = RecommendationIndex(stored_profiles(session))
        self._profiles = profile_stamp(session)
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
