"""The queue tells the truth about what it shows: filters in force are named and removable,
an empty list says why, a case code the filters hide is named as hidden, the detail never
shows a report the list does not hold, and the summary column is readable at 1366×768."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pakn_desktop.domain.enums import OPEN_STATUSES
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.form import SavedTicket
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.services.queue import QueueQuery
from pakn_desktop.ui.main.window import MainWindow
from pakn_desktop.ui.queue.cells import COL_SUMMARY

from .intake_data import form
from .qt_helpers import open_window

OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))
READABLE = 30  # characters of summary a reader can scan (at 1366 px it showed nine)


@pytest.fixture
def saved(database: Database, env: Environment) -> list[SavedTicket]:
    intake = IntakeService(database, EvidenceStore(env.evidence_dir))
    return [
        intake.save(form(content=f"Cống thoát nước bị tắc nghẽn kéo dài lần thứ {n}."))
        for n in range(3)
    ]


@pytest.fixture
def window(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> Iterator[MainWindow]:
    yield open_window(qtbot, database, env, tmp_path, size=(1366, 768))


def _status(qtbot: QtBot, win: MainWindow, code: str | None) -> None:
    combo = win.queue.status
    with qtbot.waitSignal(win.queue.model.countKnown, timeout=10_000):
        combo.setCurrentIndex(combo.findData(code))


def test_an_empty_database_says_the_list_is_empty_and_how_to_fill_it(
    window: MainWindow,
) -> None:
    empty = window.queue.empty
    assert window.queue.model.rowCount() == 0
    assert empty.isVisible()
    assert empty.text.text() == "Không có phản ánh nào. Nhấn F2 để tiếp nhận cuộc gọi mới."
    assert not empty.clear.isVisible()


def test_an_empty_view_names_the_filters_and_removes_them(
    qtbot: QtBot, saved: list[SavedTicket], window: MainWindow
) -> None:
    queue = window.queue
    assert queue.model.rowCount() == 3 and not queue.empty.isVisible()
    _status(qtbot, window, "closed")
    assert queue.model.rowCount() == 0
    assert queue.empty.isVisible()
    assert queue.empty.text.text() == "Không có phản ánh nào khớp bộ lọc: Đã kết thúc."
    with qtbot.waitSignal(queue.model.countKnown, timeout=10_000):
        queue.empty.clear.click()
    assert queue.model.rowCount() == 3 and queue.status.currentIndex() == 0
    assert not queue.empty.isVisible()


def test_a_dashboard_drill_down_is_a_filter_chip_that_can_be_removed(
    qtbot: QtBot, saved: list[SavedTicket], window: MainWindow
) -> None:
    queue = window.queue
    with qtbot.waitSignal(queue.model.countKnown, timeout=10_000):
        window.open_queue(QueueQuery(statuses=OPEN, deadline="overdue"), "Quá hạn")
    assert queue.drill.isVisible() and queue.drill.text() == "Lọc: Quá hạn ✕"
    assert window.minimumSizeHint().width() <= 1366  # the chip fits a 1366 px screen
    assert queue.model.rowCount() == 0  # the new reports are not overdue
    assert queue.empty.text.text() == "Không có phản ánh nào khớp bộ lọc: Đang mở; Quá hạn."
    with qtbot.waitSignal(queue.model.countKnown, timeout=10_000):
        qtbot.mouseClick(queue.drill, Qt.MouseButton.LeftButton)
    assert not queue.drill.isVisible() and queue.model.query.deadline is None
    assert queue.model.rowCount() == 3


def test_a_case_code_hidden_by_the_filters_is_named_and_found_again(
    qtbot: QtBot, saved: list[SavedTicket], window: MainWindow
) -> None:
    queue = window.queue
    _status(qtbot, window, "closed")
    code = saved[1].code
    with qtbot.waitSignal(queue.hiddenFound, timeout=10_000) as found:
        queue.search.setText(code.lower())  # typed in lower case: still the code
    assert found.args == [code]
    assert queue.empty.text.text() == f"{code} có nhưng bị ẩn bởi bộ lọc: Đã kết thúc."
    with qtbot.waitSignal(queue.model.countKnown, timeout=10_000):
        queue.empty.clear.click()
    assert queue.model.rowCount() == 1
    assert queue.model.row_object(0).code == code  # type: ignore[union-attr]
    assert queue.search.text() == code.lower()  # the search itself stays


def test_the_detail_clears_when_its_report_leaves_the_list(
    qtbot: QtBot, saved: list[SavedTicket], window: MainWindow
) -> None:
    queue = window.queue
    with qtbot.waitSignal(queue.detail.loaded, timeout=10_000):
        queue.table.selectRow(0)
    shown = queue.detail.title.text()
    assert shown in {s.code for s in saved}
    _status(qtbot, window, "new")  # still in the list: still shown, selected again
    assert queue.detail.title.text() == shown
    assert queue.table.selectionModel().selectedRows()[0].row() == 0
    _status(qtbot, window, "closed")  # gone from the list: the detail lets it go
    assert queue.detail.title.text() == "Chi tiết phản ánh"


def test_the_summary_column_is_readable_at_1366(
    qtbot: QtBot, saved: list[SavedTicket], window: MainWindow
) -> None:
    table = window.queue.table
    char = table.fontMetrics().horizontalAdvance("0")
    assert table.horizontalHeader().sectionSize(COL_SUMMARY) >= READABLE * char
    assert table.horizontalScrollBar().maximum() == 0  # and nothing pushed off the side
    index = window.queue.model.index(0, COL_SUMMARY)
    item = window.queue.model.row_object(0)
    assert item is not None
    assert window.queue.model.data(index, Qt.ItemDataRole.ToolTipRole) == item.summary
