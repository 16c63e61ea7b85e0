"""Run by tests/test_window_capture_xvfb.py on a real X server (QT_QPA_PLATFORM=xcb).

``show``: "another application": a grey backdrop window and, on top of it, a window painted
with the known pattern (titled like a Messenger conversation); prints ``ready`` and runs
until terminated.

``capture OUT_DIR``: this program's side. A stand-in console and, per step, a window-mode
capture driven with QTest on the overlay: hover then click inside the pattern, click on the
backdrop beside it, click on the bare root (nothing may come back; then Esc), and Esc alone.
Writes ``<step>.png``, ``expected.png`` (the pattern drawn offscreen) and ``result.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from screen_capture_child import paint_pattern  # tests/ is the script's directory

from pakn_desktop.ui.intake.screen_capture import Capture, RegionCapture

BACKDROP_AT = QRect(60, 50, 700, 520)
PATTERN_AT = QRect(231, 149, 333, 217)  # odd sizes and places: an off-by-one shows
PATTERN_TITLE = "Messenger — Nguyễn Văn Ánh"
BACKDROP_TITLE = "Trình duyệt"
CLICKS = {
    "pattern": QPoint(300, 200),  # inside the pattern, which is above the backdrop
    "backdrop": QPoint(100, 500),  # on the backdrop, outside the pattern
    "background": QPoint(1200, 800),  # bare root: no window there
}


def paint(painter: QPainter, width: int, height: int) -> None:
    # Odd sizes leave paint_pattern's last column and row: fill them with a known colour.
    painter.fillRect(QRect(0, 0, width, height), QColor(200, 30, 200))
    paint_pattern(painter, width, height)


class Pattern(QWidget):
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        paint(painter, self.width(), self.height())
        painter.end()


class Backdrop(QWidget):
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(128, 128, 128))
        painter.end()


def show() -> int:
    app = QApplication(sys.argv[:1])
    backdrop = Backdrop(None, Qt.WindowType.FramelessWindowHint)
    backdrop.setWindowTitle(BACKDROP_TITLE)
    backdrop.setGeometry(BACKDROP_AT)
    backdrop.show()
    assert QTest.qWaitForWindowExposed(backdrop)
    QTest.qWait(200)  # mapped first, so the pattern stacks above it
    pattern = Pattern(None, Qt.WindowType.FramelessWindowHint)
    pattern.setWindowTitle(PATTERN_TITLE)
    pattern.setGeometry(PATTERN_AT)
    pattern.show()
    assert QTest.qWaitForWindowExposed(pattern)
    QTest.qWait(400)  # let the X server finish drawing both
    print("ready", flush=True)
    return app.exec()


def _step(console: QWidget, step: str, out: Path) -> dict[str, Any]:
    results: list[Capture | None] = []
    capture = RegionCapture(console, mode="window")
    capture.finished.connect(results.append)
    capture.start()
    for _ in range(100):
        if capture.overlays():
            break
        QTest.qWait(50)
    (overlay,) = capture.overlays()
    assert QTest.qWaitForWindowExposed(overlay)
    record: dict[str, Any] = {
        "console_hidden_during": not console.isVisible(),
        "window_mode_available": capture.window_mode_available,
        "hint": overlay.hint,
    }
    if step in CLICKS:
        point = CLICKS[step]
        QTest.mouseMove(overlay, point)
        QTest.qWait(50)
        hovered = overlay.hovered()
        record["hovered"] = hovered.title if hovered is not None else None
        QTest.mouseClick(overlay, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
        QTest.qWait(300)
        record["results_after_click"] = len(results)
    if not results:  # nothing chosen (Esc step, or a click on the bare root): Esc cancels
        record["overlays_before_esc"] = len(capture.overlays())
        QTest.keyClick(capture.overlays()[0], Qt.Key.Key_Escape)
        QTest.qWait(100)
    record["results"] = len(results)
    record["overlays_left"] = len(capture.overlays())
    record["console_visible_after"] = console.isVisible()
    got = results[0] if results else None
    record["capture"] = None if got is None else got.geometry.as_json()
    if got is not None:
        got.image.convertToFormat(QImage.Format.Format_RGB32).save(str(out / f"{step}.png"))
    return record


def capture(out: Path) -> int:
    app = QApplication(sys.argv[:1])
    console = QWidget()
    console.setWindowTitle("PAKN console")
    console.setGeometry(900, 600, 300, 200)
    console.show()
    assert QTest.qWaitForWindowExposed(console)
    QTest.qWait(300)
    steps = {step: _step(console, step, out) for step in ("pattern", "backdrop", "background")}
    steps["esc"] = _step(console, "esc", out)
    expected = QImage(PATTERN_AT.size(), QImage.Format.Format_RGB32)
    painter = QPainter(expected)
    paint(painter, expected.width(), expected.height())
    painter.end()
    expected.save(str(out / "expected.png"))
    (out / "result.json").write_text(json.dumps(steps, ensure_ascii=False), encoding="utf-8")
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(show() if sys.argv[1] == "show" else capture(Path(sys.argv[2])))
