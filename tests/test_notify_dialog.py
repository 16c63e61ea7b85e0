"""The notification settings dialog: Ctrl+Alt+N, administrators edit and send a real test
through local servers; the password goes to the keyring; no keyring is said, not a crash."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.notify.settings import KEYRING_SERVICE, load_config, password_key
from pakn_desktop.ui.admin.notify_dialog import NotifySettingsDialog
from pakn_desktop.ui.main.window import MainWindow
from tests.local_servers import Certificate, secure_smtp_server, self_signed, sms_gateway
from tests.qt_helpers import open_window
from tests.test_notify_smtp_auth import FileKeyring

USER, RIGHT = "pakn@trungtam.vn", "mật-khẩu-đúng"


@pytest.fixture
def certificate(tmp_path: Path) -> Certificate:
    return self_signed(tmp_path)


@pytest.fixture
def window(
    qtbot: QtBot,
    database: Database,
    env: Environment,
    tmp_path: Path,
    certificate: Certificate,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[MainWindow]:
    monkeypatch.setenv("PAKN_SMTP_CA_FILE", certificate.cert_file)  # trust the test's CA
    for name in ("PAKN_SMS_URL", "PAKN_SMTP_HOST", "PAKN_SMTP_PORT", "PAKN_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    yield open_window(qtbot, database, env, tmp_path)


def _open(qtbot: QtBot, window: MainWindow, role: str) -> NotifySettingsDialog:
    window.role_box.setCurrentIndex(window.role_box.findData(role))
    window.activateWindow()
    qtbot.keyClick(
        window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    qtbot.waitUntil(lambda: window.admin.notify_dialog is not None)
    dialog = window.admin.notify_dialog
    assert isinstance(dialog, NotifySettingsDialog)
    qtbot.waitUntil(lambda: dialog.keyring is not None, timeout=10_000)
    return dialog


def test_an_administrator_configures_tests_and_saves(
    qtbot: QtBot, window: MainWindow, database: Database, certificate: Certificate, tmp_path: Path
) -> None:
    before = keyring.get_keyring()
    vault = FileKeyring(tmp_path / "keyring.json")
    keyring.set_keyring(vault)
    try:
        dialog = _open(qtbot, window, "admin")
        assert dialog.keyring is not None and dialog.keyring.usable
        with sms_gateway() as gateway, secure_smtp_server(certificate, USER, RIGHT) as mailbox:
            qtbot.keyClicks(dialog.sms_url, gateway.url)
            qtbot.keyClicks(dialog.smtp_host, "127.0.0.1")
            dialog.security.setCurrentIndex(dialog.security.findData("starttls"))
            assert dialog.smtp_port.value() == 587  # the usual port follows the security
            dialog.smtp_port.setValue(mailbox.port)
            dialog.smtp_from.clear()
            qtbot.keyClicks(dialog.smtp_from, "pakn@trungtam.vn")
            qtbot.keyClicks(dialog.smtp_user, USER)
            qtbot.keyClicks(dialog.password, "sai")
            qtbot.keyClicks(dialog.test_phone, "0901000001")
            qtbot.keyClicks(dialog.test_email, "thu@donvi.vn")
            with qtbot.waitSignal(dialog.tested, timeout=15_000):
                qtbot.keyClick(dialog, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
            assert "✔ SMS" in dialog.test_result.text()
            assert "sai tên đăng nhập hoặc mật khẩu" in dialog.test_result.text()
            dialog.password.setText(RIGHT)  # pasted: QTest types Latin-1 only
            with qtbot.waitSignal(dialog.tested, timeout=15_000):
                qtbot.keyClick(dialog, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
            assert "✔ Thư" in dialog.test_result.text()
            _render(dialog, "notify_settings_admin")
            assert [r["to"] for r in gateway.requests] == ["0901000001", "0901000001"]
            assert len(mailbox.messages) == 1 and mailbox.tls_seen == [True]
        with qtbot.waitSignal(dialog.saved, timeout=10_000):
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert vault.get_password(KEYRING_SERVICE, password_key("127.0.0.1", USER)) == RIGHT
        config = load_config(database)
        assert (config.smtp_host, config.smtp_security, config.smtp_user) == (
            "127.0.0.1",
            "starttls",
            USER,
        )
        assert dialog.password.text() == "" and "Đã lưu" in dialog.password.placeholderText()
        dialog.reject()
    finally:
        keyring.set_keyring(before)


def test_no_keyring_is_said_and_bad_values_refused(
    qtbot: QtBot, window: MainWindow, database: Database
) -> None:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        dialog = _open(qtbot, window, "admin")
        assert "không có kho khóa" in dialog.keyring_label.text()
        qtbot.keyClicks(dialog.sms_url, "sms.local/api")
        qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)
        assert "phải bắt đầu bằng http://" in dialog.errors.text()
        assert load_config(database).sms_url == ""
        dialog.sms_url.setText("http://sms.local/api")
        qtbot.keyClicks(dialog.smtp_host, "mail.local")
        qtbot.keyClicks(dialog.smtp_user, USER)
        dialog.password.setText(RIGHT)
        with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
            qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)
        assert saved.args is not None and saved.args[0].password_saved is False
        assert "CHƯA lưu được mật khẩu" in dialog.note.text()
        assert load_config(database).smtp_user == USER
        _render(dialog, "notify_settings_no_keyring")
        dialog.reject()
    finally:
        keyring.set_keyring(before)


def test_an_operator_only_looks(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _open(qtbot, window, "operator")
    assert not dialog.editable and not dialog.save_button.isEnabled()
    assert not dialog.smtp_host.isEnabled() and not dialog.test_button.isEnabled()
    assert "Chỉ vai trò Quản trị" in dialog.note.text()
    dialog.reject()


def _render(dialog: NotifySettingsDialog, name: str) -> None:
    out = os.environ.get("PAKN_RENDER_DIR")
    if out:
        dialog.grab().save(str(Path(out) / f"{name}.png"))
