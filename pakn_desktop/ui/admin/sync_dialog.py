"""Máy chủ đồng bộ: the shared PostgreSQL server this workstation syncs with, for
administrators; a connection test with the values as typed.

The address (with the user name, never the password) is the shared setting ``sync.server_url``;
the password goes to this workstation's OS keyring only (``services.sync.connection``), never
to a file or the database. Loads, saves and tests run on workers (``ui/tasks.py``); other roles
see the settings read-only.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from pakn_desktop.domain.errors import ExpectedError
from pakn_desktop.services.settings import KeyringState
from pakn_desktop.services.sync.connection import Checked, Loaded, Saved, SyncConnection, compose
from pakn_desktop.ui.admin.base import RED, AdminDialog, error_line

GREEN = "color: #1a7f37;"
AMBER = "color: #9a6700;"


class SyncServerDialog(AdminDialog):
    saved = Signal(object)  # services.sync.connection.Saved
    tested = Signal(object)  # services.sync.connection.Checked

    NAME = "syncServerDialog"
    TITLE = "Máy chủ đồng bộ"
    LOADING = "Đang tải…"

    def _prepare(self, source: Callable[[], SyncConnection]) -> None:
        self._source = source
        self.keyring: KeyringState | None = None

    def _first_read(self, source: Callable[[], SyncConnection]) -> Callable[[], Loaded]:
        return lambda: source().load()

    def _status_line(self) -> QLabel:
        return self.note

    def _build(self) -> None:
        tr = self.tr
        self.address = QLineEdit(self)
        self.address.setPlaceholderText("postgresql://maychu.tinh.gov.vn:5432/pakn")
        self.address.setToolTip(
            tr(
                "Một cụm có bản sao: postgresql://may1:5432,may2:5432/pakn"
                "?target_session_attrs=read-write"
            )
        )
        self.env_label = QLabel(self)
        self.env_label.setStyleSheet(AMBER)
        self.env_label.setWordWrap(True)
        self.env_label.hide()
        self.user = QLineEdit(self)
        self.user.setPlaceholderText(tr("Tên đăng nhập PostgreSQL"))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.keyring_label = QLabel(self)
        self.keyring_label.setWordWrap(True)
        hint = QLabel(
            tr(
                "Cụm máy chủ có bản sao: ghi các máy cách nhau bằng dấu phẩy và thêm "
                "?target_session_attrs=read-write để luôn ghi vào máy chính."
            ),
            self,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")

        server = QGroupBox(tr("Máy chủ PostgreSQL dùng chung"), self)
        form = QFormLayout(server)
        form.addRow(tr("Địa chỉ"), self.address)
        form.addRow(hint)
        form.addRow(self.env_label)
        form.addRow(tr("Tên đăng nhập"), self.user)
        form.addRow(tr("Mật khẩu"), self.password)
        form.addRow(self.keyring_label)

        self.test_button = QPushButton(tr("Kiểm tra kết nối (Ctrl+T)"), self)
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = QLabel(self)
        self.test_result.setObjectName("syncTestResult")
        self.test_result.setWordWrap(True)
        trial = QGroupBox(tr("Kiểm tra với các giá trị đang nhập (chưa cần lưu)"), self)
        row = QHBoxLayout(trial)
        row.addWidget(self.test_result, 1)
        row.addWidget(self.test_button)
        self._editable(self.address, self.user, self.password, self.test_button)

        self.errors = error_line(self, "syncErrors")
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(tr("Lưu"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Đóng"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (server, trial, self.errors, self.note):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        shortcut = QShortcut(QKeySequence("Ctrl+T"), self)
        shortcut.activated.connect(self.test_connection)
        self.resize(720, 380)

    def _set_enabled(self, enabled: bool) -> None:
        super()._set_enabled(enabled)
        self.save_button.setEnabled(enabled)

    # --- values ---------------------------------------------------------------------------

    def _loaded(self, result: Loaded) -> None:
        self.keyring = result.keyring
        self.address.setText(result.address)
        self.user.setText(result.user)
        if result.overridden_by:
            self.env_label.setText(
                self.tr("%1 đang ghi đè địa chỉ này trên máy này").replace(
                    "%1", result.overridden_by
                )
            )
            self.env_label.show()
        if not result.keyring.usable:
            self.keyring_label.setStyleSheet(RED)
            self.keyring_label.setText(
                self.tr(
                    "Máy này không có kho khóa của hệ điều hành (keyring): mật khẩu sẽ không "
                    "được lưu. Hãy ghi nó vào tệp ~/.pgpass của người dùng chạy chương trình, "
                    "hoặc đặt biến môi trường PAKN_SYNC_PASSWORD."
                )
            )
        else:
            self.keyring_label.setStyleSheet("color: #555;")
            self.keyring_label.setText(
                self.tr(
                    "Mật khẩu lưu trong kho khóa của hệ điều hành (%1) của máy này, không lưu "
                    "vào tệp hay cơ sở dữ liệu."
                ).replace("%1", result.keyring.backend)
            )
        self._password_hint(result.password_stored, typed=result.password_typed)
        self._set_enabled(self.editable)
        self.note.setText(
            ""
            if self.editable
            else self.tr("Chỉ vai trò Quản trị được sửa máy chủ đồng bộ; các vai trò khác chỉ xem.")
        )
        self.loaded.emit()

    def _password_hint(self, stored: bool, *, typed: bool = False) -> None:
        if typed:  # asked for by the sync this session (decision 51): in memory, not kept
            text = self.tr("Đã nhập cho phiên này (không lưu) — để trống nếu không đổi")
        elif stored:
            text = self.tr("Đã lưu — để trống nếu không đổi")
        else:
            text = self.tr("Chưa có mật khẩu trên máy này")
        self.password.setPlaceholderText(text)

    def problems(self) -> list[str]:
        """Why the typed address is refused (the words the service would use)."""
        try:
            compose(self.address.text(), self.user.text())
        except ExpectedError as error:
            return [self.tr("Địa chỉ máy chủ: %1").replace("%1", error.message)]
        return []

    # --- saving ---------------------------------------------------------------------------

    def save(self) -> None:
        if not self.editable:
            return
        found = self.problems()
        self.errors.setText("\n".join(found))
        self.errors.setVisible(bool(found))
        if found:
            return
        source, address, user = self._source, self.address.text(), self.user.text()
        password = self.password.text() or None
        self._set_enabled(False)
        self.note.setStyleSheet("")
        self.note.setText(self.tr("Đang lưu…"))
        self._tasks.write(
            lambda: source().save(address, user, password),
            on_result=self._saved,
            on_error=self._failed,
        )

    def _saved(self, result: Saved) -> None:
        self._set_enabled(self.editable)
        self.password.clear()
        self.note.setStyleSheet("")
        if result.password_saved is False:
            self.note.setStyleSheet(RED)
            self.note.setText(
                self.tr(
                    "Đã lưu địa chỉ, nhưng CHƯA lưu được mật khẩu (%1): nó chỉ được dùng "
                    "đến khi đóng chương trình, lần mở sau sẽ được hỏi lại. Muốn khỏi hỏi: "
                    "ghi nó vào ~/.pgpass."
                ).replace("%1", result.password_error)
            )
        else:
            self.note.setText(self.tr("Đã lưu máy chủ đồng bộ; việc đồng bộ chạy lại với nó."))
            if result.password_saved:
                self._password_hint(True)
        self.saved.emit(result)

    def _failed(self, error: BaseException) -> None:
        self._set_enabled(self.editable)
        self.test_button.setEnabled(self.editable)
        self.note.setText(self._error_words(error))

    # --- connection test ------------------------------------------------------------------

    def test_connection(self) -> None:
        if not self.editable:
            return
        found = self.problems()
        if not self.address.text().strip():
            found.append(self.tr("Nhập địa chỉ máy chủ để kiểm tra."))
        if found:
            self.test_result.setStyleSheet(RED)
            self.test_result.setText("\n".join(found))
            return
        source, address, user = self._source, self.address.text(), self.user.text()
        password = self.password.text() or None
        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText(self.tr("Đang kết nối…"))
        self._tasks.read(
            lambda: source().test(address, user, password),
            on_result=self._tested,
            on_error=self._failed,
        )

    def _tested(self, result: Checked) -> None:
        self.test_button.setEnabled(self.editable)
        if result.reachable and result.matches:
            self.test_result.setStyleSheet(GREEN)
            self.test_result.setText("✔ " + result.message)
        else:
            self.test_result.setStyleSheet(RED if not result.reachable else AMBER)
            self.test_result.setText("✘ " + result.message)
        self.tested.emit(result)
