"""A report saved at intake appears in the open queue at once, in its place, while the
operator's selection and scroll position stay (pytest-qt, offscreen, the real window)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.ui.main.window import QUEUE, MainWindow
from pakn_desktop.ui.queue.cells import COL_CODE
from pakn_desktop.ui.queue.model import ObjectRole

from .intake_data import form
from .qt_helpers import open_window
from .queue_data import ROWS, fill_tickets
from .test_intake_screen import CTRL, key, keys, save_by_key, start_call


@pytest.fixture
def window(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> Iterator[MainWindow]:
    fill_tickets(database.engine)
    yield open_window(qtbot, database, env, tmp_path, size=(1366, 768), shown="active")


def test_a_call_saved_at_intake_shows_in_the_open_queue(qtbot: QtBot, window: MainWindow) -> None:
    queue = window.queue
    model, table = queue.model, queue.table
    qtbot.waitUntil(lambda: model.row_object(60) is not None)
    chosen = model.row_object(5)
    assert chosen is not None
    table.selectRow(5)
    table.verticalScrollBar().setValue(3 * table.rowHeight(0))
    top = table.rowAt(0)
    assert top == 3
    top_code = model.data(model.index(top, COL_CODE))
    screen = start_call(qtbot, window)  # F2 from the queue
    keys(qtbot, "0912 345 678")
    key(qtbot, Qt.Key.Key_Tab)
    keys(qtbot, "Nguyễn Văn An")
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Tab)
    keys(qtbot, "phuong ben thanh")
    key(qtbot, Qt.Key.Key_Tab)
    keys(qtbot, "12 Lê Lợi")
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Tab)
    keys(qtbot, "Cống bị tắc ở đường Lê Lợi, nước tràn lên vỉa hè.")
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Tab)
    keys(qtbot, "cap thoat")
    saved = save_by_key(qtbot, screen)
    key(qtbot, Qt.Key.Key_2, CTRL)  # back to the queue, touching nothing else
    assert window.current_screen() == QUEUE
    # Newest first: the new report is row 0, read from the database, not typed in.
    qtbot.waitUntil(lambda: model.data(model.index(0, COL_CODE)) == saved.code, timeout=10_000)
    assert model.rowCount() == ROWS + 1 and model.is_exact()
    assert queue.count_label.text() == f"{window.locale().toString(ROWS + 1)} phản ánh"
    # The operator's choice stayed on the same report (one row lower), and so did the view.
    selected = table.selectionModel().selectedRows()
    assert [model.data(i, ObjectRole).id for i in selected] == [chosen.id]
    assert table.currentIndex().row() == 6
    assert model.data(model.index(table.rowAt(0), COL_CODE)) == top_code  # no jump
    # Rows read before the save moved down by one, whole pages included.
    assert model.row_object(61) is not None


def test_a_report_outside_the_view_changes_nothing_but_the_count(
    qtbot: QtBot, window: MainWindow, database: Database, env: Environment
) -> None:
    queue = window.queue
    model = queue.model
    closed = queue.status.findData("closed")
    with qtbot.waitSignal(model.countKnown, timeout=10_000):
        queue.status.setCurrentIndex(closed)
    rows = model.rowCount()
    first = model.row_object(0)
    saved = IntakeService(database, EvidenceStore(env.evidence_dir)).save(form())
    with qtbot.waitSignal(model.countKnown, timeout=10_000):
        queue.report_saved(saved.id)  # a new report is "new", not "closed"
    assert model.rowCount() == rows
    assert model.row_object(0) == first


@pytest.mark.parametrize("cached", [[0, 1, 2, 3], [0, 2, 3], [1, 3], [3], [0]])
def test_pages_read_shift_down_by_one_row(cached: list[int]) -> None:
    from collections import OrderedDict

    from pakn_desktop.ui.queue.live import shift_pages

    size, table = 3, [f"r{n}" for n in range(11)]
    for at in range(len(table) + 1):
        pages = OrderedDict((n, table[n * size : (n + 1) * size]) for n in cached)
        after = [*table[:at], "new", *table[at:]]
        shifted = shift_pages(pages, size, at, "new")
        for number, rows in shifted.items():
            assert rows == after[number * size : (number + 1) * size], (at, number)
        # A page is dropped only when its new first row was on a page not read.
        dropped = set(cached) - set(shifted)
        assert all(n * size > at and n - 1 not in cached for n in dropped), (at, dropped)
