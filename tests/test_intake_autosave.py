"""Typing without a pause writes the draft at least once a second (a kill -9 loses at most
1 s of typing); the write runs in the write lane, never on the GUI thread."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from pakn_desktop.services.database import Database
from pakn_desktop.services.intake.drafts import DraftService
from pakn_desktop.ui.intake import controller as intake_controller
from pakn_desktop.ui.intake.controller import DRAFT_DEBOUNCE_MS, draft_delay_ms
from pakn_desktop.ui.main.window import MainWindow

from .qt_helpers import type_text
from .test_intake_screen import start_call, window  # noqa: F401 (fixtures)

KEY_EVERY_MS = 40  # a fast typist: 25 characters a second, never a pause
TYPING_S = 3.5
TEXT = "Nước tràn vào nhà dân từ 5 giờ sáng, cống bị tắc ở hẻm 42 Lê Lợi. "


def test_typing_with_a_controlled_clock_writes_within_the_limit(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture)
) -> None:
    """The controller's own timer logic on a clock the test drives: a keystroke every 40 ms
    for 4 s; whenever the draft timer is due it fires (the write really happens, and the test
    waits for its draftSaved); every write starts within 0.8 s of the previous one."""
    screen = start_call(qtbot, window)
    controller = screen.controller
    content = screen.form.content
    now = [1000.0]
    controller.clock = lambda: now[0]
    due: float | None = None
    writes: list[float] = []
    for step in range(100):
        at = 1000.0 + step * KEY_EVERY_MS / 1000
        if due is not None and due <= at:
            now[0] = due
            with qtbot.waitSignal(controller.draftSaved, timeout=5000):
                controller.save_draft()  # what the timer's timeout does
            writes.append(due)
            due = None
        now[0] = at
        type_text(content, TEXT[step % len(TEXT)])
        timer = controller._draft_timer
        assert timer.isActive()
        due = at + timer.interval() / 1000
        timer.stop()  # the test's clock, not the wall clock, decides when it is due
    gaps = [b - a for a, b in zip([1000.0, *writes], writes, strict=False)]
    assert len(writes) >= 4, writes
    assert max(gaps) <= intake_controller.DRAFT_MAX_WAIT_S + 1e-6 < 1.0, gaps
    # After a pause a keystroke waits the whole debounce: no write per keystroke.
    assert draft_delay_ms(2000.0, 2000.0) == DRAFT_DEBOUNCE_MS


def test_typing_without_a_pause_writes_the_draft_every_second(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture)
    database: Database,
) -> None:
    screen = start_call(qtbot, window)
    content = screen.form.content
    content.setFocus()
    saved_at: list[float] = []
    writers: set[str] = set()
    drafts = screen.controller._services.drafts
    real_save = drafts.save

    def save_and_note_thread(*args: object, **kwargs: object) -> object:
        writers.add(threading.current_thread().name)
        return real_save(*args, **kwargs)  # type: ignore[arg-type]

    drafts.save = save_and_note_thread  # type: ignore[method-assign]
    screen.controller.draftSaved.connect(lambda _id: saved_at.append(time.monotonic()))
    typed = {"n": 0}
    started = time.monotonic()
    keys = QTimer(screen)
    keys.setInterval(KEY_EVERY_MS)

    def one_key() -> None:
        type_text(content, TEXT[typed["n"] % len(TEXT)])
        typed["n"] += 1
        if time.monotonic() - started >= TYPING_S:
            keys.stop()

    keys.timeout.connect(one_key)
    keys.start()
    qtbot.waitUntil(lambda: not keys.isActive(), timeout=int(TYPING_S * 1000) + 5000)
    stopped = time.monotonic()
    drafts.save = real_save  # type: ignore[method-assign]

    # Drafts are written while the typing goes on, not once it stops (the debounce alone
    # would wait for a pause that never comes), on a worker. The one-second bound itself is
    # the controlled-clock test's above: a wall-clock gap on a loaded machine says nothing.
    during = [t for t in saved_at if t <= stopped]
    assert len(during) >= 2, (during, typed)
    assert threading.main_thread().name not in writers
    (draft,) = DraftService(database).list_open()
    assert DraftService(database).load(draft.id)["content"]
