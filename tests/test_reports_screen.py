"""The Reports screen (issue 15 item 1): the preview shows the hand-counted figures, a new
period previews again, the export runs on a worker with progress and lands in the recent list,
and a cancelled or failed export leaves no file."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import time
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QSettings, QTime
from pytestqt.qtbot import QtBot

from pakn_desktop.domain.daily_figures import DailyFigures, Period
from pakn_desktop.reports.daily_workbook import SHEETS
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.reports.daily_export import DailyReports
from pakn_desktop.ui.reports.screen import ReportsScreen
from pakn_desktop.ui.tasks import Tasks

from .qt_helpers import no_thread_leaks  # noqa: F401 (fixture)
from .test_daily_report import NOW, hand_fixture

pytestmark = pytest.mark.usefixtures("no_thread_leaks")


class GatedReports(DailyReports):
    """Counting waits for ``gate`` while ``hold`` is set: a test cancels mid-export."""

    def __init__(self, database: Database) -> None:
        super().__init__(database, lambda: NOW)
        self.hold = False
        self.gate = threading.Event()

    def figures(self, period: Period) -> DailyFigures:
        if self.hold:
            self.gate.wait(10)
        return super().figures(period)


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[Tasks]:
    runner = Tasks()
    yield runner
    runner.shutdown()


@pytest.fixture
def reports(database: Database) -> GatedReports:
    hand_fixture(database)
    return GatedReports(database)


def _screen(
    qtbot: QtBot,
    tasks: Tasks,
    reports: DailyReports,
    out: Path | None,
    state: QSettings | None = None,
) -> ReportsScreen:
    screen = ReportsScreen(tasks, reports, choose_file=lambda _p, _s: out, state=state)
    qtbot.addWidget(screen)
    screen.resize(1180, 700)
    screen.show()
    qtbot.waitUntil(lambda: screen.figures is not None, timeout=10_000)
    return screen


def _cells(screen: ReportsScreen, row: int) -> list[str]:
    table = screen.headline
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_the_preview_shows_the_hand_counted_figures(
    qtbot: QtBot, tasks: Tasks, reports: GatedReports
) -> None:
    screen = _screen(qtbot, tasks, reports, None)
    assert screen.day.date().toString("yyyy-MM-dd") == "2026-12-07"  # the office's today
    assert screen.cutoff.time().toString("HH:mm") == "07:00"  # the stored default
    assert "07:00 ngày 06/12/2026" in screen.period_label.text()
    assert _cells(screen, 0)[1:] == ["4", "1", "1"]  # received: period, day before, last week
    assert _cells(screen, 6)[1] == "50,0%"  # one of two closed on time
    channels = screen.channels
    rows = {
        channels.item(r, 0).text(): channels.item(r, 1).text() for r in range(channels.rowCount())
    }
    assert rows == {"Đường dây nóng": "3", "Zalo": "1", "Tổng cộng": "4"}
    assert "2 hồ sơ quá hạn" in screen.totals.text()


def test_a_new_cutoff_previews_again(qtbot: QtBot, tasks: Tasks, reports: GatedReports) -> None:
    screen = _screen(qtbot, tasks, reports, None)
    screen.cutoff.setTime(QTime(10, 0))
    assert "10:00 ngày 06/12/2026" in screen.period_label.text()

    def moved() -> bool:
        return screen.figures is not None and screen.figures.period.cutoff == time(10, 0)

    qtbot.waitUntil(moved, timeout=10_000)
    assert screen.figures is not None
    assert [d.code for d in screen.figures.details] == ["T3", "T4", "T6"]
    assert _cells(screen, 0)[1] == "3"


def test_export_runs_with_progress_and_lands_in_the_recent_list(
    qtbot: QtBot, tasks: Tasks, reports: GatedReports, tmp_path: Path
) -> None:
    out = tmp_path / "bao-cao.xlsx"
    state = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    screen = _screen(qtbot, tasks, reports, out, state)
    screen.number.setText("12/BC-TT")
    seen: list[int] = []
    screen.progress.valueChanged.connect(seen.append)
    with qtbot.waitSignal(screen.exported, timeout=20_000) as done:
        screen.export_button.click()
        assert screen.cancel_button.isVisible() and not screen.export_button.isEnabled()
    assert done.args == [str(out)]
    assert 50 in seen and seen[-1] == 100
    assert screen.export_button.isEnabled() and not screen.cancel_button.isVisible()
    assert screen.recent.count() == 1 and screen.recent.item(0).toolTip() == str(out)
    summary = openpyxl.load_workbook(out)[SHEETS[0]]
    assert summary["A3"].value == "Số: 12/BC-TT"
    received = next(r for r in summary.iter_rows(min_col=1, max_col=2) if r[0].value and
                    str(r[0].value).startswith("Tổng số phản ánh"))  # fmt: skip
    assert received[1].value == 4  # the preview's figure
    again = _screen(qtbot, tasks, reports, out, state)  # the next run lists it too
    assert again.recent.count() == 1 and again.recent.item(0).toolTip() == str(out)
    with qtbot.waitSignal(again.exported, timeout=20_000):
        again.export_button.click()
    assert again.recent.count() == 1  # the same file again: listed once


def test_a_cancelled_export_leaves_no_file(
    qtbot: QtBot, tasks: Tasks, reports: GatedReports, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    screen = _screen(qtbot, tasks, reports, folder / "bao-cao.xlsx")
    reports.hold = True
    screen.export_button.click()
    qtbot.waitUntil(lambda: screen.progress.value() == 5)  # counting, held at the gate
    screen.cancel_button.click()
    assert "Đã hủy" in screen.status.text() and screen.export_button.isEnabled()
    reports.gate.set()
    qtbot.waitUntil(lambda: tasks.pending() == 0, timeout=20_000)
    assert list(folder.iterdir()) == []  # no workbook, no temporary file
    assert screen.recent.count() == 0


def test_a_failed_export_says_why_and_leaves_no_file(
    qtbot: QtBot, tasks: Tasks, reports: GatedReports, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder"
    screen = _screen(qtbot, tasks, reports, missing / "bao-cao.xlsx")
    screen.export_button.click()
    qtbot.waitUntil(lambda: "Không xuất được" in screen.status.text(), timeout=20_000)
    assert screen.export_button.isEnabled() and screen.recent.count() == 0
    assert not missing.exists()


def test_the_screen_imports_no_openpyxl() -> None:
    """It is built on the GUI thread when first shown: openpyxl (a second to import) waits
    for the export's worker."""
    import subprocess
    import sys

    code = (
        "import sys, pakn_desktop.ui.reports.screen, pakn_desktop.services.reports.daily_export;"
        "sys.exit('openpyxl' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_a_register_imported_from_the_reports_screen_reaches_the_queue(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> None:
    """Ctrl+4, "Nhập sổ theo dõi…", import: the reports taken in are in the queue and its
    count without a restart (the window's changes hub told every screen)."""
    from pakn_desktop.ui.main.lazy_screen import LazyScreen
    from pakn_desktop.ui.main.window import REPORTS
    from tests.qt_helpers import open_window
    from tests.register_fixtures import merged_register

    window = open_window(qtbot, database, env, tmp_path)
    queue = window.queue
    before = queue.model.rowCount()
    window.show_screen(REPORTS)
    page = window.stack.widget(REPORTS)
    assert isinstance(page, LazyScreen)
    screen = page.content
    assert isinstance(screen, ReportsScreen)
    qtbot.waitUntil(screen.import_button.isVisible)
    dialog = screen.open_import()
    assert dialog is not None
    dialog.open_file(merged_register(tmp_path / "so.xlsx"))
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled())
    with qtbot.waitSignal(screen.imported, timeout=30_000) as told:
        dialog.import_button.click()
    assert told.args == [4]
    qtbot.waitUntil(lambda: queue.model.rowCount() == before + 4, timeout=10_000)
    dialog.close()
