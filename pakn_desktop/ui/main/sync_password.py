"""The sync server's password, asked when the server refused the login (decision 51).

A workstation without an OS keyring cannot keep the password: the program asks for it at each
start, and says why. The sync does not interrupt a call for it: the status bar says the server
needs a password and offers the prompt (its button, Ctrl+Alt+P). What is typed is used until
the program ends (``Secrets.remember``), and is also kept in the keyring when there is one and
the user ticks the box; it never goes to a file or the database. The password taken is a change
of the sync settings: the one road (``Topic.SYNC_SETTINGS``) restarts the sync with it, and a
second refusal opens the prompt again with that reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.ui.errors import error_text

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices
    from pakn_desktop.services.settings import KeyringState
    from pakn_desktop.services.sync.connection import PasswordTaken
    from pakn_desktop.ui.changes_hub import ChangesHub
    from pakn_desktop.ui.main.status_bar import StatusBar
    from pakn_desktop.ui.tasks import Tasks

PROMPT_KEY = "Ctrl+Alt+P"
RED = "color: #b42318;"


class SyncPasswordDialog(QDialog):
    """The password field, why it is asked, and whether the keyring keeps it."""

    def __init__(self, reason: str, keyring: KeyringState, parent: QWidget | None) -> None:
        super().__init__(parent)
        tr = self.tr
        self.setObjectName("syncPasswordDialog")
        self.setWindowTitle(tr("Mật khẩu máy chủ đồng bộ"))
        from pakn_desktop.services.sync.errors import WHERE_TO_PUT_IT

        self.reason = QLabel(reason.removesuffix(WHERE_TO_PUT_IT), self)
        self.reason.setObjectName("syncPasswordReason")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet(RED)
        self.why = QLabel(self)
        self.why.setWordWrap(True)
        self.why.setStyleSheet("color: #555;")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.keep = QCheckBox(tr("Lưu vào kho khóa của hệ điều hành trên máy này"), self)
        if keyring.usable:
            self.why.setText(
                tr(
                    "Máy chủ chưa nhận mật khẩu của máy này. Nhập mật khẩu để tiếp tục đồng "
                    "bộ; nếu đánh dấu ô dưới, mật khẩu được lưu trong kho khóa (%1), không "
                    "lưu vào tệp hay cơ sở dữ liệu."
                ).replace("%1", keyring.backend)
            )
            self.keep.setChecked(True)
        else:
            self.why.setText(
                tr(
                    "Máy này không có kho khóa của hệ điều hành (keyring), nên chương trình "
                    "không lưu mật khẩu: nó chỉ được giữ trong bộ nhớ đến khi đóng chương "
                    "trình, và sẽ được hỏi lại ở lần mở sau. Muốn khỏi hỏi: ghi mật khẩu "
                    "vào tệp ~/.pgpass hoặc đặt biến môi trường PAKN_SYNC_PASSWORD."
                )
            )
            self.keep.setChecked(False)
            self.keep.setEnabled(False)
        self.error = QLabel(self)
        self.error.setObjectName("syncPasswordError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(RED)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(tr("Kết nối"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Để sau"))
        self.buttons.accepted.connect(self._accept_if_typed)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(tr("Mật khẩu"), self.password)
        form.addRow(self.keep)
        layout = QVBoxLayout(self)
        for widget in (self.reason, self.why):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.password.setFocus()
        self.resize(560, 260)

    def _accept_if_typed(self) -> None:
        if not self.password.text():
            self.show_error(self.tr("Chưa nhập mật khẩu."))
            return
        self.accept()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))


class SyncPasswordPrompt(QObject):
    """Between the sync's refusal, the status bar's offer and the dialog."""

    opened = Signal(object)  # the dialog, shown (tests, the screenshot)
    taken = Signal(object)  # services.sync.connection.PasswordTaken

    def __init__(
        self,
        services: Callable[[], AppServices],
        tasks: Tasks,
        changes: ChangesHub,
        status: StatusBar,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._services = services
        self._tasks = tasks
        self._changes = changes
        self._status = status
        self._window = window
        self._reason = ""
        self._retrying = False  # a password was just typed: a refusal reopens the prompt
        self.dialog: SyncPasswordDialog | None = None
        status.sync_password_button.clicked.connect(self.open)
        self.shortcut = QShortcut(QKeySequence(PROMPT_KEY), window)
        self.shortcut.activated.connect(self.open)
        self.shortcut.setEnabled(False)

    def refused(self, reason: str) -> None:
        """The server refused the login: the status bar offers the prompt; after a password
        just typed, the prompt opens again with the refusal."""
        self._reason = reason
        self._status.show_sync_password(reason)
        self.shortcut.setEnabled(True)
        if self._retrying:
            self._retrying = False
            self.open(again=True)

    def resolved(self) -> None:
        """A round reached the server (or the sync stopped for another reason)."""
        self._retrying = False
        self.shortcut.setEnabled(False)

    def open(self, *, again: bool = False) -> None:
        """The dialog, once the keyring's state is known (asked on a worker: a keyring may
        wait on the desktop session's bus)."""
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        services = self._services
        self._tasks.read(
            lambda: services().sync_connection.keyring_state(),
            on_result=lambda state: self._show(state, again),
        )

    def _show(self, keyring: KeyringState, again: bool) -> None:
        if self.dialog is not None:
            return
        dialog = SyncPasswordDialog(self._reason, keyring, self._window)
        if again:
            dialog.show_error(self.tr("Máy chủ vẫn từ chối mật khẩu vừa nhập."))
        dialog.accepted.connect(lambda: self._take(dialog))
        dialog.finished.connect(lambda _code: self._closed(dialog))
        self.dialog = dialog
        dialog.open()
        self.opened.emit(dialog)

    def _closed(self, dialog: SyncPasswordDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _take(self, dialog: SyncPasswordDialog) -> None:
        password, keep = dialog.password.text(), dialog.keep.isChecked()
        dialog.password.clear()
        services = self._services
        self._retrying = True
        self._status.show_sync_connecting()
        self._tasks.write(
            lambda: services().sync_connection.use_password(password, keep=keep),
            on_result=self._taken,
            on_error=self._failed,
        )

    def _taken(self, result: PasswordTaken) -> None:
        if result.error:  # the keyring refused to keep it: used this session all the same
            self._status.show_sync_note(
                self.tr(
                    "Chưa lưu được mật khẩu vào kho khóa (%1); dùng đến khi đóng chương trình."
                ).replace("%1", result.error)
            )
        self.taken.emit(result)
        self._changes.publish(result.changes, self)  # the sync restarts with it

    def _failed(self, error: BaseException) -> None:
        self._retrying = False
        self._status.show_sync_password(error_text(error))
