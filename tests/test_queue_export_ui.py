"""The queue screen's exports (issue 15): Ctrl+E writes the view as shown (filters, sort,
visible columns), Cancel mid-way leaves no file, a folder that cannot be written says so in
Vietnamese, Ctrl+C copies the selected rows as tab-separated text (pytest-qt, offscreen)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from pakn_desktop.data import queue as q
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.queue import QueueQuery, QueueService
from pakn_desktop.ui.main.window import MainWindow
from pakn_desktop.ui.queue.cells import COL_KIND, COL_SUMMARY
from tests.export_data import LAN, fill_export
from tests.identity_scan import leaks
from tests.protected_data import QUYNH
from tests.qt_helpers import open_window

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def win(qtbot: QtBot, database: Database, env: Environment, tmp_path: Path) -> MainWindow:
    fill_export(database, env)
    return open_window(qtbot, database, env, tmp_path, size=(1366, 768), shown="active")


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _codes(database: Database, query: QueueQuery) -> list[str]:
    service = QueueService(database)
    with service.connection() as conn:
        return [r.code for r in q.page_after(conn, query, q.load_names(conn), None, 10**6)]


def test_ctrl_e_exports_the_view_as_shown(
    qtbot: QtBot, win: MainWindow, database: Database, out_dir: Path, monkeypatch: Any
) -> None:
    queue = win.queue
    queue.columns.set_visible(COL_KIND, False)
    with qtbot.waitSignal(queue.model.countKnown, timeout=20_000):
        queue.status.setCurrentIndex(queue.status.findData("new"))
    queue.table.sortByColumn(COL_SUMMARY, Qt.SortOrder.AscendingOrder)
    query = queue.model.query
    assert query.statuses == ("new",) and query.sort == "summary"
    out = out_dir / "moi.xlsx"
    monkeypatch.setattr(queue.export, "ask_path", lambda suffix: out.with_suffix(suffix))
    queue.table.setFocus()
    with qtbot.waitSignal(queue.export.exported, timeout=20_000) as done:
        qtbot.keyClick(queue.table, Qt.Key.Key_E, CTRL)
    assert done.args[0].path == out
    book = load_workbook(out, read_only=True)
    rows = [tuple(r) for r in book.active.iter_rows(values_only=True)]
    book.close()
    assert "Loại" not in rows[0] and rows[0][:2] == ("Mã hồ sơ", "Tiếp nhận")
    assert [r[0] for r in rows[1:]] == _codes(database, query)
    assert not queue.export.job.isVisible()


def test_leadership_is_asked_and_a_denouncer_stays_masked(
    qtbot: QtBot, win: MainWindow, out_dir: Path, monkeypatch: Any
) -> None:
    queue = win.queue
    actions = queue.detail.action_bar
    assert actions is not None
    actions.set_role("supervisor")
    asked: list[str] = []

    def answer() -> None:  # the confirmation, clicked as a user would
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        reveal = next(b for b in box.buttons() if b.text() == "Hiện danh tính")
        reveal.click()

    out = out_dir / "lanh-dao.csv"
    monkeypatch.setattr(queue.export, "ask_path", lambda suffix: out)
    QTimer.singleShot(0, answer)
    with qtbot.waitSignal(queue.export.exported, timeout=20_000):
        queue.export.csv_action.trigger()
    assert asked == ["Xuất kèm họ tên, số điện thoại, địa chỉ người phản ánh?"]
    text = out.read_bytes()
    assert leaks(text, LAN) != [] and leaks(text, QUYNH) == []
    assert "Người phản ánh" in text.decode("utf-8-sig").splitlines()[0]


def test_cancel_mid_way_leaves_no_file(
    qtbot: QtBot, win: MainWindow, out_dir: Path, monkeypatch: Any
) -> None:
    from pakn_desktop.data import queue_export as data_export
    from pakn_desktop.services import queue_export

    monkeypatch.setattr(queue_export, "PAGE", 50)
    gate = threading.Event()  # the worker waits after its first page until Cancel was clicked
    real = data_export.reportings

    def held(*args: Any) -> Any:
        found = real(*args)
        gate.wait(10)
        return found

    monkeypatch.setattr(data_export, "reportings", held)
    queue = win.queue
    job = queue.export.job
    queue.export.export_to(out_dir / "x.csv")
    assert job.isVisible()
    qtbot.mouseClick(job.cancel_button, Qt.MouseButton.LeftButton)
    gate.set()
    assert not job.isVisible()
    qtbot.waitUntil(lambda: win._tasks.pending() == 0 and not list(out_dir.iterdir()))
    assert queue.export.excel_action.isEnabled()


def test_a_folder_that_cannot_be_written_says_so(
    qtbot: QtBot, win: MainWindow, out_dir: Path
) -> None:
    with qtbot.waitSignal(win.queue.export.failed, timeout=20_000) as failed:
        win.queue.export.export_to(out_dir / "khong-co" / "x.xlsx")
    assert "không ghi được “x.xlsx”" in failed.args[0]
    assert list(out_dir.iterdir()) == []


def test_ctrl_c_copies_the_selected_rows(qtbot: QtBot, win: MainWindow) -> None:
    queue = win.queue
    model = queue.model
    picked = QItemSelection(model.index(2, 0), model.index(6, 0))
    picked.select(model.index(9, 0), model.index(9, 0))
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
    queue.table.selectionModel().select(picked, flags | QItemSelectionModel.SelectionFlag.Rows)
    queue.table.setFocus()
    with qtbot.waitSignal(queue.export.copied, timeout=20_000) as copied:
        qtbot.keyClick(queue.table, Qt.Key.Key_C, CTRL)
    text = copied.args[0]
    assert QGuiApplication.clipboard().text() == text
    lines = text.split("\r\n")
    assert lines[0].split("\t")[:3] == ["Mã hồ sơ", "Tiếp nhận", "Kênh"]
    codes = [model.row_object(row).code for row in (2, 3, 4, 5, 6, 9)]
    assert [line.split("\t")[0] for line in lines[1:-1]] == codes
    assert leaks(text, QUYNH) == [] and leaks(text, LAN) == []


def test_a_copy_too_big_points_to_the_export(
    qtbot: QtBot, win: MainWindow, monkeypatch: Any
) -> None:
    from pakn_desktop.ui.queue import export

    monkeypatch.setattr(export, "COPY_LIMIT", 4)
    queue = win.queue
    queue.table.selectAll()
    copied: list[str] = []
    queue.export.copied.connect(copied.append)
    with qtbot.waitSignal(queue.export.message, timeout=5_000) as said:
        queue.export.copy_selection()
    assert said.args[0].startswith("Quá nhiều dòng để sao chép (603)")
    assert copied == []
