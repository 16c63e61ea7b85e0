"""The "Máy chủ đồng bộ" dialog (Ctrl+Alt+S): the address saved as the shared setting without
its password, the password in the keyring (or said plainly not saved), a bad address refused in
Vietnamese, the connection test against the real server and a closed port; the sync takes the
keyring's password; a saved address restarts the window's sync."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.engine import make_url

from pakn_desktop.data.settings.sync import SERVER_URL
from pakn_desktop.services.changes import Changes, Topic
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.settings import KEYRING_SERVICE, Settings
from pakn_desktop.services.sync.connection import Checked, password_for
from pakn_desktop.services.sync.push import Pusher
from pakn_desktop.ui.admin.sync_dialog import SyncServerDialog
from pakn_desktop.ui.main.window import MainWindow
from tests.qt_helpers import open_window
from tests.test_notify_smtp_auth import FileKeyring

SECRET = "mat-khau-dong-bo-42"
ADDRESS = "postgresql://127.0.0.1:5432/pakn"


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[FileKeyring]:
    before = keyring.get_keyring()
    backend = FileKeyring(tmp_path / "keyring.json")
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture
def window(
    qtbot: QtBot,
    database: Database,
    env: Environment,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> MainWindow:
    for name in ("PAKN_SYNC_URL", "PAKN_SYNC_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return open_window(qtbot, database, env, tmp_path)


def _open(qtbot: QtBot, window: MainWindow, role: str = "admin") -> SyncServerDialog:
    window.role_box.setCurrentIndex(window.role_box.findData(role))
    window.activateWindow()
    window.admin.sync_dialog = None
    qtbot.keyClick(
        window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    qtbot.waitUntil(lambda: window.admin.sync_dialog is not None)
    dialog = window.admin.sync_dialog
    assert isinstance(dialog, SyncServerDialog)
    qtbot.waitUntil(lambda: dialog.keyring is not None, timeout=10_000)
    return dialog


def _fill(dialog: SyncServerDialog, address: str, user: str = "", password: str = "") -> None:
    dialog.address.setText(address)
    dialog.user.setText(user)
    dialog.password.setText(password)


def _stored(database: Database) -> str:
    return Settings(database, {}).get(SERVER_URL)


def _setting_rows(database: Database) -> str:
    with database.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM setting")).all()
        outbox = conn.execute(text("SELECT * FROM outbox")).all()
    return repr(rows) + repr(outbox)


def _nowhere_but(folder: Path, keyring_file: Path | None = None) -> None:
    """No file under ``folder`` (the database, its WAL, the UI state, the log) holds the
    password, but the test keyring's own."""
    for path in folder.rglob("*"):
        if path.is_file() and path != keyring_file:
            assert SECRET.encode() not in path.read_bytes(), path


def test_an_administrator_saves_the_address_and_the_password_in_the_keyring(
    qtbot: QtBot, window: MainWindow, database: Database, vault: FileKeyring
) -> None:
    heard: list[Changes] = []
    window.changes.changed.connect(lambda changes, _by: heard.append(changes))
    dialog = _open(qtbot, window)
    assert dialog.keyring is not None and dialog.keyring.usable
    assert "FileKeyring" in dialog.keyring_label.text()
    _fill(dialog, ADDRESS, "dongbo", SECRET)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save_button.click()
    assert _stored(database) == "postgresql://dongbo@127.0.0.1:5432/pakn"
    assert vault.get_password(KEYRING_SERVICE, "sync:dongbo@127.0.0.1") == SECRET
    assert SECRET not in _setting_rows(database)  # never the database
    _nowhere_but(vault.path.parent, vault.path)
    assert dialog.password.text() == ""
    assert any(c.has(Topic.SYNC_SETTINGS) for c in heard)
    # The sync connects with it: the URL has none, the keyring has it.
    assert password_for(_stored(database)) == SECRET
    engine = Pusher(database, _stored(database)).server_engine()
    try:
        assert engine.url.password == SECRET
        assert SECRET not in repr(engine.url) and SECRET not in str(engine.url)
    finally:
        engine.dispose()
    dialog.close()
    again = window.admin.sync_server()  # read back: the address and user apart, password kept
    assert isinstance(again, SyncServerDialog)
    qtbot.waitUntil(lambda: again.keyring is not None, timeout=10_000)
    assert again.address.text() == ADDRESS and again.user.text() == "dongbo"
    assert again.password.placeholderText().startswith("Đã lưu")


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("mysql://maychu/pakn", "phải là PostgreSQL"),
        ("postgresql://dongbo:matkhau@maychu/pakn", "đừng ghi mật khẩu trong địa chỉ"),
        ("postgresql://maychu:99999/pakn", "cổng"),
        ("postgresql://may1:5432,may2:70000/pakn", "cổng"),
    ],
)
def test_a_bad_address_is_refused_in_vietnamese(
    qtbot: QtBot,
    window: MainWindow,
    database: Database,
    vault: FileKeyring,
    address: str,
    words: str,
) -> None:
    dialog = _open(qtbot, window)
    _fill(dialog, address, "dongbo")
    dialog.save_button.click()
    assert dialog.errors.isVisible() and words in dialog.errors.text()
    assert "matkhau" not in dialog.errors.text()
    assert _stored(database) == ""  # nothing saved
    dialog.test_button.click()
    assert words in dialog.test_result.text()


