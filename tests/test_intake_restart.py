"""After a restart with drafts left open, the intake screen opens on them (never on an endless
"Đang tải…"): the window built on the same database shows the drafts list and offers them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from pakn_desktop.domain.ids import new_id
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.intake.drafts import DraftService
from pakn_desktop.services.intake.form import form_to_mapping
from pakn_desktop.ui.main.window import INTAKE, MainWindow

from .intake_data import form
from .qt_helpers import open_window


def _waiting_labels(window: MainWindow) -> list[str]:
    return [
        label.text()
        for label in window.findChildren(QLabel)
        if label.text() == "Đang tải…" and label.isVisible()
    ]


@pytest.fixture
def restarted(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> Iterator[MainWindow]:
    drafts = DraftService(database)
    for text in ("Cống tắc ở hẻm 42", "Đèn đường hỏng ở ngã tư"):
        data = form_to_mapping(form(content=text))
        drafts.save(new_id(), "call", data)
    yield open_window(
        qtbot, database, env, tmp_path, size=(1366, 768), start="started", shown="exposed"
    )


def test_a_restart_with_drafts_opens_the_intake_screen_on_them(
    qtbot: QtBot, restarted: MainWindow
) -> None:
    window = restarted
    qtbot.waitUntil(lambda: window.current_screen() == INTAKE, timeout=10_000)
    # The screen is there with its drafts, not a placeholder waiting for a key.
    qtbot.waitUntil(lambda: window._intake_page.built, timeout=10_000)
    screen = window.intake
    qtbot.waitUntil(lambda: screen.drafts.model.rowCount() == 2, timeout=10_000)
    assert _waiting_labels(window) == []
    assert screen.drafts_bar.isVisible()

    qtbot.keyClick(window, Qt.Key.Key_F2)
    assert window.current_screen() == INTAKE
    assert _waiting_labels(window) == []
    assert screen.drafts.model.rowCount() == 2


def test_choosing_intake_after_start_shows_the_intake_form_not_a_placeholder(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> None:
    window = open_window(
        qtbot, database, env, tmp_path, size=None, start="started", shown="exposed"
    )
    window.show_screen(INTAKE)  # what Ctrl+1 and a click on "Tiếp nhận" do
    assert window._intake_page.built
    screen = window.intake
    qtbot.waitUntil(lambda: screen.lists is not None, timeout=10_000)
    qtbot.waitUntil(lambda: not _waiting_labels(window), timeout=10_000)
    assert screen.form.isVisible()
