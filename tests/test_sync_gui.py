"""The open window syncs (decision 46's watcher on its own thread): a report another station
pushes reaches this window's queue by the hub while the operator works, the status bar says
when it last synced and what waits, an unreachable server says offline and loses nothing, and
closing the window ends the sync."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pakn_desktop.services.changes import Changes
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.sync.push import Pusher
from pakn_desktop.ui.main.window import MainWindow
from pakn_desktop.ui.queue.cells import COL_CODE
from tests.db_template import MigratedEnv
from tests.qt_helpers import open_window
from tests.sync_data import station, take_reports

pytestmark = pytest.mark.postgres

ROUND_MS = 60_000  # generous: the watcher's poll is 30 s, a NOTIFY wakes it at once


def code_of(database: Database, ticket: uuid.UUID) -> str:
    from sqlalchemy import select

    from pakn_desktop.data.models import Ticket

    with database.engine.connect() as conn:
        return str(conn.scalar(select(Ticket.code).where(Ticket.id == ticket)))


def _unsent(database: Database) -> tuple[int, int]:
    """(outbox rows, of them pushed or parked)."""
    from sqlalchemy import text

    with database.engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM outbox")).scalar_one()
        sent = conn.execute(
            text("SELECT count(*) FROM outbox WHERE pushed_at IS NOT NULL OR parked_at IS NOT NULL")
        ).scalar_one()
    return int(total), int(sent)


def _synced(win: MainWindow) -> bool:
    return win.status.sync_label.text().startswith("Đồng bộ lúc")


def test_a_report_pushed_elsewhere_reaches_the_open_queue(
    qtbot: QtBot,
    database: Database,
    env: Environment,
    tmp_path: Path,
    migrated: MigratedEnv,
    pg_migrated_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PAKN_SYNC_URL", pg_migrated_url)
    with station(migrated, tmp_path / "a", "HN01") as a:
        Pusher(a.database, pg_migrated_url).push()  # A is known to the server
        win = open_window(qtbot, database, env, tmp_path, size=None)
        qtbot.waitUntil(lambda: _synced(win), timeout=ROUND_MS)  # the first round is done
        assert win._watchers.sync is not None and win._watchers.sync.running
        heard: list[Changes] = []
        win.changes.changed.connect(lambda changes, _by: heard.append(changes))
        (report,) = take_reports(a, 1)
        Pusher(a.database, pg_migrated_url).push()  # the server NOTIFYs; B pulls at once

        def shown(code: str) -> bool:  # as the table asks for the row it paints
            model = win.queue.model
            return model.rowCount() > 0 and model.data(model.index(0, COL_CODE)) == code

        qtbot.waitUntil(lambda: shown(code_of(a.database, report)), timeout=ROUND_MS)
        assert any(report in c.created for c in heard)  # by the hub, as a local save
        assert "0 chờ gửi" in win.status.sync_label.text()
        watch = win._watchers.sync
        win.close()
        assert not watch.running  # closing the window ended the sync


def test_an_unreachable_server_says_offline_and_keeps_the_saves(
    qtbot: QtBot,
    database: Database,
    env: Environment,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("PAKN_SYNC_URL", f"postgresql://pakn@127.0.0.1:{port}/pakn")
    win = open_window(qtbot, database, env, tmp_path, size=None)
    label = win.status.sync_label
    qtbot.waitUntil(lambda: label.text().startswith("Ngoại tuyến"), timeout=ROUND_MS)
    assert "lưu trên máy này" in label.toolTip()
    total, sent = _unsent(database)
    assert total > 0 and sent == 0  # the window's own changes wait, none lost or parked
    win.close()
    assert win._watchers.sync is not None and not win._watchers.sync.running


def test_the_status_bar_flags_a_station_whose_clock_is_off_the_sync_servers(
    qtbot: QtBot,
    database: Database,
    env: Environment,
    tmp_path: Path,
    pg_migrated_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A SQLite station a day fast: the window's first sync round reads the server's clock
    and the status bar's clock warning shows (decision 47)."""
    from datetime import UTC, datetime, timedelta

    from PySide6.QtCore import QSettings

    from pakn_desktop.services.app_services import AppServices
    from pakn_desktop.ui.main.build import build_main_window

    monkeypatch.setenv("PAKN_SYNC_URL", pg_migrated_url)
    fast = AppServices(
        lambda: database, env, station_clock=lambda: datetime.now(UTC) + timedelta(hours=24)
    )
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = build_main_window(fast, env, settings=settings)
    qtbot.addWidget(win)
    win.show()
    win.start()  # the sync's thread starts once the event loop runs: nothing is missed
    assert win._watchers.sync is not None
    with qtbot.waitSignal(win._watchers.sync.round_done, timeout=ROUND_MS):
        pass
    assert win.clock_label.isVisibleTo(win)
    assert win.clock_label.text() == "⚠ Đồng hồ máy trạm nhanh 24,0 giờ so với máy chủ"
    win.close()