def test_a_replicated_cluster_address_is_accepted(
    qtbot: QtBot, window: MainWindow, database: Database, vault: FileKeyring
) -> None:
    dialog = _open(qtbot, window)
    cluster = "postgresql://may1:5432,may2:5433/pakn?target_session_attrs=read-write"
    _fill(dialog, cluster, "dongbo", SECRET)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save_button.click()
    assert _stored(database) == cluster.replace("//", "//dongbo@", 1)
    assert vault.get_password(KEYRING_SERVICE, "sync:dongbo@may1") == SECRET


def test_no_keyring_is_said_and_the_password_goes_nowhere(
    qtbot: QtBot, window: MainWindow, database: Database, tmp_path: Path
) -> None:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        dialog = _open(qtbot, window)
        assert dialog.keyring is not None and not dialog.keyring.usable
        assert "không có kho khóa" in dialog.keyring_label.text()
        assert "~/.pgpass" in dialog.keyring_label.text()
        _fill(dialog, ADDRESS, "dongbo", SECRET)
        with qtbot.waitSignal(dialog.saved, timeout=10_000):
            dialog.save_button.click()
        assert "CHƯA lưu được mật khẩu" in dialog.note.text()
        assert _stored(database) == "postgresql://dongbo@127.0.0.1:5432/pakn"
        assert SECRET not in _setting_rows(database)
        _nowhere_but(tmp_path)
        assert password_for(_stored(database)) is None  # not kept: a new session is asked
        # This session uses it (decision 51): held in the one Secrets' memory.
        assert window._services.sync_password(_stored(database)) == SECRET
        dialog.close()  # opened again, it says the password is typed for this session
        again = window.admin.sync_server()
        assert isinstance(again, SyncServerDialog)
        qtbot.waitUntil(lambda: again.keyring is not None, timeout=10_000)
        assert again.password.placeholderText().startswith("Đã nhập cho phiên này")
    finally:
        keyring.set_keyring(before)


@pytest.mark.postgres
def test_the_connection_test_reaches_the_real_server(
    qtbot: QtBot, window: MainWindow, vault: FileKeyring, pg_migrated_url: str
) -> None:
    url = make_url(pg_migrated_url)
    dialog = _open(qtbot, window)
    address = f"postgresql://{url.host}:{url.port}/{url.database}"
    _fill(dialog, address, str(url.username), "khong-can")  # the test server trusts
    with qtbot.waitSignal(dialog.tested, timeout=20_000) as tested:
        dialog.test_button.click()
    result = tested.args[0]
    assert isinstance(result, Checked) and result.reachable and result.matches
    assert "Kết nối được" in dialog.test_result.text() and "khớp" in dialog.test_result.text()
    # A replicated cluster: the first host is down, libpq goes on to the next.
    _fill(
        dialog,
        f"postgresql://127.0.0.1:9,{url.host}:{url.port}/{url.database}"
        "?target_session_attrs=read-write",
        str(url.username),
    )
    with qtbot.waitSignal(dialog.tested, timeout=20_000) as tested:
        dialog.test_button.click()
    assert tested.args[0].reachable, dialog.test_result.text()


def test_the_connection_test_says_a_closed_port_is_unreachable(
    qtbot: QtBot, window: MainWindow, vault: FileKeyring
) -> None:
    dialog = _open(qtbot, window)
    _fill(dialog, "postgresql://127.0.0.1:9/pakn", "dongbo", SECRET)  # nothing listens on 9
    with qtbot.waitSignal(dialog.tested, timeout=20_000) as tested:
        dialog.test_button.click()
    assert not tested.args[0].reachable
    assert dialog.test_result.text().startswith("✘ Không kết nối được")
    assert SECRET not in dialog.test_result.text()


def test_other_roles_only_read(qtbot: QtBot, window: MainWindow, vault: FileKeyring) -> None:
    dialog = _open(qtbot, window, "operator")
    assert not dialog.address.isEnabled() and not dialog.save_button.isEnabled()
    assert "Chỉ vai trò Quản trị" in dialog.note.text()


@pytest.mark.postgres
def test_a_saved_server_starts_the_windows_sync(
    qtbot: QtBot, window: MainWindow, vault: FileKeyring, pg_migrated_url: str
) -> None:
    sync = window._watchers.sync
    assert sync is not None and not sync.running  # no server yet
    url = make_url(pg_migrated_url)
    dialog = _open(qtbot, window)
    _fill(dialog, f"postgresql://{url.host}:{url.port}/{url.database}", str(url.username))
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save_button.click()
    # Restarted on the hub's SYNC_SETTINGS: a round with the new server.
    qtbot.waitUntil(
        lambda: window.status.sync_label.text().startswith("Đồng bộ lúc"), timeout=60_000
    )
    assert sync.running
    # The address removed: the watcher told to stop, the status bar says no server is set.
    dialog.address.clear()
    dialog.user.clear()
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: window.status.sync_label.text() == "Chưa cấu hình đồng bộ")
    assert "Ctrl+Alt+S" in window.status.sync_label.toolTip()
