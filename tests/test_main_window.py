"""The main window, driven like a user would with pytest-qt (offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from pytestqt.qtbot import QtBot

from pakn_desktop.services.app_services import AppServices
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.ui.main.admin_screen import AdminScreen
from pakn_desktop.ui.main.build import build_main_window
from pakn_desktop.ui.main.lazy_screen import LazyScreen
from pakn_desktop.ui.main.placeholder import PlaceholderScreen
from pakn_desktop.ui.main.window import ADMIN, DASHBOARD, INTAKE, QUEUE, REPORTS, MainWindow
from pakn_desktop.ui.queue.cells import COL_CODE, COL_STATUS
from pakn_desktop.ui.queue.model import ObjectRole

from .qt_helpers import open_window
from .queue_data import ROWS, fill_tickets


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> Iterator[MainWindow]:
    fill_tickets(database.engine)
    win = open_window(qtbot, database, env, tmp_path, size=(1200, 800))
    qtbot.waitUntil(lambda: "…" not in win.station_label.text())
    yield win


def test_window_shows_the_queue_and_status_bar(window: MainWindow) -> None:
    assert "PAKN" in window.windowTitle()
    assert window.current_screen() == QUEUE
    assert window.queue.model.rowCount() == ROWS
    assert window.queue.count_label.text() == "2.500 phản ánh"  # Vietnamese digit grouping
    assert window.database_label.text() == "CSDL: pakn.sqlite3"
    assert window.station_label.text().startswith("Máy trạm: S")
    assert window.user_label.text().startswith("Người dùng: ")
    assert window.sync_label.text() == "Chưa cấu hình đồng bộ"
    headers = [window.queue.model.headerData(c, Qt.Orientation.Horizontal) for c in range(10)]
    assert headers[0] == "Mã hồ sơ" and headers[-1] == "Hạn xử lý"


def test_ctrl_digits_navigate(qtbot: QtBot, window: MainWindow) -> None:
    for key, screen in [
        (Qt.Key.Key_1, INTAKE),
        (Qt.Key.Key_3, DASHBOARD),
        (Qt.Key.Key_4, REPORTS),
        (Qt.Key.Key_5, ADMIN),
        (Qt.Key.Key_2, QUEUE),
    ]:
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert window.current_screen() == screen
        if screen not in (QUEUE, INTAKE):  # built when first shown
            page = window.stack.currentWidget()
            assert isinstance(page, LazyScreen) and page.built
            if screen == DASHBOARD:  # the real charts (pyqtgraph, imported only now)
                assert page.content.objectName() == "dashboardScreen"
            elif screen == ADMIN:
                assert isinstance(page.content, AdminScreen)
            elif screen == REPORTS:  # issue 15: the Reports screen replaced its placeholder
                assert page.content.objectName() == "reportsScreen"
            else:
                assert isinstance(page.content, PlaceholderScreen)
        if screen == INTAKE:  # the real screen, built on first visit
            assert window.intake.objectName() == "intakeScreen"
        assert window.nav.currentRow() == screen


def test_selecting_a_row_shows_its_detail(qtbot: QtBot, window: MainWindow) -> None:
    model = window.queue.model
    code = model.data(model.index(3, COL_CODE))
    with qtbot.waitSignal(window.queue.detail.loaded) as blocker:
        window.queue.table.selectRow(3)
    assert blocker.args == [code]
    assert window.queue.detail.title.text() == code
    assert "Nội dung" in window.queue.detail.body.toPlainText()


def test_enter_opens_detail_and_ctrl_f_focuses_search(qtbot: QtBot, window: MainWindow) -> None:
    table = window.queue.table
    window.queue.splitter.setSizes([500, 0])  # the user collapsed the pane
    table.setFocus()
    table.setCurrentIndex(window.queue.model.index(5, 0))
    code = window.queue.model.data(window.queue.model.index(5, COL_CODE))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.queue.detail.title.text() == code)
    assert window.queue.splitter.sizes()[1] > 0
    qtbot.keyClick(table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.queue.search.hasFocus()


def test_search_and_status_filter(qtbot: QtBot, window: MainWindow) -> None:
    model = window.queue.model
    with qtbot.waitSignal(model.countKnown, timeout=5000):
        qtbot.keyClicks(window.queue.search, "rac thai")  # debounced: one query, not eight
    shown = model.rowCount()
    assert 0 < shown < ROWS
    status = window.queue.status
    with qtbot.waitSignal(model.countKnown, timeout=5000):
        status.setCurrentIndex(status.findData("closed"))
    assert model.query.statuses == ("closed",) and model.query.text == "rac thai"
    assert 0 < model.rowCount() < shown
    row = model.data(model.index(0, 0), ObjectRole)
    assert row.status == "closed"
    assert model.data(model.index(0, COL_STATUS)) == "Đã kết thúc"


def test_header_click_sorts_in_sql(qtbot: QtBot, window: MainWindow) -> None:
    model = window.queue.model
    header = window.queue.table.horizontalHeader()
    x = header.sectionViewportPosition(COL_CODE) + 10
    orders = set()
    for _ in range(2):  # a new column, then the same column again: the order flips
        with qtbot.waitSignal(model.countKnown, timeout=5000):
            qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
        assert model.query.sort == "code"
        codes = [model.data(model.index(r, COL_CODE)) for r in range(20)]
        assert codes == sorted(codes, reverse=model.query.descending)
        orders.add(model.query.descending)
    assert orders == {True, False}


def test_layout_is_saved_in_qsettings(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> None:
    win = build_main_window(AppServices(lambda: database, env), env, settings=_settings(tmp_path))
    qtbot.addWidget(win)
    win.queue.table.horizontalHeader().setSortIndicator(COL_CODE, Qt.SortOrder.AscendingOrder)
    win.close()
    again = build_main_window(AppServices(lambda: database, env), env, settings=_settings(tmp_path))
    qtbot.addWidget(again)
    assert again.queue.model.query.sort == "code"
    again.close()


def test_first_start_on_empty_database_makes_demo_data(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> None:
    win = open_window(qtbot, database, env, tmp_path, size=None, start="no")
    with qtbot.waitSignal(win.demoLoaded, timeout=60_000) as blocker:
        win.start(demo_if_empty=300)
    assert blocker.args == [300]
    assert win.statusBar().currentMessage() == "Cơ sở dữ liệu trống: đã tạo 300 phản ánh mẫu"
    qtbot.waitUntil(lambda: win.queue.model.is_exact() and win.queue.model.rowCount() == 300)


def test_f1_lists_every_shortcut_and_esc_gives_the_focus_back(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.queue.table.setFocus()
    qtbot.keyClick(window.queue.table, Qt.Key.Key_F1)
    help_overlay = window._help  # built by the first F1
    assert help_overlay is not None and help_overlay.isVisible()
    shown = dict(help_overlay.rows)
    assert shown["Ctrl+Alt+R"] == "Quy tắc chuyển xử lý…"
    assert shown["Ctrl+,"] == "Cài đặt thời hạn…"
    assert shown["F6"].startswith("Chọn chế độ xem")
    assert shown["F5"] == "Chuyển xử lý" and shown["Ctrl+Shift+M"] == "Gộp hồ sơ"
    assert shown["Ctrl+2"] == "Màn hình Hàng đợi"
    qtbot.keyClick(help_overlay, Qt.Key.Key_Escape)
    assert not help_overlay.isVisible()
    assert window.queue.table.hasFocus()


def test_the_administration_screen_opens_each_settings_dialog(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    page = window.stack.currentWidget()
    assert isinstance(page, LazyScreen) and isinstance(page.content, AdminScreen)
    buttons = page.content.buttons
    assert [b.text() for b in buttons] == [
        "Cài đặt thời hạn… (Ctrl+,)",
        "Quy tắc chuyển xử lý… (Ctrl+Alt+R)",
        "Cài đặt gửi tin nhắn, thư… (Ctrl+Alt+N)",
        "Đơn vị xử lý… (Ctrl+Alt+U)",
        "Máy chủ đồng bộ… (Ctrl+Alt+S)",
        "Hoạt động đồng bộ… (Ctrl+Alt+L)",
    ]
    assert all(b.isEnabled() for b in buttons)
    qtbot.mouseClick(buttons[1], Qt.MouseButton.LeftButton)
    dialog = window.admin.routing_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.close()
    qtbot.mouseClick(buttons[4], Qt.MouseButton.LeftButton)
    sync = window.admin.sync_dialog
    assert sync is not None
    qtbot.waitUntil(sync.isVisible)
    sync.close()
    qtbot.mouseClick(buttons[5], Qt.MouseButton.LeftButton)
    activity = window.admin.activity_dialog
    assert activity is not None
    qtbot.waitUntil(activity.isVisible)
    activity.close()
