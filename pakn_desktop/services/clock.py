"""The clock deadlines count from: the shared database's clock when it is PostgreSQL.

Workstations' clocks drift, and a deadline is a legal fact: two stations must agree when a
report became overdue. So on PostgreSQL ``now()`` is the server's time: its offset to the
station clock is measured now and then (``measure``, on a worker) and added to the station
clock in between, which costs nothing per call. On SQLite the station is the only clock.

A station that differs from the server by more than ``SKEW_LIMIT`` is told in the status bar:
its own clock shows in the intake form's times, and a wrong one confuses operators.
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
    from pakn_desktop.services.database import Database

log = logging.getLogger(__name__)

SKEW_LIMIT = timedelta(minutes=1)
RESYNC_S = 300  # how often the GUI re-measures (clocks drift by seconds a day, not minutes)


@dataclass(frozen=True)
class ClockReading:
    """One measurement: ``offset`` = server time − station time (zero on SQLite)."""

    backend: str
    offset: timedelta
    measured_at: datetime  # on the server's clock
    round_trip: timedelta

    @property
    def skewed(self) -> bool:
        """True when the station's clock is off by more than ``SKEW_LIMIT``."""
        return is_skewed(self.offset)


def is_skewed(offset: timedelta) -> bool:
    return abs(offset) > SKEW_LIMIT


def _station_now() -> datetime:
    return datetime.now(UTC)


class DeadlineClock:
    """``now()`` on the server's clock (after a ``measure``), else the station's.

    ``station`` is injectable so tests can put the station clock anywhere; thread-safe, so the
    alert scanner's worker and the GUI may both call ``now()``.
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
        """Read the server's ``now()`` and keep its offset (a blocking query: call on a worker).

        The server's answer is compared with the midpoint of the round trip, so network delay
        does not count as skew (NTP's estimate, for one sample).
        """
        db = self._db()
        backend = db.backend
        if backend != "postgresql":
            reading = ClockReading(backend, timedelta(0), self._station(), timedelta(0))
        else:
            with db.engine.connect() as conn:
                before, tick = self._station(), time.perf_counter()
                server = conn.exec_driver_sql("SELECT now()").scalar_one()
                trip = timedelta(seconds=time.perf_counter() - tick)
            offset = server - (before + trip / 2)
            reading = ClockReading(backend, offset, server, trip)
        with self._lock:
            self._offset = reading.offset
            self._last = reading
        if reading.skewed:
            log.warning("station clock differs from the server's by %s", -reading.offset)
        return reading
