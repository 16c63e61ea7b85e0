"""Cài đặt gửi tin: the SMS gateway and the mail server the units are notified through, for
administrators; a test send through the servers as typed.

The settings are shared rows (every workstation sends through the same servers); the SMTP
password goes to the OS keyring of this workstation only, never to a file or the database.
Fields an environment variable overrides here are marked. Loads, saves and test sends run on
workers (``ui/tasks.py``); other roles see the settings read-only.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.services.notify.dispatcher import TestSent, send_test
from pakn_desktop.services.notify.settings import (
    ConfigSaved,
    KeyringState,
    NotifySettings,
    NotifySettingsSource,
)
from pakn_desktop.ui.admin.base import RED, AdminDialog, error_line

SECURITY = (
    ("none", "Không mã hóa", 25),
    ("starttls", "STARTTLS", 587),
    ("ssl", "SSL/TLS", 465),
)
GREEN = "color: #1a7f37;"
# What the first read brings: stored settings, overridden fields, the keyring, a password kept.
Loaded = tuple[NotifySettings, dict[str, str], KeyringState, bool]


class NotifySettingsDialog(AdminDialog):
    saved = Signal(object)  # ConfigSaved
    tested = Signal(object)  # TestSent

    NAME = "notifySettingsDialog"
    TITLE = "Cài đặt gửi tin nhắn, thư cho đơn vị"
    LOADING = "Đang tải…"

    def _prepare(self, source: Callable[[], NotifySettingsSource]) -> None:
        self._source = source
        self.keyring: KeyringState | None = None

    def _first_read(self, source: Callable[[], NotifySettingsSource]) -> Callable[[], Loaded]:
        return lambda: source().load()

    def _status_line(self) -> QLabel:
        return self.note

    def _build(self) -> None:
        tr = self.tr
        self.sms_url = QLineEdit(self)
        self.sms_url.setPlaceholderText("https://sms.tinh.gov.vn/api/send")
        self.smtp_host = QLineEdit(self)
        self.smtp_host.setPlaceholderText("mail.tinh.gov.vn")
        self.smtp_port = QSpinBox(self)
        self.smtp_port.setRange(0, 65535)
        self.security = QComboBox(self)
        for code, name, _port in SECURITY:
            self.security.addItem(tr(name), code)
        self.security.currentIndexChanged.connect(self._security_changed)
        self.smtp_from = QLineEdit(self)
        self.smtp_user = QLineEdit(self)
        self.smtp_user.setPlaceholderText(tr("Để trống nếu máy chủ không yêu cầu đăng nhập"))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.keyring_label = QLabel(self)
        self.keyring_label.setWordWrap(True)
        self.env_labels: dict[str, QLabel] = {}

        sms = QGroupBox(tr("Cổng SMS (HTTP)"), self)
        sms_form = QFormLayout(sms)
        sms_form.addRow(tr("Địa chỉ"), self._with_env("sms_url", self.sms_url))
        mail = QGroupBox(tr("Máy chủ thư (SMTP)"), self)
        mail_form = QFormLayout(mail)
        server = QHBoxLayout()
        server.addWidget(self.smtp_host, 1)
        server.addWidget(QLabel(tr("Cổng"), self))
        server.addWidget(self.smtp_port)
        server.addWidget(QLabel(tr("Bảo mật"), self))
        server.addWidget(self.security)
        mail_form.addRow(tr("Máy chủ"), self._with_env("smtp_host", server))
        mail_form.addRow(tr("Địa chỉ gửi"), self._with_env("smtp_from", self.smtp_from))
        mail_form.addRow(tr("Tên đăng nhập"), self._with_env("smtp_user", self.smtp_user))
        mail_form.addRow(tr("Mật khẩu"), self.password)
        mail_form.addRow(self.keyring_label)

        self.test_phone = QLineEdit(self)
        self.test_phone.setPlaceholderText(tr("Số điện thoại nhận tin thử"))
        self.test_email = QLineEdit(self)
        self.test_email.setPlaceholderText(tr("Địa chỉ thư nhận thư thử"))
        self.test_button = QPushButton(tr("Gửi thử (Ctrl+T)"), self)
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self.send_test)
        self.test_result = QLabel(self)
        self.test_result.setWordWrap(True)
        trial = QGroupBox(tr("Gửi thử qua các máy chủ đang nhập (chưa cần lưu)"), self)
        trial_layout = QVBoxLayout(trial)
        row = QHBoxLayout()
        row.addWidget(self.test_phone, 1)
        row.addWidget(self.test_email, 1)
        row.addWidget(self.test_button)
        trial_layout.addLayout(row)
        trial_layout.addWidget(self.test_result)
        self._editable(self.sms_url, self.smtp_host, self.smtp_port, self.security)
        self._editable(self.smtp_from, self.smtp_user, self.password)
        self._editable(self.test_phone, self.test_email, self.test_button)

        self.errors = error_line(self)
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
        for widget in (sms, mail, trial, self.errors, self.note):
            layout.addWidget(widget)
        layout.addStretch(1)  # spare height below the form, not inside its boxes
        layout.addWidget(self.buttons)
        shortcut = QShortcut(QKeySequence("Ctrl+T"), self)
        shortcut.activated.connect(self.send_test)
        self.resize(720, 500)

    def _with_env(self, field: str, content: QWidget | QHBoxLayout) -> QWidget:
        """The field and, below it, a note shown when an environment variable overrides it."""
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if isinstance(content, QHBoxLayout):
            column.addLayout(content)
        else:
            column.addWidget(content)
        label = QLabel(self)
        label.setStyleSheet("color: #9a6700;")
        label.hide()
        column.addWidget(label)
        self.env_labels[field] = label
        return box

    def _set_enabled(self, enabled: bool) -> None:
        super()._set_enabled(enabled)
        self.save_button.setEnabled(enabled)

    def _security_changed(self, _index: int) -> None:
        defaults = {port for _c, _n, port in SECURITY}
        if self.smtp_port.value() in defaults:
            self.smtp_port.setValue(SECURITY[self.security.currentIndex()][2])

    # --- values ---------------------------------------------------------------------------

    def _loaded(self, result: Loaded) -> None:
        config, overridden, keyring, stored = result
        self.keyring = keyring
        self.show_config(config)
        for field, variable in overridden.items():
            label = self.env_labels.get(field)
            if label is None and field in ("smtp_port", "smtp_security"):
                label = self.env_labels["smtp_host"]
            if label is not None:
                label.setText(
                    (label.text() + "; " if label.text() else "")
                    + self.tr("%1 đang ghi đè giá trị này trên máy này").replace("%1", variable)
                )
                label.show()
        if not keyring.usable:
            self.keyring_label.setStyleSheet(RED)
            self.keyring_label.setText(
                self.tr(
                    "Máy này không có kho khóa của hệ điều hành (keyring): mật khẩu sẽ không "
                    "được lưu. Trên máy chủ không giao diện, đặt biến môi trường "
                    "PAKN_SMTP_PASSWORD."
                )
            )
        else:
            self.keyring_label.setStyleSheet("color: #555;")
            self.keyring_label.setText(
                self.tr(
                    "Mật khẩu lưu trong kho khóa của hệ điều hành (%1), không lưu vào tệp "
                    "hay cơ sở dữ liệu."
                ).replace("%1", keyring.backend)
            )
        self.password.setPlaceholderText(
            self.tr("Đã lưu — để trống nếu không đổi")
            if stored
            else self.tr("Chưa có mật khẩu trên máy này")
        )
        self._set_enabled(self.editable)
        self.note.setText(
            ""
            if self.editable
            else self.tr("Chỉ vai trò Quản trị được sửa cài đặt gửi tin; các vai trò khác chỉ xem.")
        )
        self.loaded.emit()

    def show_config(self, config: NotifySettings) -> None:
        self.sms_url.setText(config.sms_url)
        self.smtp_host.setText(config.smtp_host)
        self.security.blockSignals(True)
        self.security.setCurrentIndex(max(0, self.security.findData(config.smtp_security)))
        self.security.blockSignals(False)
        self.smtp_port.setValue(config.smtp_port)
        self.smtp_from.setText(config.smtp_from)
        self.smtp_user.setText(config.smtp_user)

    def config(self) -> NotifySettings:
        """The shared settings as the form shows them (not yet checked)."""
        return NotifySettings(
            sms_url=self.sms_url.text().strip(),
            smtp_host=self.smtp_host.text().strip(),
            smtp_port=self.smtp_port.value(),
            smtp_from=self.smtp_from.text().strip(),
            smtp_security=str(self.security.currentData()),
            smtp_user=self.smtp_user.text().strip(),
        )

    def problems(self) -> list[str]:
        """The registry's refusals of the form's values (the words the service would use)."""
        return [self.tr(refusal.message) for refusal in self.config().problems()]

    # --- saving ---------------------------------------------------------------------------

    def save(self) -> None:
        if not self.editable:
            return
        found = self.problems()
        self.errors.setText("\n".join(found))
        self.errors.setVisible(bool(found))
        if found:
            return
        source, config = self._source, self.config()
        password = self.password.text() or None
        self._set_enabled(False)
        self.note.setText(self.tr("Đang lưu…"))
        self._tasks.write(
            lambda: source().save(config, password), on_result=self._saved, on_error=self._failed
        )

    def _saved(self, result: ConfigSaved) -> None:
        self._set_enabled(self.editable)
        self.password.clear()
        self.note.setStyleSheet("")
        if result.password_saved is False:
            self.note.setStyleSheet(RED)
            self.note.setText(
                self.tr(
                    "Đã lưu cài đặt, nhưng CHƯA lưu được mật khẩu: máy này không có kho khóa "
                    "của hệ điều hành (keyring)."
                )
            )
        else:
            self.note.setText(self.tr("Đã lưu cài đặt gửi tin."))
            if result.password_saved:
                self.password.setPlaceholderText(self.tr("Đã lưu — để trống nếu không đổi"))
        self.saved.emit(result)

    def _failed(self, error: BaseException) -> None:
        self._set_enabled(self.editable)
        self.note.setText(self._error_words(error))

    # --- test send ------------------------------------------------------------------------

    def send_test(self) -> None:
        if not self.editable:
            return
        phone, email = self.test_phone.text().strip(), self.test_email.text().strip()
        found = self.problems()
        if not (phone or email):
            found.append(self.tr("Nhập số điện thoại và/hoặc địa chỉ thư để gửi thử."))
        if found:
            self.test_result.setStyleSheet(RED)
            self.test_result.setText("\n".join(found))
            return
        source, config = self._source, self.config()
        password = self.password.text() or None
        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText(self.tr("Đang gửi thử…"))
        self._tasks.read(
            lambda: send_test(source().for_test(config, password), phone, email),
            on_result=lambda sent: self._tested(sent, phone, email),
            on_error=self._failed,
        )

    def _tested(self, sent: TestSent, phone: str, email: str) -> None:
        self.test_button.setEnabled(self.editable)
        lines = []
        for channel, target, error in (("SMS", phone, sent.sms), ("Thư", email, sent.email)):
            if not target:
                continue
            if error is None:
                line = f'<span style="{GREEN}">✔ {channel} → {html.escape(target)}: đã gửi</span>'
            else:
                line = (
                    f'<span style="{RED}">✘ {channel} → {html.escape(target)}: '
                    f"{html.escape(error)}</span>"
                )
            lines.append(line)
        self.test_result.setStyleSheet("")
        self.test_result.setText("<br>".join(lines))
        self.tested.emit(sent)
