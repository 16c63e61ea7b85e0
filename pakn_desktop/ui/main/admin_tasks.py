"""The administration tasks of the main window: units and their contacts, deadline settings,
routing rules, SMS and mail settings, the shared sync server. Each has one key, bound on the
window and shown on the administration screen (Ctrl+5), and opens its dialog (editable by the
administrator role only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from pakn_desktop.ui.main.window_actions import window_action
from pakn_desktop.ui.tasks import Tasks

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices
    from pakn_desktop.ui.changes_hub import ChangesHub

SLA_SETTINGS_KEY, ROUTING_RULES_KEY, NOTIFY_SETTINGS_KEY = "Ctrl+,", "Ctrl+Alt+R", "Ctrl+Alt+N"
UNITS_KEY, SYNC_SERVER_KEY, SYNC_ACTIVITY_KEY = "Ctrl+Alt+U", "Ctrl+Alt+S", "Ctrl+Alt+L"


def _tr(text: str) -> str:
    return QCoreApplication.translate("AdminTasks", text)


class AdminTasks:
    """Opens the administration dialogs over ``window``; ``role`` reads the current role. Each
    dialog asks for its service on a worker (the database may not be open yet)."""

    def __init__(
        self,
        window: QWidget,
        tasks: Tasks,
        role: Callable[[], str | None],
        services: AppServices,
        *,
        changes: ChangesHub,
        open_code: Callable[[str], None] | None = None,
    ) -> None:
        self._window = window
        self._open_code = open_code  # a report shown in the queue, by its code
        self._tasks = tasks
        self._role = role
        self._services = services
        self._changes = changes  # each dialog's writes go out through it
        self.sla_dialog: QWidget | None = None  # the last one opened (tests, focus)
        self.routing_dialog: QWidget | None = None
        self.notify_dialog: QWidget | None = None
        self.units_dialog: QWidget | None = None
        self.sync_dialog: QWidget | None = None
        self.activity_dialog: QWidget | None = None

    def specs(self) -> list[tuple[str, str, str, Callable[[], object]]]:
        """(title, what it sets, key, opener) of each task, in the screen's order."""
        return [
            (
                _tr("Cài đặt thời hạn…"),
                _tr(
                    "Giờ làm việc, ngày làm việc, ngày nghỉ lễ và làm bù, ngưỡng cảnh báo sắp "
                    "quá hạn, hạn ghi kết quả của đơn vị, thang báo cáo cấp trên."
                ),
                SLA_SETTINGS_KEY,
                self.sla_settings,
            ),
            (
                _tr("Quy tắc chuyển xử lý…"),
                _tr("Lĩnh vực × địa bàn → đơn vị chủ trì được gợi ý khi chuyển xử lý."),
                ROUTING_RULES_KEY,
                self.routing_rules,
            ),
            (
                _tr("Cài đặt gửi tin nhắn, thư…"),
                _tr(
                    "Cổng SMS và máy chủ thư báo cho người liên hệ của đơn vị; mật khẩu lưu "
                    "trong kho khóa của hệ điều hành; gửi thử."
                ),
                NOTIFY_SETTINGS_KEY,
                self.notify_settings,
            ),
            (
                _tr("Đơn vị xử lý…"),
                _tr(
                    "Danh mục đơn vị (cấp trên, địa bàn, đang hoạt động) và người liên hệ nhận "
                    "tin nhắn, thư; nhập từ Excel bằng lệnh 'pakn-desktop units import'."
                ),
                UNITS_KEY,
                self.units,
            ),
            (
                _tr("Máy chủ đồng bộ…"),
                _tr(
                    "Máy chủ PostgreSQL dùng chung mà các máy trạm đồng bộ với; mật khẩu lưu "
                    "trong kho khóa của hệ điều hành; kiểm tra kết nối."
                ),
                SYNC_SERVER_KEY,
                self.sync_server,
            ),
            (
                _tr("Hoạt động đồng bộ…"),
                _tr(
                    "Nhật ký đồng bộ, các thay đổi máy chủ từ chối (gửi lại) và các xung đột "
                    "giữa hai máy trạm cùng sửa một trường."
                ),
                SYNC_ACTIVITY_KEY,
                self.sync_activity,
            ),
        ]

    def bind(self) -> None:
        """The tasks' keys on the window (window-wide)."""
        for title, _purpose, key, opener in self.specs():
            window_action(self._window, title, key, opener)  # no enum load before the paint

    def screen(self) -> QWidget:
        from pakn_desktop.ui.main.admin_screen import AdminScreen

        return AdminScreen(self.specs())

    def sla_settings(self) -> QWidget:
        """The deadline settings dialog (not built from the dashboard's screen: opening the
        settings must not build the charts, and import pyqtgraph, first)."""
        from pakn_desktop.ui.admin.sla_dialog import SlaSettingsDialog

        services = self._services
        dialog = SlaSettingsDialog(
            lambda: services.sla_settings, self._tasks, role=self._role(), parent=self._window
        )
        dialog.saved.connect(lambda result: self._changes.publish(result.changes, dialog))
        self.sla_dialog = dialog
        dialog.open()
        return dialog

    def units(self) -> QWidget:
        from pakn_desktop.services.units import UnitsService
        from pakn_desktop.ui.admin.units_dialog import UnitsDialog

        services = self._services
        dialog = UnitsDialog(
            lambda: services.units,
            self._tasks,
            role=self._role(),
            parent=self._window,
        )
        dialog.changed.connect(lambda: self._changes.publish(UnitsService.CHANGES, dialog))
        self.units_dialog = dialog
        dialog.open()
        return dialog

    def routing_rules(self) -> QWidget:
        from pakn_desktop.services.workflow.routing import RoutingService
        from pakn_desktop.ui.admin.routing_dialog import RoutingRulesDialog

        services = self._services
        dialog = RoutingRulesDialog(
            lambda: services.routing, self._tasks, role=self._role(), parent=self._window
        )
        dialog.changed.connect(lambda: self._changes.publish(RoutingService.CHANGES, dialog))
        self.routing_dialog = dialog
        dialog.open()
        return dialog

    def notify_settings(self) -> QWidget:
        from pakn_desktop.ui.admin.notify_dialog import NotifySettingsDialog

        services = self._services
        dialog = NotifySettingsDialog(
            lambda: services.notify_settings, self._tasks, role=self._role(), parent=self._window
        )
        dialog.saved.connect(lambda result: self._changes.publish(result.changes, dialog))
        self.notify_dialog = dialog
        dialog.open()
        return dialog

    def sync_server(self) -> QWidget:
        from pakn_desktop.ui.admin.sync_dialog import SyncServerDialog

        services = self._services
        dialog = SyncServerDialog(
            lambda: services.sync_connection, self._tasks, role=self._role(), parent=self._window
        )
        # The window's sync restarts with the new address (ui/main/sync_watch.py).
        dialog.saved.connect(lambda result: self._changes.publish(result.changes, dialog))
        self.sync_dialog = dialog
        dialog.open()
        return dialog

    def sync_activity(self) -> QWidget:
        from pakn_desktop.ui.admin.sync_activity_dialog import SyncActivityDialog

        services = self._services
        dialog = SyncActivityDialog(
            lambda: services.sync_activity, self._tasks, role=self._role(), parent=self._window
        )
        # Sent again: the window's sync runs a round with them (ui/main/watchers.py).
        dialog.sent_again.connect(lambda result: self._changes.publish(result.changes, dialog))
        if self._open_code is not None:
            dialog.open_report.connect(self._open_code)
        self.activity_dialog = dialog
        dialog.open()
        return dialog

    def sync_state(self, unset: bool) -> QWidget:
        """The status bar's sync state clicked: no server yet, its settings; else what the
        sync did."""
        return self.sync_server() if unset else self.sync_activity()
