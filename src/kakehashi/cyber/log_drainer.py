"""The server's log drainer: within half a second of TAXII requests queueing evidence, append it to the transparency log
in one batch, in a background thread (requests never wait for the log's signature).
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.orm import Session, sessionmaker

from kakehashi.cyber import ledger
from kakehashi.db import unit_of_work

log = logging.getLogger("kakehashi.cyber.ledger")
BATCH = 2000


class LogDrainer:
    """Coalesces `kick()`s arriving within `delay` seconds into one drain of the outbox."""

    def __init__(self, sessions: sessionmaker[Session], delay: float = 0.5) -> None:
        self.sessions = sessions
        self.delay = delay
        self._lock = threading.Lock()
        self._scheduled = False
        self._dirty = False

    def kick(self) -> None:
        """Note that evidence was queued; drain soon unless a drain is already on its way."""
        with self._lock:
            self._dirty = True
            if self._scheduled:
                return
            self._scheduled = True
        timer = threading.Timer(self.delay, self._run)
        timer.daemon = True
        timer.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                self._dirty = False
            try:
                with unit_of_work(self.sessions) as session:
                    drained = ledger.drain(session, limit=BATCH)
            except Exception:  # the job `cyber.log_outbox` retries; never kill the server thread
                log.exception("draining the TAXII evidence outbox failed")
                drained = 0
            with self._lock:
                if drained < BATCH and not self._dirty:
                    self._scheduled = False
                    return
