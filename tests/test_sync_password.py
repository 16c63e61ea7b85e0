"""The sync server's password when the workstation has no OS keyring (decision 51), against a
PostgreSQL of the test's own that asks for a password (the suite's server trusts every login):
the login refused is its own refusal, the outbox waits; the window offers a prompt that says
why it asks, takes the password for the session only and syncs; a wrong one is asked again;
with a keyring the prompt can keep it; at a terminal the command line asks once. The password
is written to no file."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pakn_desktop.data.errors import ErrorCode, classify
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.sync.errors import LOGIN_REFUSED, SyncRefused
from pakn_desktop.services.sync.push import Pusher
from pakn_desktop.ui.main.sync_password import SyncPasswordDialog
from pakn_desktop.ui.main.window import MainWindow
from tests.db_template import MigratedEnv
from tests.pg_cluster import password_server
from tests.qt_helpers import open_window
from tests.sync_data import outbox_rows, server_scalar, station, take_reports
from tests.test_notify_smtp_auth import FileKeyring, vault  # noqa: F401 (a fixture)

pytestmark = pytest.mark.postgres

SECRET = "Mk-dong-bo-9f3a"
ROUND_MS = 60_000


@pytest.fixture(scope="module")
def password_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    """(the port, a migrated template database) of a server that asks for a password."""
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.environment import resolve

    with password_server(SECRET) as node:
        _admin(node.port, "CREATE DATABASE pakn_template")
        folder = tmp_path_factory.mktemp("password-server")
        url = f"postgresql+psycopg://postgres:{SECRET}@127.0.0.1:{node.port}/pakn_template"
        open_database(resolve(db=url, data_dir=str(folder))).close()
        yield node.port, "pakn_template"


@pytest.fixture
def server(password_template: tuple[int, str]) -> Iterator[str]:
    """The address, without its password, of a new migrated server database of this test."""
    port, template = password_template
    name = f"pakn_{uuid.uuid4().hex[:12]}"
    _admin(port, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{name}"
    _admin(port, f'DROP DATABASE "{name}" WITH (FORCE)')


def _admin(port: int, sql: str) -> None:
    from sqlalchemy import create_engine, text

    url = f"postgresql+psycopg://postgres:{SECRET}@127.0.0.1:{port}/postgres"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


@pytest.fixture(autouse=True)
def no_other_password(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Neither libpq's nor the program's other sources of a password."""
    for name in ("PGPASSWORD", "PAKN_SYNC_PASSWORD", "PAKN_SYNC_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))


def _with_password(url: str, password: str) -> str:
    return url.replace("postgres@", f"postgres:{password}@")


def _files_holding(folder: Path, secret: str) -> list[Path]:
    needle = secret.encode()
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_a_refused_login_is_its_own_refusal_and_the_outbox_waits(
    server: str, migrated: MigratedEnv, tmp_path: Path
) -> None:
    from sqlalchemy import create_engine

    for url in (server, _with_password(server, "sai-mat-khau")):
        engine = create_engine(url)
        with pytest.raises(Exception) as refused:
            engine.connect()
        engine.dispose()
        known = classify(refused.value)
        assert known is not None and known.code == ErrorCode.AUTH
    with station(migrated, tmp_path / "a", "PW01") as a:
        take_reports(a, 3)
        before = outbox_rows(a.database)
        for password in (None, "sai-mat-khau"):
            pusher = Pusher(a.database, server, passwords=lambda _url, p=password: p)
            with pytest.raises(SyncRefused) as stopped:
                pusher.push()
            assert stopped.value.code == LOGIN_REFUSED
            assert "từ chối đăng nhập" in stopped.value.message
            assert "sai-mat-khau" not in stopped.value.message
        assert outbox_rows(a.database) == before  # nothing sent, nothing acknowledged


def test_a_password_typed_for_the_session_syncs_and_is_kept_nowhere(
    server: str, migrated: MigratedEnv, tmp_path: Path
) -> None:
    environ = {"PAKN_SYNC_URL": server}
    with station(migrated, tmp_path / "b", "PW02", environ=environ) as b:
        reports = take_reports(b, 4)
        with pytest.raises(SyncRefused) as refused:
            b.sync.once()
        assert refused.value.code == LOGIN_REFUSED
        taken = b.sync_connection.use_password(SECRET, keep=False)
        assert not taken.kept and not taken.error
        counts = b.sync.once()
        assert counts.pending == 0 and counts.pushed > 0
        on_server = "SELECT count(*) FROM ticket WHERE id IN ({})".format(
            ",".join(f"'{r}'" for r in reports)
        )
        assert server_scalar(_with_password(server, SECRET), on_server) == 4
        assert _files_holding(tmp_path, SECRET) == []
    # A new session (new services, a new memory): asked again.
    with (
        station(migrated, tmp_path / "b2", "PW03", environ=environ) as again,
        pytest.raises(SyncRefused),
    ):
        again.sync.once()


def _refused(win: MainWindow) -> bool:
    return win.status.sync_password_button.isVisible()


def _synced(win: MainWindow) -> bool:
    return win.status.sync_label.text().startswith("Đồng bộ lúc")


def test_the_window_asks_for_the_password_says_why_and_syncs(
    qtbot: QtBot,
    database: Database,
    env: Environment,
    tmp_path: Path,
    server: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PAKN_SYNC_URL", server)
    win = open_window(qtbot, database, env, tmp_path, size=None)
    qtbot.waitUntil(lambda: _refused(win), timeout=ROUND_MS)
    assert win.status.sync_label.text() == "Đồng bộ: máy chủ cần mật khẩu"
    assert "từ chối đăng nhập" in win.status.sync_label.toolTip()
    prompt = win._watchers.password_prompt
    assert prompt is not None
    with qtbot.waitSignal(prompt.opened, timeout=10_000) as opened:
        win.status.sync_password_button.click()
    dialog = opened.args[0]
    assert isinstance(dialog, SyncPasswordDialog)
    assert "không có kho khóa" in dialog.why.text()
    assert not dialog.keep.isEnabled() and not dialog.keep.isChecked()
    dialog.buttons.accepted.emit()  # nothing typed: said, not sent
    assert dialog.isVisible() and dialog.error.text() == "Chưa nhập mật khẩu."
    # A wrong password: the server refuses it and the prompt comes back saying so.
    dialog.password.setText("sai-mat-khau")
    with qtbot.waitSignal(prompt.opened, timeout=ROUND_MS) as reopened:
        dialog.buttons.accepted.emit()
    again = reopened.args[0]
    assert isinstance(again, SyncPasswordDialog) and again is not dialog
    assert again.error.text() == "Máy chủ vẫn từ chối mật khẩu vừa nhập."
    again.password.setText(SECRET)
    again.buttons.accepted.emit()
    qtbot.waitUntil(lambda: _synced(win), timeout=ROUND_MS)
    assert not win.status.sync_password_button.isVisible()
    assert "0 chờ gửi" in win.status.sync_label.text()
    watch = win._watchers.sync
    win.close()
    assert watch is not None and not watch.running
    assert _files_holding(tmp_path, SECRET) == []


def test_with_a_keyring_the_prompt_keeps_the_password_for_the_next_start(
    qtbot: QtBot,
    database: Database,
    env: Environment,
    tmp_path: Path,
    server: str,
    vault: FileKeyring,  # noqa: F811 (the fixture)
    monkeypatch: pytest.MonkeyPatch,
    migrated: MigratedEnv,
) -> None:
    monkeypatch.setenv("PAKN_SYNC_URL", server)
    win = open_window(qtbot, database, env, tmp_path, size=None)
    qtbot.waitUntil(lambda: _refused(win), timeout=ROUND_MS)
    prompt = win._watchers.password_prompt
    assert prompt is not None
    with qtbot.waitSignal(prompt.opened, timeout=10_000) as opened:
        qtbot.keyClick(win, "P", qtbot_modifiers())
    dialog = opened.args[0]
    assert dialog.keep.isEnabled() and dialog.keep.isChecked()
    assert "kho khóa (FileKeyring)" in dialog.why.text()
    dialog.password.setText(SECRET)
    with qtbot.waitSignal(prompt.taken, timeout=10_000) as taken:
        dialog.buttons.accepted.emit()
    assert taken.args[0].kept
    qtbot.waitUntil(lambda: _synced(win), timeout=ROUND_MS)
    win.close()
    stored = json.loads(vault.path.read_text())
    assert SECRET in stored.values()
    # The next start (new services, a new memory) reads the keyring's: no prompt.
    with station(migrated, tmp_path / "next", "PW04", environ={"PAKN_SYNC_URL": server}) as nxt:
        assert nxt.sync.once().pending == 0


def qtbot_modifiers() -> object:
    from PySide6.QtCore import Qt

    return Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def _cli(data: Path, *args: str) -> list[str]:
    entry = "import sys; from pakn_desktop.cli import main; sys.exit(main())"
    return [sys.executable, "-c", entry, "--data-dir", str(data), *args]


def test_the_command_line_asks_once_at_a_terminal_and_refuses_a_script(
    server: str, migrated: MigratedEnv, tmp_path: Path
) -> None:
    data = migrated(tmp_path / "cli").data_dir
    station_code = subprocess.run(
        _cli(data, "db", "upgrade", "--station", "PW05"), capture_output=True, text=True
    )
    assert station_code.returncode == 0, station_code.stderr
    intake = subprocess.run(
        _cli(data, "demo", "--tickets", "3"), capture_output=True, text=True, timeout=120
    )
    assert intake.returncode == 0, intake.stderr
    environ = {**os.environ, "PAKN_SYNC_URL": server, "QT_QPA_PLATFORM": "offscreen"}
    script = subprocess.run(
        _cli(data, "sync", "--once", "--json"),
        env=environ,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert script.returncode == 3, script.stderr
    assert json.loads(script.stdout)["refused"]["code"] == LOGIN_REFUSED
    # At a terminal: asked once, then the sync runs.
    pid, terminal = pty.fork()
    if pid == 0:  # the child: the terminal is its controlling one, as a user's
        command = _cli(data, "sync", "--once")
        os.execve(command[0], command, environ)
    said = _read_until(terminal, "Mật khẩu máy chủ đồng bộ: ".encode())
    assert "chỉ dùng cho lần chạy này".encode() in said
    os.write(terminal, SECRET.encode() + b"\n")
    rest = _read_until(terminal, None)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, rest.decode(errors="replace")
    assert b"pending: 0" in rest
    assert SECRET.encode() not in said + rest  # getpass does not echo it
    assert _files_holding(data, SECRET) == []


def _read_until(fd: int, marker: bytes | None, timeout: float = 120.0) -> bytes:
    """The terminal's output until ``marker`` (None: until the child closes it)."""
    import time

    seen = b""
    deadline = time.monotonic() + timeout
    while marker is None or marker not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"the terminal said: {seen.decode(errors='replace')}")
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            chunk = b""
        if not chunk:
            if marker is None:
                return seen
            raise AssertionError(f"the terminal closed: {seen.decode(errors='replace')}")
        seen += chunk
    return seen
