"""Helpers for Qt tests: the main window, and the fixture that fails a test leaving threads
or work behind.

``open_window`` builds the main window the one way GUI tests do; the ``window`` fixture is
that window on the test's database, started.

napari's idea: a test that returns while background work still runs makes the *next* test
flaky, so the leak is reported where it happens. ``no_thread_leaks`` is autouse (this module
is a plugin of ``conftest.py``) and checks every Qt test, i.e. every test that uses pytest-qt
(``qtbot``, ``qapp``, ``qtmodeltester``), once pytest-qt has closed its widgets and the
test's own fixtures are torn down:
- every ``ui.tasks.Tasks`` runner still alive has been shut down and holds no work;
- Qt's global thread pool runs no work;
- no thread started during the test (a QThread, a Python thread) is still alive. Threads of
  fixtures wider than the test (a module's database and its indexer) started before it and do
  not count. Idle threads named "Thread (pooled)" are left out: Qt's own GUI pool lends them to
  image conversion when a window paints and keeps them idle for 30 s; pools are checked above.
Threads that are finishing get a short, condition-based wait.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

# numpy (under the dashboard's charts) starts OpenBLAS's thread pool on first import and keeps
# it: imported here, before any test runs, so those threads are never counted as a test's leak.
import numpy  # noqa: F401
import pytest
from PySide6.QtCore import QSettings, QThreadPool
from pytestqt.qtbot import QtBot

from pakn_desktop.ui.intake.example import type_text
from pakn_desktop.ui.tasks import Tasks

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.environment import Environment
    from pakn_desktop.ui.main.window import MainWindow

# Typing Vietnamese as key events: one definition, the screenshot examples' (re-exported here).
__all__ = ["no_thread_leaks", "open_window", "running_threads", "type_text", "window"]

QT_FIXTURES = frozenset({"qtbot", "qapp", "qtmodeltester"})
WAIT_MS = 3000


def _os_name(tid: int | str) -> str | None:
    try:
        with open(f"/proc/self/task/{tid}/comm") as comm:
            return comm.read().strip()
    except OSError:  # the thread ended meanwhile
        return None


def running_threads() -> set[int]:
    """Native ids of this process's threads, idle Qt pool threads left out."""
    names = {int(tid): _os_name(tid) for tid in os.listdir("/proc/self/task")}
    return {tid for tid, name in names.items() if name not in (None, "Thread (pooled)")}


def _describe(leaked: set[int]) -> str:
    python = {t.native_id: t.name for t in threading.enumerate()}
    return ", ".join(sorted(python.get(tid) or f"{_os_name(tid)} ({tid})" for tid in leaked))


@pytest.fixture(autouse=True)
def no_thread_leaks(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fails a Qt test that leaves a task runner, pool work or a thread running after it."""
    if QT_FIXTURES.isdisjoint(request.fixturenames):
        yield
        return
    qtbot = request.getfixturevalue("qtbot")
    before = running_threads()
    yield
    try:
        qtbot.waitUntil(lambda: not Tasks.running_anywhere(), timeout=WAIT_MS)
    except qtbot.TimeoutError:
        pytest.fail(
            f"test left {len(Tasks.running_anywhere())} task runner(s) running: close the "
            "window that owns it or call tasks.shutdown()"
        )
    pool = QThreadPool.globalInstance()
    try:
        qtbot.waitUntil(lambda: pool.activeThreadCount() == 0, timeout=WAIT_MS)
    except qtbot.TimeoutError:
        pytest.fail(
            f"test left work running on Qt's global thread pool ({pool.activeThreadCount()})"
        )
    try:
        qtbot.waitUntil(lambda: not running_threads() - before, timeout=WAIT_MS)
    except qtbot.TimeoutError:
        leaked = running_threads() - before
        pytest.fail(f"test left {len(leaked)} thread(s) running: {_describe(leaked)}")


def open_window(
    qtbot: QtBot,
    database: Database,
    env: Environment,
    folder: Path,
    *,
    size: tuple[int, int] | None = (1400, 860),
    start: Literal["counted", "started", "no"] = "counted",
    shown: Literal["shown", "exposed", "active"] = "shown",
    ini: str = "ui.ini",
) -> MainWindow:
    """The main window on ``database``, its UI state in ``folder / ini``, shown (offscreen).

    ``start``: "counted" starts it and waits until the queue has counted its rows, "started"
    starts it without waiting, "no" leaves that to the test. ``shown``: before it starts, wait
    until it is "exposed", or exposed and the "active" window (focus and shortcuts need it).
    """
    from pakn_desktop.ui.main.build import build_main_window

    settings = QSettings(str(folder / ini), QSettings.Format.IniFormat)
    win = build_main_window(database, env, settings=settings)
    qtbot.addWidget(win)
    if size is not None:
        win.resize(*size)
    win.show()
    if shown != "shown":
        qtbot.waitExposed(win)
    if shown == "active":
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow)
    if start == "counted":
        with qtbot.waitSignal(win.queue.model.countKnown, timeout=20_000):
            win.start()
    elif start == "started":
        win.start()
    return win


@pytest.fixture
def window(qtbot: QtBot, database: Database, env: Environment, tmp_path: Path) -> MainWindow:
    """The main window on the test's database, started and counted. A module whose reports
    must be there before the window starts overrides it, calling ``open_window``."""
    return open_window(qtbot, database, env, tmp_path)
