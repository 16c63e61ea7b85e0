"""A bug from a slot or from a task opens the one crash dialog (issue 14), which keeps the
draft, leaves the window open, and whose report carries no personal data.

pytest-qt replaces ``sys.excepthook`` for each test to fail it on any exception a slot lets
out; the handler here is installed inside the test, over pytest-qt's, and put back after, so
these bugs reach the crash dialog as they do in the program, and any other still fails."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow, QPushButton
from pytestqt.qtbot import QtBot

from pakn_desktop.data.models import Draft
from pakn_desktop.services.database import Database
from pakn_desktop.ui.crash import CrashHandler
from pakn_desktop.ui.errors import error_text
from pakn_desktop.ui.intake.example import type_text
from pakn_desktop.ui.main.window import INTAKE, MainWindow
from pakn_desktop.ui.tasks import Tasks

from .identity_scan import leaks
from .protected_data import QUYNH
from .qt_helpers import no_thread_leaks  # noqa: F401 (fixture)
from .test_intake_screen import window as intake_window  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("no_thread_leaks")

PERSONAL = f"{QUYNH.name}, {QUYNH.phone}"  # what a message may quote from the form


class Planted(Exception):
    pass


def buggy(citizen: str = PERSONAL) -> None:
    said = citizen  # a local value holding personal data: never in a report
    raise Planted(f"không lưu được phản ánh của {said}")


@pytest.fixture
def window(qtbot: QtBot) -> QMainWindow:
    win = QMainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def crash(qtbot: QtBot, window: QMainWindow) -> Iterator[CrashHandler]:
    kept: list[str] = []
    handler = CrashHandler(window, keep_draft=lambda: kept.append("draft"), window=lambda: window)
    handler.kept = kept  # type: ignore[attr-defined]
    handler.install()
    yield handler
    handler.uninstall()
    if handler.dialog is not None:
        handler.dialog.close()


@pytest.fixture
def tasks() -> Iterator[Tasks]:
    runner = Tasks()
    yield runner
    runner.shutdown()


def _check_dialog(qtbot: QtBot, crash: CrashHandler, window: QMainWindow) -> None:
    qtbot.waitUntil(lambda: crash.dialog is not None and crash.dialog.isVisible())
    dialog = crash.dialog
    assert dialog is not None
    assert "lỗi không mong đợi" in dialog.windowTitle()
    details = dialog.details.toPlainText()
    assert "Planted" in details and "buggy" in details, details
    assert leaks(details, QUYNH) == [], details
    assert crash.kept == ["draft"]  # type: ignore[attr-defined]
    assert window.isVisible()  # the dialog never closes the window
    dialog.copy.click()
    assert QGuiApplication.clipboard().text() == details


def test_a_bug_in_a_slot_opens_the_crash_dialog(
    qtbot: QtBot, window: QMainWindow, crash: CrashHandler
) -> None:
    button = QPushButton("x", window)
    button.clicked.connect(lambda: buggy())
    assert sys.excepthook == crash.hook
    button.click()  # PySide hands the slot's exception to sys.excepthook
    _check_dialog(qtbot, crash, window)
    # A second bug goes into the same dialog, and the draft is not queued again.
    button.click()
    assert crash.dialog is not None and crash.dialog.count == 2
    assert crash.kept == ["draft"]  # type: ignore[attr-defined]
    crash.dialog.reject()
    assert crash.dialog is None and window.isVisible()


def test_a_bug_in_a_task_without_a_handler_opens_the_crash_dialog(
    qtbot: QtBot, window: QMainWindow, crash: CrashHandler, tasks: Tasks
) -> None:
    tasks.read(buggy)
    _check_dialog(qtbot, crash, window)


def test_a_bug_a_task_handler_raises_again_opens_the_crash_dialog(
    qtbot: QtBot, window: QMainWindow, crash: CrashHandler, tasks: Tasks
) -> None:
    shown: list[str] = []
    tasks.read(buggy, on_error=lambda error: shown.append(error_text(error)))
    _check_dialog(qtbot, crash, window)
    assert shown == []


def test_without_the_handler_pytest_qt_still_sees_the_bug(qtbot: QtBot, tasks: Tasks) -> None:
    """The task runner hands a bug to sys.excepthook, whoever installed it: in a test without
    the crash dialog that is pytest-qt's, which fails the test (captured here)."""
    with qtbot.capture_exceptions() as exceptions:
        tasks.read(buggy)
        qtbot.waitUntil(lambda: bool(exceptions))
    assert exceptions[0][0] is Planted


def test_the_crash_dialog_keeps_the_open_draft_in_the_main_window(
    qtbot: QtBot,
    intake_window: MainWindow,  # noqa: F811 (the fixture)
    database: Database,
) -> None:
    """What the operator typed is written as a draft when a bug opens the dialog, before the
    draft timer would have; the window stays open and usable."""
    from .test_intake_screen import count, start_call

    screen = start_call(qtbot, intake_window)
    type_text(screen.form.content, "Cống bị tắc ở hẻm 42 Lê Lợi")
    assert screen.controller.dirty and count(database, Draft) == 0
    screen.controller._draft_timer.stop()  # only the crash dialog may write it now
    handler = CrashHandler(
        intake_window, keep_draft=intake_window.keep_draft, window=lambda: intake_window
    )
    handler.install()
    try:
        button = QPushButton("x", intake_window)
        button.clicked.connect(lambda: buggy())
        with qtbot.waitSignal(screen.controller.draftSaved, timeout=5_000):
            button.click()
        assert handler.dialog is not None and handler.dialog.isVisible()
        assert count(database, Draft) == 1
        handler.dialog.reject()
        assert intake_window.isVisible() and intake_window.current_screen() == INTAKE
    finally:
        handler.uninstall()


@pytest.mark.parametrize("debug", [False, True])
def test_the_gui_installs_the_dialog_and_starts_its_log_after_the_first_paint(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, debug: bool
) -> None:
    """What ``pakn-desktop [--debug]`` with no subcommand does around the window: the crash
    hook from the start, the log in the data folder once the window has painted, its level
    DEBUG with ``--debug``, INFO without."""
    from pakn_desktop.app import _crash_dialog, open_main
    from pakn_desktop.services.environment import resolve
    from pakn_desktop.services.first_start import Start
    from pakn_desktop.services.logging_setup import stop_logging

    env = resolve(data_dir=str(tmp_path))
    launched = open_main(qapp, Start(env, False))
    crash = _crash_dialog(launched, env, debug=debug)
    try:
        assert sys.excepthook == crash.hook
        qtbot.waitUntil(lambda: crash.log_file is not None, timeout=30_000)
        assert crash.log_file == tmp_path / "logs" / "pakn.log"
        level = logging.getLogger("pakn_desktop").level
        assert level == (logging.DEBUG if debug else logging.INFO)
    finally:
        crash.uninstall()
        stop_logging()
        launched.window.close()
        launched.database.close()
