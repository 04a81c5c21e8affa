"""The process-wide index kept in step with the database, one per database binding.

Before each query the holder compares a cheap stamp of the profiles (row count, newest change) with
what its index has seen and applies only the changes: changed rows are upserted, vanished ids removed.
A full rebuild happens on first use and then hourly (to catch rows committed late by long
transactions); it is built outside the lock, so queries keep using the old index meanwhile. Several
processes each keep their own copy in step this way. Feedback is not kept in step here: a query reads
its requester's own verdicts each time.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session

from kakehashi.matchmaking.recommend.engine import RecommendationIndex
from kakehashi.matchmaking.recommend.models import RecoProfile
from kakehashi.matchmaking.recommend.queries import Stamp, profile_stamp, stored_exposure, stored_profiles

FULL_RELOAD_SECONDS = 3600.0
EXPOSURE_RELOAD_SECONDS = 30.0


class LiveIndex:
    """A RecommendationIndex plus the stamp it was synchronised to."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.index = RecommendationIndex()
        self.lock = threading.RLock()
        self._clock = clock
        self._profiles = Stamp(0, None)
        self._loaded_at: float | None = None
        self._exposure_at = float("-inf")
        self._rebuilding = False

    def sync(self, session: Session) -> None:
        """Bring the index up to date with the database."""
        now = self._clock()
        with self.lock:
            if self._loaded_at is None:  # nothing to serve yet: build while holding the lock
                self._install(self._build(session), now, session)
                return
            rebuild = now - self._loaded_at > FULL_RELOAD_SECONDS and not self._rebuilding
            self._rebuilding = self._rebuilding or rebuild
            if not rebuild:
                self._catch_up(session, now)
                return
        try:
            fresh = self._build(session)
        finally:
            self._rebuilding = False
        with self.lock:
            self._install(fresh, now, session)

    def _build(self, session: Session) -> tuple[RecommendationIndex, Stamp]:
        stamp = profile_stamp(session)
        return RecommendationIndex(stored_profiles(session)), stamp

    def _install(self, built: tuple[RecommendationIndex, Stamp], now: float, session: Session) -> None:
        self.index, self._profiles = built
        self._loaded_at = now
        self._exposure_at = float("-inf")
        self._catch_up(session, now)

    def _catch_up(self, session: Session, now: float) -> None:
        stamp = profile_stamp(session)
        if stamp != self._profiles:
            since = self._profiles.newest
            for record in stored_profiles(session, since=since if isinstance(since, dt.datetime) else None):
                self.index.upsert(record)
            if len(self.index) != stamp.count:  # rows deleted (or rolled back): drop what is gone
                present = set(session.scalars(select(RecoProfile.org_id)))
                for org_id in [org_id for org_id in self.index.org_ids() if org_id not in present]:
                    self.index.remove(org_id)
            self._profiles = stamp
        if now - self._exposure_at > EXPOSURE_RELOAD_SECONDS:
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
    holder.sync(session)
    with holder.lock:
        yield holder.index
