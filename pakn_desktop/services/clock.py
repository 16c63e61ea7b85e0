"""The clock deadlines count from: the server's, the station's own corrected by its offset.

Workstations' clocks drift, and a deadline is a legal fact: two stations must agree when a
report became overdue. The offset of the station clock to the server's is measured now and
then (on a worker) and added to the station clock in between, which costs nothing per call.
Which server: the station's own database when it is PostgreSQL (``measure``); on a SQLite
station, the sync server, read by every sync round on the connection it already has
(``measure_on``, decision 47), kept in the local database so that a restart while the
server is away still counts on the server's clock. A SQLite station that has never synced
counts on its own clock, and its readings say it was not checked (``checked``).

A station that differs from the server by more than ``SKEW_LIMIT`` is told in the status bar
(and by ``sync``): its own clock shows in the intake form's times, and a wrong one confuses
operators.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from pakn_desktop.services.database import Database

log = logging.getLogger(__name__)

SKEW_LIMIT = timedelta(minutes=1)
RESYNC_S = 300  # how often the GUI re-measures (clocks drift by seconds a day, not minutes)


@dataclass(frozen=True)
class ClockReading:
    """One measurement: ``offset`` = server time − station time (zero when not checked).

    ``checked`` is False on a SQLite station that has not yet synced with a server: its own
    clock counts, and nobody knows whether it is right.
    """

    backend: str
    offset: timedelta
    measured_at: datetime  # on the server's clock
    round_trip: timedelta
    checked: bool = True

    @property
    def skewed(self) -> bool:
        """True when the station's clock is off by more than ``SKEW_LIMIT``."""
        return self.checked and is_skewed(self.offset)


def is_skewed(offset: timedelta) -> bool:
    return abs(offset) > SKEW_LIMIT


def _station_now() -> datetime:
    return datetime.now(UTC)


class DeadlineClock:
    """``now()`` on the server's clock (after a measurement), else the station's.

    ``station`` is injectable so tests can put the station clock anywhere; thread-safe, so the
    alert scanner's worker, the sync's thread and the GUI may all call it. On SQLite the
    offset the last sync measured is read back from the database when built.
    """

    def __init__(
        self,
        database: Database,
        *,
        station: Callable[[], datetime] = _station_now,
    ) -> None:
        self._database = database
        self._station = station
        self._offset = timedelta(0)
        self._lock = threading.Lock()
        self._last: ClockReading | None = None
        if database.backend != "postgresql":
            self._last = self._stored()
            if self._last is not None:
                self._offset = self._last.offset

    def _db(self) -> Database:
        return self._database

    @property
    def offset(self) -> timedelta:
        with self._lock:
            return self._offset

    @property
    def last(self) -> ClockReading | None:
        with self._lock:
            return self._last

    def now(self) -> datetime:
        return self._station() + self.offset

    def measure(self) -> ClockReading:
        """The station's offset now (a blocking query: call on a worker).

        On PostgreSQL the database's own ``now()`` is read. On SQLite there is no server to
        ask here: the sync round measures (``measure_on``), and this answers its last reading,
        or an unchecked one before the first sync.
        """
        db = self._db()
        if db.backend != "postgresql":
            last = self.last
            if last is not None:
                return last
            return ClockReading(db.backend, timedelta(0), self._station(), timedelta(0), False)
        with db.engine.connect() as conn:
            return self._keep(self._read(conn, db.backend))

    def measure_on(self, server: Connection) -> ClockReading:
        """Read the sync server's clock on ``server`` (a connection the sync round already
        holds, outside a transaction) and keep its offset; on a SQLite station it is also
        stored here, for a restart while the server is away."""
        reading = self._read(server, self._db().backend)
        if self._db().backend != "postgresql":
            self._store(reading)
        return self._keep(reading)

    def _read(self, conn: Connection, backend: str) -> ClockReading:
        """The server's ``now()`` compared with the midpoint of the round trip, so network
        delay does not count as skew (NTP's estimate, for one sample)."""
        from pakn_desktop.data import clock_state

        with conn.begin():
            before, tick = self._station(), time.perf_counter()
            server = clock_state.server_now(conn)
            trip = timedelta(seconds=time.perf_counter() - tick)
        offset = server - (before + trip / 2)
        return ClockReading(backend, offset, server, trip)

    def _keep(self, reading: ClockReading) -> ClockReading:
        with self._lock:
            self._offset = reading.offset
            self._last = reading
        if reading.skewed:
            log.warning("station clock differs from the server's by %s", -reading.offset)
        return reading

    def _stored(self) -> ClockReading | None:
        from pakn_desktop.data import clock_state

        with self._db().engine.connect() as conn:
            found = clock_state.read(conn)
        if found is None:
            return None
        offset, measured_at, trip = found
        return ClockReading(self._db().backend, offset, measured_at, trip)

    def _store(self, reading: ClockReading) -> None:
        from pakn_desktop.data import clock_state
        from pakn_desktop.data.engine import retry_when_busy

        def work() -> None:
            with self._db().writer.begin() as conn:
                clock_state.store(conn, reading.offset, reading.measured_at, reading.round_trip)

        retry_when_busy(work)
