"""Region capture into the intake form (message mode), offscreen: the real RegionCapture runs
(console hidden, an overlay per screen, a drag, Esc cancels) and the capture becomes a
"screenshot" attachment whose geometry reaches the evidence row. The pixels of a capture are
checked on a real X server in ``test_screen_capture_xvfb.py``; offscreen grabs are blank."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pakn_desktop.data.models import Evidence
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.form import Attachment
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.ui.intake.screen import IntakeScreen
from pakn_desktop.ui.intake.screen_capture import HIDE_DELAY_MS
from pakn_desktop.ui.main.window import MainWindow

from .intake_data import form, png
from .qt_helpers import open_window

GEOMETRY = {
    "screen": "DP-1",
    "logical": [10, 20, 40, 30],
    "device": [20, 40, 80, 60],
    "device_pixel_ratio": 2.0,
}


@pytest.fixture
def window(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> Iterator[MainWindow]:
    yield open_window(qtbot, database, env, tmp_path, size=(1400, 900), start="no", shown="exposed")


def _message_mode(qtbot: QtBot, window: MainWindow) -> IntakeScreen:
    qtbot.keyClick(window, Qt.Key.Key_F3)
    screen = window.intake
    qtbot.waitUntil(lambda: screen.lists is not None)
    assert screen.form.mode == "message"
    return screen


def test_capture_action_hides_the_console_and_attaches_the_region(
    qtbot: QtBot, window: MainWindow
) -> None:
    screen = _message_mode(qtbot, window)
    action = screen.actions_by_name["capture_region"]
    assert action.shortcut().toString() == "Ctrl+Shift+S"
    handler = screen.attachments
    action.trigger()
    assert not window.isVisible()  # hidden before the screens are grabbed
    qtbot.waitUntil(lambda: handler.capture is not None and bool(handler.capture.overlays()))
    assert handler.capture is not None
    overlay = handler.capture.overlays()[0]
    qtbot.wait(10)
    with qtbot.waitSignal(handler.changed, timeout=5000):
        qtbot.mousePress(overlay, Qt.MouseButton.LeftButton, pos=QPoint(30, 40))
        qtbot.mouseMove(overlay, QPoint(90, 100))
        qtbot.mouseRelease(overlay, Qt.MouseButton.LeftButton, pos=QPoint(90, 100))
    assert window.isVisible()  # back after the choice
    (attachment,) = handler.values()
    assert attachment.source == "screenshot"
    assert attachment.display_name.startswith("chup-man-hinh-")
    assert attachment.data.startswith(b"\x89PNG")
    assert attachment.geometry is not None
    assert attachment.geometry["logical"][2:] == [61, 61]  # QRect(press, release): inclusive
    assert screen.form.message.strip.count() == 1


def test_escape_cancels_the_capture(qtbot: QtBot, window: MainWindow) -> None:
    screen = _message_mode(qtbot, window)
    handler = screen.attachments
    qtbot.mouseClick(screen.form.message.capture_button, Qt.MouseButton.LeftButton)
    qtbot.wait(HIDE_DELAY_MS)
    qtbot.waitUntil(lambda: handler.capture is not None and bool(handler.capture.overlays()))
    assert handler.capture is not None
    qtbot.keyClick(handler.capture.overlays()[0], Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: handler.capture is None)
    assert window.isVisible() and handler.values() == ()
    assert not [
        w
        for w in QApplication.topLevelWidgets()
        if w.objectName() == "screenCaptureOverlay" and w.isVisible()
    ]


def test_added_capture_slot_takes_a_real_image(qtbot: QtBot, window: MainWindow) -> None:
    screen = _message_mode(qtbot, window)
    image = QImage(48, 32, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 40, 40))
    with qtbot.waitSignal(screen.attachments.changed, timeout=5000):
        screen.attachments.add_captured(image, GEOMETRY)
    (attachment,) = screen.attachments.values()
    assert attachment.geometry == GEOMETRY and attachment.source == "screenshot"
    assert QImage.fromData(attachment.data).pixelColor(5, 5) == QColor(200, 40, 40)


def test_capture_geometry_reaches_the_evidence_row(database: Database, env: Environment) -> None:
    shot = Attachment("chup.png", png(4, 3, seed=9), "screenshot", GEOMETRY)
    saved = IntakeService(database, EvidenceStore(env.evidence_dir)).save(form(attachments=(shot,)))
    with database.sessions() as session:
        row = session.scalars(select(Evidence).where(Evidence.ticket_id == saved.id)).one()
        assert row.source == "screenshot" and row.geometry == GEOMETRY


def test_window_capture_falls_back_to_a_region_where_windows_cannot_be_listed(
    qtbot: QtBot, window: MainWindow
) -> None:
    # Offscreen (like Wayland) lists no windows: the operator is told, and drags a region.
    screen = _message_mode(qtbot, window)
    action = screen.actions_by_name["capture_window"]
    assert action.shortcut().toString() == "Ctrl+Shift+W"
    handler = screen.attachments
    with qtbot.waitSignal(screen.message, timeout=1000) as told:
        action.trigger()
    assert "kéo chọn vùng" in told.args[0]
    qtbot.waitUntil(lambda: handler.capture is not None and bool(handler.capture.overlays()))
    assert handler.capture is not None and handler.capture.window_mode_available is False
    overlay = handler.capture.overlays()[0]
    assert "Wayland" in overlay.hint
    with qtbot.waitSignal(handler.changed, timeout=5000):
        qtbot.mousePress(overlay, Qt.MouseButton.LeftButton, pos=QPoint(30, 40))
        qtbot.mouseMove(overlay, QPoint(90, 100))
        qtbot.mouseRelease(overlay, Qt.MouseButton.LeftButton, pos=QPoint(90, 100))
    (attachment,) = handler.values()
    assert attachment.source == "screenshot" and attachment.geometry is not None
    assert "window" not in attachment.geometry and window.isVisible()


def test_window_button_starts_window_mode(qtbot: QtBot, window: MainWindow) -> None:
    screen = _message_mode(qtbot, window)
    handler = screen.attachments
    qtbot.mouseClick(screen.form.message.window_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: handler.capture is not None and bool(handler.capture.overlays()))
    assert handler.capture is not None and handler.capture.window_mode_available is not None
    qtbot.keyClick(handler.capture.overlays()[0], Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: handler.capture is None)
    assert handler.values() == ()


def test_region_capture_says_what_to_do(qtbot: QtBot, window: MainWindow) -> None:
    screen = _message_mode(qtbot, window)
    handler = screen.attachments
    screen.actions_by_name["capture_region"].trigger()
    qtbot.waitUntil(lambda: handler.capture is not None and bool(handler.capture.overlays()))
    assert handler.capture is not None
    overlay = handler.capture.overlays()[0]
    assert overlay.hint == "Kéo chuột để chọn vùng, Esc để huỷ"
    picture = overlay.grab().toImage()
    # The hint's band at the bottom: near black under white text, over the dimmed screen.
    band = picture.pixelColor(2, picture.height() - 3)
    assert band.red() < 60 and band.green() < 60 and band.blue() < 60
    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: handler.capture is None)
