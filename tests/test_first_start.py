"""Demo data never mixes with real data: the first start opens a separate demo database with
a banner; "start a real workstation" makes the real database, empty; demo units reach nobody."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pakn_desktop.app import Launched, open_main
from pakn_desktop.cli import main
from pakn_desktop.services.environment import Environment, resolve
from pakn_desktop.services.first_start import DEMO_FILE, choose

REAL = "pakn.sqlite3"


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _close(launched: Launched) -> None:
    launched.window.close()
    launched.database.close()


def test_first_start_opens_the_demo_database_with_a_banner(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    env = resolve(data_dir=str(tmp_path / "data"))
    start = choose(env)
    assert start.demo
    launched = open_main(qapp, start)
    window = launched.window
    try:
        with qtbot.waitSignal(window.demoLoaded, timeout=120_000) as loaded:
            pass
        assert loaded.args is not None and loaded.args[0] > 0
        assert window.demo_banner is not None and window.demo_banner.isVisible()
        assert "DỮ LIỆU MẪU" in window.windowTitle()
        assert "dữ liệu mẫu" in window.database_label.text()
        assert not (env.data_dir / REAL).exists(), "the real database is not even created"
        assert _count(env.data_dir / DEMO_FILE, "ticket") == loaded.args[0]
    finally:
        _close(launched)


def test_start_real_workstation_opens_an_empty_real_database_without_banner(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    env = resolve(data_dir=str(tmp_path / "data"))
    launched = open_main(qapp, choose(env))
    demo_window = launched.window
    try:
        with qtbot.waitSignal(demo_window.demoLoaded, timeout=120_000):
            pass
        assert demo_window.demo_banner is not None
        with qtbot.waitSignal(demo_window.realOpened, timeout=60_000) as opened:
            qtbot.mouseClick(demo_window.demo_banner.button, Qt.MouseButton.LeftButton)
        real_window = opened.args[0] if opened.args else None
        assert real_window is launched.window and real_window is not demo_window
        assert not demo_window.isVisible()
        assert real_window.demo_banner is None
        assert "DỮ LIỆU MẪU" not in real_window.windowTitle()
        # The new window has read its (empty) queue: nothing was seeded behind it.
        qtbot.waitUntil(lambda: real_window.queue.model.is_exact(), timeout=60_000)
        assert real_window.queue.model.rowCount() == 0
        real = env.data_dir / REAL
        assert _count(real, "ticket") == 0
        assert _count(real, "unit") == 0
        assert _count(env.data_dir / DEMO_FILE, "ticket") > 0, "the demo data stays apart"
        # From now on the program opens the real database.
        assert choose(env) == type(choose(env))(env, False)
    finally:
        _close(launched)


def test_a_named_database_is_never_swapped_for_the_demo_one(tmp_path: Path) -> None:
    data = tmp_path / "data"
    named = resolve(db=f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}", data_dir=str(data))
    assert not choose(named).demo
    default = resolve(data_dir=str(data))
    assert choose(default).demo  # no real database yet
    (data / REAL).touch()
    assert not choose(default).demo


def test_demo_goes_into_a_real_database_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "units", "list", "--json"]) == 0
    assert _count(data / REAL, "ticket") == 0  # a command opens the real database, empty
    assert main(["--data-dir", str(data), "demo", "--tickets", "30"]) == 0
    assert _count(data / REAL, "ticket") == 30
    capsys.readouterr()


def test_demo_contacts_use_reserved_domains_and_fictitious_numbers(
    migrated_env: Environment,
) -> None:
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.demo import generate
    from pakn_desktop.services.demo.places import DEMO_PHONE_PREFIX

    database = open_database(migrated_env)
    try:
        generate(database, 600, seed=3)
    finally:
        database.close()
    path = migrated_env.data_dir / REAL
    with sqlite3.connect(path) as conn:
        contacts = conn.execute("SELECT phone, email FROM unit_contact").fetchall()
        legacy = conn.execute(
            "SELECT count(*) FROM unit WHERE coalesce(contact_phone, contact_email) IS NOT NULL"
        ).fetchone()[0]
        units = conn.execute("SELECT count(*) FROM unit").fetchone()[0]
    assert len(contacts) == units > 0
    assert legacy == 0
    for phone, email in contacts:
        # Ofcom's drama range 020 7946 0000–0999 (never assigned) and RFC 2606's .example.
        assert phone.startswith(DEMO_PHONE_PREFIX) and len(phone) == len(DEMO_PHONE_PREFIX) + 3
        assert email.endswith(".example"), email
        assert "gov.vn" not in email
