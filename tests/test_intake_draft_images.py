"""Images attached to a call survive putting it on hold (Ctrl+H) and resuming it (Ctrl+R)."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage
from pytestqt.qtbot import QtBot

from pakn_desktop.data.models import Evidence
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.ui.intake import attachment_handler
from pakn_desktop.ui.main.window import MainWindow

from .test_intake_screen import (  # noqa: F401 (window: fixture)
    CTRL,
    count,
    fill_valid,
    key,
    keys,
    save_by_key,
    start_call,
    window,
)


def test_hold_and_resume_keeps_the_pasted_image(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture)
    database: Database,
    env: Environment,
) -> None:
    screen = start_call(qtbot, window)
    fill_valid(screen)
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkMagenta)
    QGuiApplication.clipboard().setImage(image)
    screen.form.content.setFocus()
    with qtbot.waitSignal(screen.attachments.changed, timeout=5000):
        key(qtbot, Qt.Key.Key_V, CTRL)
    (pasted,) = screen.attachments.values()
    assert EvidenceStore(env.evidence_dir).read_bytes(pasted.sha256) == pasted.data  # at once

    with qtbot.waitSignal(screen.controller.draftSaved, timeout=5000):
        key(qtbot, Qt.Key.Key_H, CTRL)  # on hold: saved now, empty form
    assert screen.attachments.values() == () and screen.form.message.strip.count() == 0
    key(qtbot, Qt.Key.Key_F2)
    keys(qtbot, "0987 654 321")
    with qtbot.waitSignal(screen.controller.loaded, timeout=5000):
        key(qtbot, Qt.Key.Key_R, CTRL)  # resume the held call
    qtbot.waitUntil(lambda: not screen.attachments.restoring, timeout=5000)
    (restored,) = screen.attachments.values()
    assert (restored.sha256, restored.data, restored.source) == (
        pasted.sha256,
        pasted.data,
        "clipboard",
    )
    assert screen.form.message.strip.count() == 1
    assert not screen.controller.dirty  # reading the images back is no edit

    save_by_key(qtbot, screen)
    assert count(database, Evidence) == 1


def test_an_image_still_being_prepared_at_hold_goes_to_the_held_draft(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture)
    database: Database,
) -> None:
    """The operator pastes a screenshot and puts the call on hold before the worker has
    stored it: the image must reach the held draft, not vanish."""
    screen = start_call(qtbot, window)
    fill_valid(screen)
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkCyan)
    QGuiApplication.clipboard().setImage(image)
    screen.form.content.setFocus()
    held_id = None
    gate = threading.Event()
    original = attachment_handler.prepare

    def slow_prepare(*args, **kwargs):  # type: ignore[no-untyped-def]
        gate.wait(10)  # the worker is still busy with the image when Ctrl+H comes
        return original(*args, **kwargs)

    attachment_handler.prepare = slow_prepare
    try:
        with qtbot.waitSignal(screen.attachments.keptInDraft, timeout=10_000) as kept:
            key(qtbot, Qt.Key.Key_V, CTRL)
            held_id = screen.controller.draft_id
            assert held_id is not None  # the paste itself made the draft
            with qtbot.waitSignal(screen.controller.draftSaved, timeout=5000):
                key(qtbot, Qt.Key.Key_H, CTRL)
            gate.set()  # now the worker finishes the image, for a form no longer on screen
    finally:
        gate.set()
        attachment_handler.prepare = original
    assert kept.args == [held_id]
    drafts = screen.controller._backend().drafts
    assert screen.attachments.values() == ()  # not added to the new, empty form
    (ref,) = drafts.load(held_id)["attachments"]
    assert ref["source"] == "clipboard"

    with qtbot.waitSignal(screen.controller.loaded, timeout=5000):
        key(qtbot, Qt.Key.Key_R, CTRL)  # resume: the image is back in the form
    qtbot.waitUntil(lambda: not screen.attachments.restoring, timeout=5000)
    (restored,) = screen.attachments.values()
    assert restored.sha256 == ref["sha256"]
    save_by_key(qtbot, screen)
    assert count(database, Evidence) == 1


def test_resume_is_not_cancelled_by_a_draft_list_refreshed_meanwhile(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture)
) -> None:
    """Ctrl+R reads the drafts slowly; an autosave finishing meanwhile refreshes the drafts
    list. The refresh is another intent: the resume must still load the held call."""
    screen = start_call(qtbot, window)
    fill_valid(screen)
    with qtbot.waitSignal(screen.controller.draftSaved, timeout=5000):
        key(qtbot, Qt.Key.Key_H, CTRL)  # on hold: one draft to resume
    held = screen.controller._backend().drafts.list_open()
    assert len(held) == 1

    drafts = screen.controller._backend().drafts
    gate = threading.Event()
    original = drafts.list_open
    slow_reads: list[int] = []

    def slow_list_open():  # type: ignore[no-untyped-def]
        if not slow_reads:
            slow_reads.append(1)
            gate.wait(10)  # the resume's read is still on its way
        return original()

    drafts.list_open = slow_list_open  # type: ignore[method-assign]
    try:
        with qtbot.waitSignal(screen.controller.loaded, timeout=10_000):
            key(qtbot, Qt.Key.Key_R, CTRL)
            with qtbot.waitSignal(screen.controller.draftsListed, timeout=5000):
                screen.controller.list_drafts()  # what an autosave does when it is written
            gate.set()
    finally:
        gate.set()
        drafts.list_open = original  # type: ignore[method-assign]
    assert screen.controller.draft_id == held[0].id
