"""Region screen capture: hide the console, freeze every screen, drag a rectangle.

Each screen is grabbed first (``QScreen.grabWindow(0)``, in device pixels), then covered by a
frameless overlay that shows that frozen image dimmed; the operator drags a rectangle (its
size in device pixels is shown), Enter or releasing the mouse confirms, Esc cancels. The
result is cropped from the frozen grab in *device* pixels, so HiDPI screens give full
resolution, with the geometry the evidence row records (screen name, logical and device
rectangles, device pixel ratio).

Window capture: ``capture_window`` grabs one of this program's own windows. Finding *another*
program's window under the cursor needs the platform's window system (X11 ``XQueryPointer``,
Win32 ``WindowFromPoint``), which plain Qt does not expose; a region drawn around the window
is the portable way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QScreen,
)
from PySide6.QtWidgets import QWidget

DIM = QColor(0, 0, 0, 110)
HIDE_DELAY_MS = 250  # long enough for a compositor to take the hidden console off screen
MIN_SIZE = 2  # a click without a drag is not a region


@dataclass(frozen=True)
class CaptureGeometry:
    screen: str
    logical: tuple[int, int, int, int]  # x, y, w, h in desktop (logical) coordinates
    device: tuple[int, int, int, int]  # x, y, w, h in the screen's device pixels
    device_pixel_ratio: float

    def as_json(self) -> dict[str, Any]:
        return {
            "screen": self.screen,
            "logical": list(self.logical),
            "device": list(self.device),
            "device_pixel_ratio": self.device_pixel_ratio,
        }


@dataclass(frozen=True)
class Capture:
    image: QImage
    geometry: CaptureGeometry


class _Overlay(QWidget):
    """One per screen: the frozen grab, dimmed, with the selection shown undimmed."""

    confirmed = Signal(object)  # Capture
    cancelled = Signal()

    def __init__(self, screen: QScreen, grab: QPixmap) -> None:
        super().__init__(
            None,
            Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.Tool,
        )
        self.setObjectName("screenCaptureOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._screen = screen
        self._grab = grab
        self._ratio = grab.devicePixelRatio()
        self._origin: QPoint | None = None
        self._selection = QRect()
        self.setScreen(screen)
        self.setGeometry(screen.geometry())

    def selection(self) -> QRect:
        return QRect(self._selection)

    # --- input --------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._origin = event.position().toPoint()
            self._selection = QRect(self._origin, QSize(0, 0))
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._origin is not None:  # not event.buttons(): synthetic moves may not carry them
            self._selection = QRect(self._origin, event.position().toPoint()).normalized()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._origin is not None:
            self._selection = QRect(self._origin, event.position().toPoint()).normalized()
            self._origin = None
            self._confirm()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._confirm()
        else:
            super().keyPressEvent(event)

    def _confirm(self) -> None:
        if self._selection.width() < MIN_SIZE or self._selection.height() < MIN_SIZE:
            return
        self.confirmed.emit(self.capture(self._selection))

    def capture(self, local: QRect) -> Capture:
        """``local`` (logical, relative to this screen) cropped from the grab in device px."""
        device = _to_device(local, self._ratio).intersected(QRect(QPoint(0, 0), self._grab.size()))
        image = self._grab.copy(device).toImage()
        image.setDevicePixelRatio(1.0)
        top_left = self._screen.geometry().topLeft()
        logical = local.translated(top_left)
        geometry = CaptureGeometry(
            screen=self._screen.name(),
            logical=(logical.x(), logical.y(), logical.width(), logical.height()),
            device=(device.x(), device.y(), device.width(), device.height()),
            device_pixel_ratio=self._ratio,
        )
        return Capture(image, geometry)

    # --- painting -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawPixmap(self.rect(), self._grab)
        painter.fillRect(self.rect(), DIM)
        if not self._selection.isEmpty():
            sel = self._selection
            source = _to_device(sel, self._ratio)
            painter.drawPixmap(sel, self._grab, source)  # the chosen region, undimmed
            painter.setPen(QPen(QColor(0, 170, 255), 1))
            painter.drawRect(sel.adjusted(0, 0, -1, -1))
            size = f"{source.width()} × {source.height()}"
            label = QRect(sel.left(), max(sel.top() - 22, 0), 120, 20)
            painter.fillRect(label, QColor(0, 0, 0, 180))
            painter.setPen(QColor(255, 255, 255))
            painter.drawText(label.adjusted(4, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, size)
        painter.end()


def _to_device(rect: QRect, ratio: float) -> QRect:
    return QRect(
        round(rect.x() * ratio),
        round(rect.y() * ratio),
        round(rect.width() * ratio),
        round(rect.height() * ratio),
    )


class RegionCapture(QObject):
    """Hide ``console``, grab every screen, let the operator choose; ``finished`` carries a
    :class:`Capture` or None (Esc). The console is shown again either way."""

    finished = Signal(object)

    def __init__(self, console: QWidget | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._console = console
        self._overlays: list[_Overlay] = []
        self._console_was_visible = False

    def overlays(self) -> list[_Overlay]:
        return list(self._overlays)

    def start(self) -> None:
        if self._console is not None and self._console.isVisible():
            self._console_was_visible = True
            self._console.hide()
            QTimer.singleShot(HIDE_DELAY_MS, self._grab_all)
        else:
            self._grab_all()

    def _grab_all(self) -> None:
        # Grab every screen before any overlay is shown, so no overlay is in another's grab.
        grabs = [(screen, screen.grabWindow(0)) for screen in QGuiApplication.screens()]
        for screen, grab in grabs:
            overlay = _Overlay(screen, grab)
            overlay.confirmed.connect(self._finish)
            overlay.cancelled.connect(lambda: self._finish(None))
            self._overlays.append(overlay)
        for overlay in self._overlays:
            overlay.show()
            overlay.raise_()
            overlay.activateWindow()
        if self._overlays:
            self._overlays[0].setFocus()

    def _finish(self, capture: Capture | None) -> None:
        overlays, self._overlays = self._overlays, []
        for overlay in overlays:
            overlay.close()
        if self._console is not None and self._console_was_visible:
            self._console.show()
        self.finished.emit(capture)


def capture_region(console: QWidget | None = None) -> Capture | None:
    """The blocking form (a nested event loop) for callers that want a plain return value."""
    result: list[Capture | None] = []
    loop = QEventLoop()
    capture = RegionCapture(console)
    capture.finished.connect(lambda value: (result.append(value), loop.quit()))
    capture.start()
    if not result:
        loop.exec()
    return result[0] if result else None


def capture_window(window: QWidget) -> Capture:
    """One of this program's own windows, in device pixels."""
    screen = window.screen()
    frame = window.frameGeometry()
    grab = screen.grabWindow(window.winId())
    image = grab.toImage()
    ratio = grab.devicePixelRatio()
    image.setDevicePixelRatio(1.0)
    geometry = CaptureGeometry(
        screen=screen.name(),
        logical=(frame.x(), frame.y(), frame.width(), frame.height()),
        device=(0, 0, image.width(), image.height()),
        device_pixel_ratio=ratio,
    )
    return Capture(image, geometry)
