"""ui/tasks.py: results and errors on the GUI thread, cancellation, supersession, lanes."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from pakn_desktop.ui.tasks import TaskContext, Tasks


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[Tasks]:
    runner = Tasks()
    yield runner
    runner.shutdown()


def test_result_arrives_on_the_gui_thread(qtbot: QtBot, tasks: Tasks) -> None:
    seen: list[tuple[int, bool]] = []
    gui = QThread.currentThread()
    worker_threads: list[int] = []

    def work() -> int:
        worker_threads.append(threading.get_ident())
        return 42

    tasks.read(work, on_result=lambda v: seen.append((v, QThread.currentThread() == gui)))
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(42, True)]
    assert worker_threads[0] != threading.get_ident()


def test_error_goes_to_on_error_or_failed(qtbot: QtBot, tasks: Tasks) -> None:
    errors: list[BaseException] = []

    def boom() -> None:
        raise RuntimeError("x")

    tasks.read(boom, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], RuntimeError)
    # An expected error no handler took reaches ``failed`` (a bug goes to the crash dialog:
    # tests/test_crash_dialog.py).
    from pakn_desktop.data.errors import ErrorCode, KnownError

    def locked() -> None:
        raise KnownError(ErrorCode.LOCKED)

    with qtbot.waitSignal(tasks.failed) as blocker:
        tasks.read(locked)
    assert isinstance(blocker.args[0], KnownError)


def test_cancelled_and_superseded_callbacks_are_dropped(qtbot: QtBot, tasks: Tasks) -> None:
    gate = threading.Event()
    seen: list[str] = []
    first = tasks.read(lambda: gate.wait(5) and "old", on_result=seen.append, key="detail")
    tasks.read(lambda: gate.wait(5) and "new", on_result=seen.append, key="detail")
    cancelled = tasks.read(lambda: "cancelled", on_result=seen.append)
    cancelled.cancel()
    assert first.cancelled
    gate.set()
    with qtbot.waitSignal(tasks.idle):
        pass
    assert seen == ["new"]


def test_progress_and_cancel_point(qtbot: QtBot, tasks: Tasks) -> None:
    progress: list[int] = []
    started = threading.Event()
    release = threading.Event()

    def long(ctx: TaskContext) -> int:
        steps = 0
        for steps in range(1, 1000):
            ctx.progress(steps)
            started.set()
            if ctx.is_cancelled():
                return steps
            release.wait(0.01)
        return steps

    done: list[int] = []
    handle = tasks.write(long, context=True, on_progress=progress.append, on_result=done.append)
    qtbot.waitUntil(lambda: bool(progress))
    handle.cancel()
    release.set()
    with qtbot.waitSignal(tasks.idle):
        pass
    assert progress and not done  # cancelled: progress stopped, result dropped


def test_write_lane_is_serial(qtbot: QtBot, tasks: Tasks) -> None:
    running = 0
    most = 0
    lock = threading.Lock()

    def write() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        threading.Event().wait(0.02)
        with lock:
            running -= 1

    for _ in range(5):
        tasks.write(write)
    qtbot.waitUntil(lambda: tasks.pending() == 0)
    assert most == 1


def test_shutdown_refuses_new_work(qtbot: QtBot, tasks: Tasks) -> None:
    tasks.shutdown()
    handle = tasks.read(lambda: 1, on_result=lambda _: pytest.fail("ran after shutdown"))
    assert handle.cancelled
