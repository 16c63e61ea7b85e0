"""``sync --watch``: push then pull, again whenever another station pushes (decision 46); a
round woken by another station pulls first and hands the changes on, then pushes (54).

The server NOTIFYs ``pakn_sync`` when a push commits (the payload: the station's id); a
watching station LISTENs and runs a round at once, unless the push was its own. Polling every
``poll_seconds`` is the fallback (a notification lost with a connection, a local save to
push). A server that cannot be reached is tried again at the next poll; the local saves stay
in the outbox meanwhile. ``stop`` (Ctrl+C, SIGTERM) ends it between two waits of at most
``STOP_CHECK_S`` or after the round in progress.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import errors
from .service import SyncCounts, counts

if TYPE_CHECKING:
    from pakn_desktop.data.sync_notify import Listener
    from pakn_desktop.services.changes import Changes
    from pakn_desktop.services.clock import ClockReading, DeadlineClock
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.evidence.store import EvidenceStore

    from .journal import SyncJournal
    from .push import Pusher

log = logging.getLogger(__name__)

POLL_S = 30.0
STOP_CHECK_S = 0.5


@dataclass(frozen=True)
class Round:
    counts: SyncCounts
    changes: Changes  # what the pull brought, for the GUI's hub
    woken: bool  # by another station's push (else: the first round or the poll)
    clock: ClockReading | None = None  # the station's clock against the server's (the flag)


class Watcher:
    def __init__(
        self,
        database: Database,
        url: str,
        *,
        poll_seconds: float = POLL_S,
        on_round: Callable[[Round], None] | None = None,
        on_pulled: Callable[[Changes], None] | None = None,
        on_offline: Callable[[str], None] | None = None,
        clock: DeadlineClock | None = None,
        files: EvidenceStore | None = None,
        passwords: Callable[[str], str | None] | None = None,
        journal: SyncJournal | None = None,
    ) -> None:
        from .push import Pusher

        self._journal = journal  # the sync log: rounds that moved something, states (53)
        self._pusher: Pusher = Pusher(
            database, url, keep_connection=True, clock=clock, files=files, passwords=passwords
        )
        self._db = database
        self.poll_seconds = poll_seconds
        self._on_round = on_round or (lambda _round: None)
        # What a pull brought, as soon as it is committed here (the round's counts and the
        # push come after): the screens' road (decision 42).
        self._on_pulled = on_pulled or (lambda _changes: None)
        # The server could not be reached this round (its words): the saves wait here.
        self._on_offline = on_offline or (lambda _text: None)
        self._listener: Listener | None = None
        self.listening = threading.Event()  # set while the server's notifications are heard

    def run(self, stop: threading.Event) -> None:
        """Rounds until ``stop`` is set. A refusal other than an unreachable server (the
        server's schema, a station code taken) ends it: waiting would not mend it."""
        station = self._pusher.station_id()
        woken = False
        try:
            while not stop.is_set():
                try:
                    if self._listener is None:  # before the round: no push falls between
                        self._listener = self._listen()
                        if self._listener is not None:
                            self.listening.set()
                    self._round(woken)
                except errors.SyncRefused as refusal:
                    if refusal.code != "sync_unreachable":
                        if self._journal is not None:
                            self._journal.stopped(refusal.message)
                        raise
                    log.warning("sync watch: %s", refusal.message)
                    if self._journal is not None:
                        self._journal.offline(refusal.message)
                    self._on_offline(refusal.message)
                    self._close()
                woken = self._wait(station, stop)
        finally:
            self._close()
            self._pusher.close()

    def _round(self, woken: bool) -> None:
        from .pull import Puller

        # Woken by another station's push: its changes first, to the screens at once, then
        # this station's own if any (a pulled value never overwrites a change of this
        # station not pushed yet: data.sync_apply). Else push, then pull.
        pushed = None if woken else self._pusher.push()
        pulled = Puller(self._pusher).pull()
        if pulled.changes:
            self._on_pulled(pulled.changes)
        if woken and self._pending():
            pushed = self._pusher.push()
        reading = pushed.clock if pushed is not None else None
        done = Round(counts(self._db, pushed, pulled), pulled.changes, woken, reading)
        if self._journal is not None:
            self._journal.round(done.counts, woken=woken)
        self._on_round(done)

    def _pending(self) -> bool:
        from pakn_desktop.data import sync_local

        with self._db.engine.connect() as conn:
            return sync_local.pending_count(conn) > 0

    def _listen(self) -> Listener | None:
        from pakn_desktop.data.sync_notify import Listener

        engine = self._pusher.new_server_engine()  # the listener's own: it disposes of it
        try:
            return self._pusher.on_server(lambda: Listener(engine))
        except errors.SyncRefused as refusal:
            log.warning("sync watch: polling only: %s", refusal.message)
            engine.dispose()
            return None

    def _wait(self, station: object, stop: threading.Event) -> bool:
        """Until another station's push (True), the poll interval or ``stop`` (False)."""
        deadline = time.monotonic() + self.poll_seconds
        while not stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            step = min(left, STOP_CHECK_S)
            if self._listener is None:
                stop.wait(step)
                continue
            try:
                pushed_by = self._listener.wait(step)
            except Exception:  # the connection lost: poll; the next round listens again
                log.warning("sync watch: the server's notifications were lost; polling")
                self._close()
                continue
            if pushed_by - {station}:
                return True
        return False

    def _close(self) -> None:
        self.listening.clear()
        if self._listener is not None:
            self._listener.close()
            self._listener = None
