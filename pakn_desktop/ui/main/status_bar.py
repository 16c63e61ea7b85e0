"""The main window's status bar: database, station, user, sync state, the clock warning and
the role the operator acts in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton

from pakn_desktop.services.workstation import Workstation

if TYPE_CHECKING:
    from PySide6.QtGui import QEnterEvent, QMouseEvent
    from PySide6.QtWidgets import QComboBox

    from pakn_desktop.services.clock import ClockReading
    from pakn_desktop.services.sync.watch import Round


class SyncLabel(QLabel):
    """The sync's state; a click opens "Hoạt động đồng bộ" (its log, refusals, conflicts),
    or, while no server is set, the server's settings (``unset``)."""

    clicked = Signal()

    def __init__(self, parent: QMainWindow) -> None:
        super().__init__(parent)
        self.setObjectName("syncState")
        self._pointing = False
        self.unset = True

    # Qt's namespace is imported at the first hover or click, not before the first paint
    # (tests/test_start_path.py: building it costs the start).
    def enterEvent(self, event: QEnterEvent) -> None:
        if not self._pointing:
            from PySide6.QtCore import Qt

            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self._pointing = True
        super().enterEvent(event)

    def setToolTip(self, text: str) -> None:  # every state's words, then where to look
        if self.unset:
            hint = self.tr("Bấm để đặt máy chủ đồng bộ (Ctrl+Alt+S)")
        else:
            hint = self.tr("Bấm để xem nhật ký, thay đổi bị từ chối và xung đột (Ctrl+Alt+L)")
        super().setToolTip(f"{text}\n{hint}" if text else hint)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        from PySide6.QtCore import Qt

        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class StatusBar:
    """The permanent widgets of ``window``'s status bar (the window keeps them as attributes
    of its own, so screens and tests reach them as before)."""

    def __init__(self, window: QMainWindow, database_label: str, *, roles: bool) -> None:
        self._window = window
        tr = window.tr
        bar = window.statusBar()
        self.database_label = QLabel(tr("CSDL: %1").replace("%1", database_label), window)
        self.station_label = QLabel(tr("Máy trạm: …"), window)
        self.user_label = QLabel(tr("Người dùng: …"), window)
        self.sync_label = SyncLabel(window)
        # Shown while the sync server refuses the login (decision 51, ui/main/sync_password.py).
        self.sync_password_button = QPushButton(tr("Nhập mật khẩu… (Ctrl+Alt+P)"), window)
        self.sync_password_button.setObjectName("syncPasswordButton")
        self.sync_password_button.setFlat(True)
        self.sync_password_button.setStyleSheet("color: #b42318; text-decoration: underline;")
        self.sync_password_button.hide()
        self.show_sync_unset()
        # Shown only while the station's clock is off the server's by more than a minute.
        self.clock_label = QLabel(window)
        self.clock_label.setObjectName("clockWarning")
        self.clock_label.setStyleSheet("color: #b42318; font-weight: bold;")
        self.clock_label.hide()
        bar.addPermanentWidget(self.clock_label)
        # Shown while units' SMS / e-mail wait with no gateway or mail server configured.
        self.unsent_label = QLabel(window)
        self.unsent_label.setObjectName("unsentWarning")
        self.unsent_label.setStyleSheet("color: #b54708; font-weight: bold;")
        self.unsent_label.setContentsMargins(8, 0, 8, 0)
        self.unsent_label.hide()
        bar.addPermanentWidget(self.unsent_label)
        for label in (self.database_label, self.station_label, self.user_label, self.sync_label):
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)
        bar.addPermanentWidget(self.sync_password_button)
        # A status bar short of room cuts its labels: the whole text stays in the tooltip.
        self.database_label.setToolTip(self.database_label.text())
        self.role_box: QComboBox | None = None
        if roles:
            # No logins yet: the operator says which role they act in (default: tiếp nhận).
            from PySide6.QtWidgets import QComboBox

            from pakn_desktop.ui.workflow.roles import ROLES, role_label

            box = QComboBox(window)
            box.setObjectName("roleSelector")
            box.setToolTip(tr("Vai trò khi thao tác trên phản ánh"))
            for code in ROLES:
                box.addItem(role_label(code), code)
            bar.addPermanentWidget(box)
            self.role_box = box

    def show_workstation(self, who: Workstation) -> None:
        tr = self._window.tr
        self.station_label.setText(tr("Máy trạm: %1").replace("%1", who.station_code))
        self.user_label.setText(tr("Người dùng: %1").replace("%1", who.user))

    def show_unsent(self, text: str) -> None:
        self.unsent_label.setText(text)
        self.unsent_label.setToolTip(
            text
            + "\n"
            + self._window.tr("Cấu hình cổng SMS và máy chủ thư: Quản trị (Ctrl+5), Ctrl+Alt+N")
        )
        self.unsent_label.setVisible(bool(text))

    def show_sync(self, done: Round) -> None:
        """After a sync round: when, what still waits here, what the server refused."""
        from pakn_desktop.domain.office_time import office_now

        tr, c = self._window.tr, done.counts
        text = tr("Đồng bộ lúc %1 · %2 chờ gửi").replace("%1", office_now().strftime("%H:%M"))
        text = text.replace("%2", f"{c.pending:,}".replace(",", "."))
        if c.parked:
            text += tr(" · %1 bị máy chủ từ chối").replace("%1", str(c.parked))
        if c.files_bad:
            text += tr(" · %1 tệp lỗi").replace("%1", str(c.files_bad))
        self._sync_state(text, "#067647" if not (c.parked or c.files_bad) else "#b54708")
        tip = (
            tr("Trực tuyến. Lượt gần nhất: gửi %1, nhận %2, xung đột %3, tệp minh chứng gửi %4.")
            .replace("%1", str(c.pushed))
            .replace("%2", str(c.pulled))
            .replace("%3", str(c.conflicts))
            .replace("%4", str(c.files_uploaded))
        )
        if c.files_bad:
            from pakn_desktop.services.sync.service import files_warning

            tip += "\n" + files_warning(c.files_bad)
        self.sync_label.setToolTip(tip)

    def show_sync_unset(self) -> None:
        """No server set (or its address just removed)."""
        tr = self._window.tr
        self._sync_state(tr("Chưa cấu hình đồng bộ"), "", unset=True)
        self.sync_label.setToolTip(tr("Máy chủ đồng bộ: Quản trị (Ctrl+5), Ctrl+Alt+S"))

    def show_sync_offline(self, reason: str) -> None:
        tr = self._window.tr
        self._sync_state(tr("Ngoại tuyến: chưa kết nối được máy chủ"), "#b54708")
        self.sync_label.setToolTip(
            reason + "\n" + tr("Phản ánh vẫn được lưu trên máy này và sẽ gửi khi có mạng.")
        )

    def show_sync_ended(self, reason: str) -> None:
        self._sync_state(self._window.tr("Đồng bộ đã dừng"), "#b42318")
        self.sync_label.setToolTip(reason)

    def show_sync_password(self, reason: str) -> None:
        """The server refused the login: the prompt is offered (its button)."""
        self._sync_state(self._window.tr("Đồng bộ: máy chủ cần mật khẩu"), "#b42318")
        self.sync_label.setToolTip(reason)
        self.sync_password_button.show()

    def show_sync_connecting(self) -> None:
        self._sync_state(self._window.tr("Đang kết nối lại máy chủ…"), "")

    def show_sync_note(self, text: str) -> None:
        """A passing word on the sync (the keyring did not keep a password)."""
        self._window.statusBar().showMessage(text, 10_000)

    def _sync_state(self, text: str, color: str, *, unset: bool = False) -> None:
        self.sync_label.unset = unset
        self.sync_password_button.hide()
        self.sync_label.setText(text)
        self.sync_label.setStyleSheet(f"color: {color};" if color else "")

    def show_clock(self, reading: ClockReading) -> None:
        """The clock warning, from the latest measurement; a station not yet checked against
        a server says so quietly, in the station label's tooltip (nobody knows its clock)."""
        tr = self._window.tr
        self.station_label.setToolTip(
            "" if reading.checked else tr("Đồng hồ máy trạm chưa được đối chiếu với máy chủ")
        )
        if not reading.skewed:
            self.clock_label.hide()
            return
        seconds = round(-reading.offset.total_seconds())  # station − server
        ahead = tr("nhanh") if seconds > 0 else tr("chậm")
        # Minutes for a drift, hours for a clock set a day (or a time zone) wrong.
        hours = abs(seconds) >= 3600
        amount = self._window.locale().toString(abs(seconds) / (3600 if hours else 60), "f", 1)
        if hours:
            text = tr("⚠ Đồng hồ máy trạm %1 %2 giờ so với máy chủ")
        else:
            text = tr("⚠ Đồng hồ máy trạm %1 %2 phút so với máy chủ")
        self.clock_label.setText(text.replace("%1", ahead).replace("%2", amount))
        self.clock_label.setToolTip(self.clock_label.text())  # whole, if the bar cut it
        self.clock_label.show()
