"""The call timer of a draft brought back: a held call goes on, a call left by a crash or an
earlier run shows the length it had when its draft was last written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pakn_desktop.services.intake.form import form_to_mapping
from pakn_desktop.ui.main.window import MainWindow

from .intake_data import form
from .test_intake_screen import (  # noqa: F401 (window: fixture)
    CTRL,
    fill_valid,
    key,
    start_call,
    window,
)


def test_a_call_held_in_this_session_keeps_running(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture)
) -> None:
    screen = start_call(qtbot, window)
    fill_valid(screen)
    started = screen.call_bar.timer.started_at
    with qtbot.waitSignal(screen.controller.draftSaved, timeout=5000):
        key(qtbot, Qt.Key.Key_H, CTRL)
    assert not screen.call_bar.timer.running
    with qtbot.waitSignal(screen.controller.loaded, timeout=5000):
        key(qtbot, Qt.Key.Key_R, CTRL)
    timer = screen.call_bar.timer
    assert timer.running and timer.started_at == started


def test_a_call_left_by_a_crash_shows_its_length_at_the_last_draft(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture)
) -> None:
    screen = start_call(qtbot, window)
    started = datetime.now(UTC) - timedelta(hours=2)
    last_written = started + timedelta(minutes=3, seconds=7)
    data = form_to_mapping(form(call_started_at=started, call_ended_at=last_written))
    data["_ui"] = {"call_running": True}
    drafts = screen.controller._services.drafts
    left_by_crash = drafts.save(None, "call", data)  # written by "another process"
    with qtbot.waitSignal(screen.controller.loaded, timeout=5000):
        screen.controller.open_draft(left_by_crash)
    timer = screen.call_bar.timer
    assert not timer.running
    assert timer.text() == "03:07"  # not two hours and counting
    assert (timer.started_at, timer.ended_at) == (started, last_written)
    assert "lần lưu cuối" in screen.call_bar.status.text()


def test_the_call_timer_counts_on_the_deadline_clock(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture)
) -> None:
    """Call times are saved against the server's time (decision 47): the timer reads it."""
    screen = start_call(qtbot, window)
    timer = screen.call_bar.timer
    assert timer.clock == screen.controller._services.now
    assert timer.started_at is not None
    assert abs(timer.started_at - screen.controller._services.now()) < timedelta(seconds=5)
