"""Run by tests/test_screen_capture_xvfb.py on a real X server (QT_QPA_PLATFORM=xcb).

Shows a window painted with a known pattern and a stand-in console, starts a region capture,
drives its overlay with QTest (drag over the pattern, or Esc), and writes what came back:
``captured.png``, ``expected.png`` (the same region of the pattern drawn offscreen) and
``result.json``. argv: MODE (drag|esc) OUT_DIR [SCREEN]: with SCREEN (a QScreen name) the
pattern, the console and the drag are placed on that screen, at the same offsets from its
top-left corner. ``expected.png`` is drawn at the screen's device pixel ratio, so under
QT_SCALE_FACTOR=2 it (like the capture) is in device pixels.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPaintEvent, QScreen
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from pakn_desktop.ui.intake.screen_capture import Capture, RegionCapture

PATTERN_AT = QRect(100, 80, 400, 300)
QUADRANTS = ((220, 40, 40), (40, 180, 60), (40, 60, 220), (240, 200, 30))


def paint_pattern(painter: QPainter, width: int, height: int) -> None:
    """Four coloured quadrants; the top-left one a 7-px checker, so an off-by-one shows."""
    half_w, half_h = width // 2, height // 2
    for index, (x, y) in enumerate(((0, 0), (half_w, 0), (0, half_h), (half_w, half_h))):
        painter.fillRect(QRect(x, y, half_w, half_h), QColor(*QUADRANTS[index]))
    for row in range(0, half_h, 7):
        for col in range(0, half_w, 7):
            if (row // 7 + col // 7) % 2:
                painter.fillRect(QRect(col, row, 7, 7), QColor(0, 0, 0))


class Pattern(QWidget):
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        paint_pattern(painter, self.width(), self.height())
        painter.end()


def main() -> int:
    mode, out = sys.argv[1], Path(sys.argv[2])
    app = QApplication(sys.argv[:1])
    screens = QGuiApplication.screens()
    print("screens:", [(s.name(), s.geometry(), s.devicePixelRatio()) for s in screens])
    screen = next(s for s in screens if s.name() == sys.argv[3]) if sys.argv[3:] else screens[0]
    origin = screen.geometry().topLeft()
    screens_json = [_screen_json(s) for s in screens]
    screen_geometry, ratio = screen.geometry(), screen.devicePixelRatio()
    pattern_at = PATTERN_AT.translated(origin)
    pattern = Pattern(None, Qt.WindowType.FramelessWindowHint)
    pattern.setGeometry(pattern_at)
    pattern.show()
    console = QWidget()
    console.setWindowTitle("PAKN console")
    console.setGeometry(QRect(origin + QPoint(600, 300), QSize(150, 100)))
    console.show()
    assert QTest.qWaitForWindowExposed(pattern) and QTest.qWaitForWindowExposed(console)
    QTest.qWait(400)  # let the X server finish drawing both
    results: list[Capture | None] = []
    capture = RegionCapture(console)
    capture.finished.connect(results.append)
    capture.start()
    for _ in range(100):
        if capture.overlays():
            break
        QTest.qWait(50)
    overlays = capture.overlays()
    # Not overlay.screen(): PySide ties the QScreen wrapper it returns to the overlay, and
    # deleting the overlay would invalidate ``screen`` too.
    names = {tuple(g["geometry"]): g["name"] for g in screens_json}
    overlay_screens = [names.get(o.geometry().getRect(), "?") for o in overlays]
    (overlay,) = [o for o in overlays if o.geometry() == screen_geometry]
    assert QTest.qWaitForWindowExposed(overlay)
    console_hidden = not console.isVisible()
    if mode == "esc":
        QTest.keyClick(overlay, Qt.Key.Key_Escape)
    else:
        start, end = QPoint(163, 121), QPoint(341, 287)
        QTest.mousePress(overlay, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
        QTest.mouseMove(overlay, QPoint(250, 200))
        QTest.mouseMove(overlay, end)
        QTest.mouseRelease(overlay, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    QTest.qWait(100)
    result: dict[str, object] = {
        "results": len(results),
        "console_hidden_during": console_hidden,
        "console_visible_after": console.isVisible(),
        "overlays_left": len(capture.overlays()),
        "screens": screens_json,
        "overlay_screens": overlay_screens,
        "pattern_screen": QGuiApplication.screenAt(pattern.geometry().center()).name(),
    }
    if results and results[0] is not None:
        got = results[0]
        got.image.convertToFormat(QImage.Format.Format_RGB32).save(str(out / "captured.png"))
        result["geometry"] = got.geometry.as_json()
        # The pattern as its window paints it: logical coordinates at the screen's ratio.
        expected = QImage(PATTERN_AT.size() * ratio, QImage.Format.Format_RGB32)
        expected.setDevicePixelRatio(ratio)
        painter = QPainter(expected)
        paint_pattern(painter, PATTERN_AT.width(), PATTERN_AT.height())
        painter.end()
        # The capture's device rectangle is relative to its screen, as PATTERN_AT is.
        x, y, w, h = got.geometry.device
        region = QRect(x - round(PATTERN_AT.x() * ratio), y - round(PATTERN_AT.y() * ratio), w, h)
        expected.setDevicePixelRatio(1.0)
        expected.copy(region).save(str(out / "expected.png"))
    else:
        result["capture"] = None
    (out / "result.json").write_text(json.dumps(result), encoding="utf-8")
    app.quit()
    return 0


def _screen_json(screen: QScreen) -> dict[str, object]:
    g = screen.geometry()
    return {
        "name": screen.name(),
        "geometry": [g.x(), g.y(), g.width(), g.height()],
        "device_pixel_ratio": screen.devicePixelRatio(),
    }


if __name__ == "__main__":
    sys.exit(main())
