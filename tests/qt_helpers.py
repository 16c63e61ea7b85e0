"""Fixtures for Qt tests: fail a test that leaves background work or a thread running.

napari's idea: a test that returns while background work still runs makes the *next* test
flaky, so the leak is reported where it happens. Two checks:
- every ``ui.tasks.Tasks`` runner still alive has been shut down and holds no work;
- no other thread (a QThread, a Python thread) outlives the test. Threads named
  "Thread (pooled)" are left out of this count: Qt's own GUI pool lends them to image
  conversion when a window paints and keeps them idle for 30 s; our pools are checked above.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from pakn_desktop.ui.tasks import Tasks


def other_threads() -> int:
    count = 0
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/comm") as comm:
                name = comm.read().strip()
        except OSError:  # the thread ended meanwhile
            continue
        count += name != "Thread (pooled)"
    return count


@pytest.fixture
def no_thread_leaks(qtbot: QtBot) -> Iterator[None]:
    """Fails the test if a task runner or a thread is still running after it (and after
    pytest-qt closed its widgets, which shuts their runners down)."""
    before = other_threads()
    yield
    try:
        qtbot.waitUntil(lambda: not Tasks.running_anywhere(), timeout=3000)
    except qtbot.TimeoutError:
        pytest.fail(
            f"test left {len(Tasks.running_anywhere())} task runner(s) running: close the "
            "window that owns it or call tasks.shutdown()"
        )
    try:
        qtbot.waitUntil(lambda: other_threads() <= before, timeout=3000)
    except qtbot.TimeoutError:
        pytest.fail(f"test left {other_threads() - before} thread(s) running")
