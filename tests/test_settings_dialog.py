"""The deadline settings dialog: Ctrl+, from the main window, administrator-only editing,
Vietnamese validation, and a save that changes the deadlines the services compute."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pakn_desktop.services.database import Database
from pakn_desktop.services.sla import SlaService
from pakn_desktop.ui.admin.sla_dialog import SlaSettingsDialog
from pakn_desktop.ui.main.window import DASHBOARD, MainWindow

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _open(qtbot: QtBot, window: MainWindow, role: str) -> SlaSettingsDialog:
    window.role_box.setCurrentIndex(window.role_box.findData(role))
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.admin.sla_dialog is not None, timeout=10_000)
    dialog = window.admin.sla_dialog
    assert isinstance(dialog, SlaSettingsDialog)
    qtbot.waitUntil(lambda: dialog.share.value() == 80, timeout=10_000)
    return dialog


def test_other_roles_see_the_settings_read_only(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _open(qtbot, window, "operator")
    # Ctrl+, opens the dialog without building the dashboard's charts first.
    assert window.stack.widget(DASHBOARD).built is False
    assert not dialog.editable
    assert not dialog.share.isEnabled() and not dialog.save_button.isEnabled()
    assert "Chỉ vai trò Quản trị" in dialog.note.text()
    dialog.reject()


def test_an_administrator_edits_with_validation_and_the_deadlines_follow(
    qtbot: QtBot, window: MainWindow, database: Database
) -> None:
    dialog = _open(qtbot, window, "admin")
    assert dialog.share.isEnabled() and dialog.save_button.isEnabled()
    assert [b.isChecked() for b in dialog.weekdays] == [True] * 5 + [False] * 2
    # Afternoon starting before the morning ends: refused, in Vietnamese, save disabled.
    afternoon_start = dialog.hours[1][0]
    afternoon_start.setTime(QTime(11, 0))
    assert not dialog.save_button.isEnabled()
    assert "Buổi chiều phải bắt đầu sau khi buổi sáng kết thúc." in dialog.errors.text()
    afternoon_start.setTime(QTime(13, 30))
    dialog.share.setValue(100)
    assert "Tỷ lệ cảnh báo phải từ 1 đến 99 %." in dialog.errors.text()
    dialog.share.clear()
    qtbot.keyClicks(dialog.share, "50")
    assert dialog.share.value() == 50 and dialog.errors.text() == ""
    dialog.result_minutes.setValue(30)
    dialog.weekdays[5].setChecked(True)  # Saturdays worked
    # Saving moves open reports' at-risk moments: the window redoes what shows them.
    with qtbot.waitSignals([dialog.saved, window.changes.changed], timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    sla = SlaService(database)
    settings = sla.settings()
    assert settings.at_risk_share == 0.5 and settings.result_minutes == 30
    assert settings.office_hours == ((time(7, 30), time(11, 30)), (time(13, 30), time(17)))
    start = datetime(2026, 3, 6, 16, 45, tzinfo=VN)  # a Friday
    # 1 working day with a 7.5 h day: Fri 16:45–17:00 (15) + Sat 07:30–11:30 (240) + 13:30 +
    # 195 = 16:45 Saturday.
    assert sla.deadline_for("ha_tang_do_thi", start).resolve_due == start.replace(day=7)
    assert sla.deadline_for("mac_dinh", start).resolve_due == start.replace(minute=15, hour=17)
    QApplication.processEvents()


def test_the_dashboard_button_opens_the_same_dialog(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    dashboard = window.dashboard
    qtbot.mouseClick(dashboard.settings_button, Qt.MouseButton.LeftButton)
    dialog = window.admin.sla_dialog
    assert isinstance(dialog, SlaSettingsDialog) and dialog.parent() is window
    qtbot.waitUntil(lambda: dialog.share.value() == 80, timeout=10_000)
    dialog.reject()
