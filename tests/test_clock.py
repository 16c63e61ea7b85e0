"""The deadline clock: PostgreSQL's now() with the station's offset measured; the status-bar
warning when the station is off by more than a minute (offset injected)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pakn_desktop.services.clock import ClockReading, DeadlineClock, is_skewed
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.environment import Environment, resolve
from pakn_desktop.ui.clock_watch import ClockWatch
from pakn_desktop.ui.main.window import MainWindow

from .qt_helpers import open_window


def test_sqlite_counts_on_the_station_clock(database: Database) -> None:
    station = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    clock = DeadlineClock(database, station=lambda: station)
    reading = clock.measure()
    assert reading.backend == "sqlite" and reading.offset == timedelta(0)
    assert not reading.skewed and clock.now() == station


@pytest.mark.postgres
def test_postgresql_counts_on_the_server_clock(pg_migrated_url: str, tmp_path: Path) -> None:
    db = open_database(resolve(db=pg_migrated_url, data_dir=str(tmp_path / "pg")))
    try:
        honest = DeadlineClock(db)
        reading = honest.measure()
        assert reading.backend == "postgresql"
        assert abs(reading.offset) < timedelta(seconds=2)  # same machine, same clock
        assert not reading.skewed
        # A station clock 3 minutes slow: deadlines still count from the server's clock.
        slow = DeadlineClock(db, station=lambda: datetime.now(UTC) - timedelta(minutes=3))
        reading = slow.measure()
        assert timedelta(minutes=3) - timedelta(seconds=2) < reading.offset
        assert reading.offset < timedelta(minutes=3) + timedelta(seconds=2)
        assert reading.skewed
        with db.engine.connect() as conn:
            server = conn.exec_driver_sql("SELECT now()").scalar_one()
        assert abs(slow.now() - server) < timedelta(seconds=2)
    finally:
        db.close()


def test_the_skew_limit_is_one_minute() -> None:
    assert not is_skewed(timedelta(seconds=60))
    assert is_skewed(timedelta(seconds=61))
    assert is_skewed(-timedelta(minutes=5))


class _Injected:
    """A clock whose measurement reports a chosen offset (the warning logic only)."""

    def __init__(self, offset: timedelta) -> None:
        self.offset = offset

    def measure(self) -> ClockReading:
        return ClockReading("postgresql", self.offset, datetime.now(UTC), timedelta(0))


@pytest.fixture
def window(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> Iterator[MainWindow]:
    yield open_window(qtbot, database, env, tmp_path, size=None, start="no")


def test_status_bar_warns_of_a_skewed_station(qtbot: QtBot, window: MainWindow) -> None:
    injected = _Injected(timedelta(minutes=-2, seconds=-30))  # server behind: station fast
    watch = ClockWatch(lambda: injected, window.tasks, window)  # type: ignore[arg-type,return-value]
    watch.measured.connect(window.show_clock)
    with qtbot.waitSignal(watch.measured, timeout=5000):
        watch.start()
    assert window.clock_label.isVisibleTo(window)
    assert window.clock_label.text() == "⚠ Đồng hồ máy trạm nhanh 2,5 phút so với máy chủ"
    injected.offset = timedelta(seconds=20)  # within a minute: the warning goes
    with qtbot.waitSignal(watch.measured, timeout=5000):
        watch.measure()
    assert not window.clock_label.isVisibleTo(window)
    assert window.station_label.toolTip() == ""


def test_a_station_not_yet_checked_says_so_quietly(window: MainWindow) -> None:
    """A SQLite station before its first sync (decision 47): no warning, a tooltip."""
    unchecked = ClockReading("sqlite", timedelta(0), datetime.now(UTC), timedelta(0), False)
    window.show_clock(unchecked)
    assert not window.clock_label.isVisibleTo(window)
    assert "chưa được đối chiếu" in window.station_label.toolTip()


def test_the_queue_and_detail_mark_overdue_on_the_deadline_clock(window: MainWindow) -> None:
    """Their "overdue" compares with ``AppServices.now`` (decision 47), as the alerts count,
    not with the station's own clock; ``now`` never builds the clock on the GUI thread."""
    queue = window.queue
    services = queue._services
    assert services is not None
    assert queue._now == services.now and queue.detail._now == services.now
    assert queue.model._clock == services.now
