"""The intake form at 1366×768: Tab follows what is shown (top to bottom, left to right, no
hidden widget), and message mode's handling note is on screen without scrolling."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.ui.intake.screen import IntakeScreen
from pakn_desktop.ui.main.window import INTAKE, MainWindow

from .qt_helpers import open_window

ROW_PX = 6  # editors of one row may differ by a pixel or two (combo vs line edit)


@pytest.fixture
def small(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> Iterator[MainWindow]:
    win = open_window(
        qtbot, database, env, tmp_path, size=(1366, 768), start="started", shown="exposed"
    )
    win.show_screen(INTAKE)
    yield win


def _screen(qtbot: QtBot, window: MainWindow, mode: str) -> IntakeScreen:
    screen = window.intake
    qtbot.waitUntil(lambda: screen.lists is not None, timeout=10_000)
    screen.new_message() if mode == "message" else screen.new_call()
    return screen


def _tabbed(qtbot: QtBot, screen: IntakeScreen, first: QWidget) -> list[QWidget]:
    """Press Tab from ``first`` until the focus leaves the form."""
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first)
    seen = [first]
    for _ in range(60):
        widget = QApplication.focusWidget()
        assert widget is not None
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is None or not screen.form.isAncestorOf(now) or now in seen:
            break
        seen.append(now)
    return seen


def _reading_order(form: QWidget, chain: list[QWidget]) -> list[str]:
    """Pairs that go up, or left on the same row: what a reader would not expect."""
    wrong = []
    for a, b in zip(chain, chain[1:], strict=False):
        pa, pb = a.mapTo(form, QPoint(0, 0)), b.mapTo(form, QPoint(0, 0))
        same_row = abs(pa.y() - pb.y()) <= ROW_PX
        if pb.y() < pa.y() - ROW_PX or (same_row and pb.x() <= pa.x()):
            wrong.append(
                f"{a.objectName() or type(a).__name__}{pa.toTuple()} → "
                f"{b.objectName() or type(b).__name__}{pb.toTuple()}"
            )
    return wrong


def _focusable(form: QWidget) -> set[QWidget]:
    return {
        w
        for w in form.findChildren(QWidget)
        if w.isVisible()
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
        and w.focusProxy() is None
    }


@pytest.mark.parametrize("mode", ["message", "call"])
def test_tab_follows_the_visible_fields(qtbot: QtBot, small: MainWindow, mode: str) -> None:
    screen = _screen(qtbot, small, mode)
    form = screen.form
    first = form.message.channel if mode == "message" else form.phone
    chain = _tabbed(qtbot, screen, first)
    assert all(w.isVisible() for w in chain)
    assert _reading_order(form, chain) == []
    assert set(chain) == _focusable(form)  # nothing shown is skipped
    assert form.tab_chain() == chain  # the order the form's own first-error focus uses
    if mode == "message":
        assert form.handling_note in chain


def test_message_mode_shows_the_handling_note_without_scrolling(
    qtbot: QtBot, small: MainWindow
) -> None:
    screen = _screen(qtbot, small, "message")
    box = screen.form.boxes["handling_note"]
    viewport = screen.form_scroll.viewport()
    qtbot.waitUntil(lambda: box.isVisible())
    assert screen.form_scroll.verticalScrollBar().value() == 0
    top = box.mapTo(viewport, QPoint(0, 0)).y()
    assert top >= 0 and top + box.height() <= viewport.height(), (
        top,
        box.height(),
        viewport.height(),
    )


def test_a_long_status_in_the_call_bar_keeps_the_window_at_1366(
    qtbot: QtBot, small: MainWindow
) -> None:
    screen = _screen(qtbot, small, "call")
    screen.call_bar.set_status(
        "Đã khôi phục bản nháp; thời lượng cuộc gọi tính đến lần lưu cuối — Đã lưu nháp lúc 10:30"
    )
    qtbot.waitUntil(lambda: screen.call_bar.status.isVisible())
    QApplication.processEvents()
    # The bar asks no more room than the screen has: a longer bar made the window grow.
    assert screen.call_bar.minimumSizeHint().width() <= screen.width()
    assert small.width() == 1366
