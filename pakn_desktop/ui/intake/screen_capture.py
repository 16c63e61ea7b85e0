"""Region screen capture: hide the console, freeze every screen, drag a rectangle.

Each screen is grabbed first (``QScreen.grabWindow(0)``, in device pixels), then covered by a
frameless overlay that shows that frozen image dimmed; the operator drags a rectangle (its
size in device pixels is shown), Enter or releasing the mouse confirms, Esc cancels. The
result is cropped from the frozen grab in *device* pixels, so HiDPI screens give full
resolution, with the geometry the evidence row records (screen name, logical and device
rectangles, device pixel ratio).

Window mode (``RegionCapture(console, mode="window")``): the same frozen, dimmed screens, but
hovering lights up the top-level window under the cursor (any program's, from the window list
``window_list.list_windows`` takes at grab time) and a click takes that window's rectangle
from the frozen grab: the pixels the operator saw, not a later repaint. A click on the bare
desktop takes nothing and the overlay stays (Esc cancels). The window is clipped to the
screen that was clicked. Where the platform cannot list windows (Wayland) the overlay falls
back to region mode and says so. ``capture_window`` grabs one of this program's own windows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
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

from pakn_desktop.ui.intake.window_list import TopWindow, list_windows, window_at

DIM = QColor(0, 0, 0, 110)
HIDE_DELAY_MS = 250  # long enough for a compositor to take the hidden console off screen
MIN_SIZE = 2  # a click without a drag is not a region


@dataclass(frozen=True)
class CaptureGeometry:
    screen: str
    logical: tuple[int, int, int, int]  # x, y, w, h in desktop (logical) coordinates
    device: tuple[int, int, int, int]  # x, y, w, h in the screen's device pixels
    device_pixel_ratio: float
    window: TopWindow | None = None  # window mode: the window chosen (rect: desktop device px)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "screen": self.screen,
            "logical": list(self.logical),
            "device": list(self.device),
            "device_pixel_ratio": self.device_pixel_ratio,
        }
        if self.window is not None:
            data["window"] = {
                "title": self.window.title,
                "id": self.window.wid,
                "rect": list(self.window.rect),
            }
        return data


@dataclass(frozen=True)
class Capture:
    image: QImage
    geometry: CaptureGeometry


class _Overlay(QWidget):
    """One per screen: the frozen grab, dimmed, with the selection shown undimmed."""

    confirmed = Signal(object)  # Capture
    cancelled = Signal()

    def __init__(
        self, screen: QScreen, grab: QPixmap, windows: list[TopWindow] | None = None
    ) -> None:
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
        self._windows = windows  # None: region mode
        self._hovered: TopWindow | None = None
        self.hint = ""  # a line shown at the bottom (window mode and its fallback)
        self.setScreen(screen)
        self.setGeometry(screen.geometry())

    def selection(self) -> QRect:
        return QRect(self._selection)

    def hovered(self) -> TopWindow | None:
        return self._hovered

    def _window_under(self, local: QPoint) -> TopWindow | None:
        if self._windows is None:
            return None
        origin = self._screen.geometry().topLeft()  # same in logical and device coordinates
        x = origin.x() + int(local.x() * self._ratio)
        y = origin.y() + int(local.y() * self._ratio)
        return window_at(self._windows, x, y)

    def _window_device_rect(self, window: TopWindow) -> QRect:
        """The window in this grab's device pixels, clipped to the screen."""
        x, y, w, h = window.rect
        origin = self._screen.geometry().topLeft()
        rect = QRect(x - origin.x(), y - origin.y(), w, h)
        return rect.intersected(QRect(QPoint(0, 0), self._grab.size()))

    # --- input --------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._windows is not None:
            if event.button() == Qt.MouseButton.LeftButton:
                # The press decides (a synthetic click may come without a move before it).
                self._hovered = self._window_under(event.position().toPoint())
                self.update()
                if self._hovered is not None:
                    self.confirmed.emit(self.capture_window(self._hovered))
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self._origin = event.position().toPoint()
            self._selection = QRect(self._origin, QSize(0, 0))
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._windows is not None:
            hovered = self._window_under(event.position().toPoint())
            if hovered != self._hovered:
                self._hovered = hovered
                self.update()
            return
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
            if self._windows is None:
                self._confirm()
            elif self._hovered is not None:
                self.confirmed.emit(self.capture_window(self._hovered))
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

    def capture_window(self, window: TopWindow) -> Capture:
        """``window``'s pixels from the frozen grab (device px), clipped to this screen."""
        device = self._window_device_rect(window)
        image = self._grab.copy(device).toImage()
        image.setDevicePixelRatio(1.0)
        origin = self._screen.geometry().topLeft()
        local = _to_logical(device, self._ratio)
        logical = local.translated(origin)
        geometry = CaptureGeometry(
            screen=self._screen.name(),
            logical=(logical.x(), logical.y(), logical.width(), logical.height()),
            device=(device.x(), device.y(), device.width(), device.height()),
            device_pixel_ratio=self._ratio,
            window=window,
        )
        return Capture(image, geometry)

    # --- painting -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawPixmap(self.rect(), self._grab)
        painter.fillRect(self.rect(), DIM)
        if self._hovered is not None:
            self._paint_window(painter, self._hovered)
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
        self._paint_hint(painter)
        painter.end()

    def _paint_window(self, painter: QPainter, window: TopWindow) -> None:
        device = self._window_device_rect(window)
        local = _to_logical(device, self._ratio)
        painter.drawPixmap(local, self._grab, device)  # the window, undimmed
        painter.setPen(QPen(QColor(0, 170, 255), 3))
        painter.drawRect(local.adjusted(1, 1, -2, -2))
        text = f"{window.title or '?'} — {device.width()} × {device.height()}"
        label = QRect(local.left(), max(local.top() - 22, 0), min(local.width(), 480), 20)
        painter.fillRect(label, QColor(0, 0, 0, 180))
        painter.setPen(QColor(255, 255, 255))
        flags = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(label.adjusted(4, 0, -4, 0), flags, text)

    def _paint_hint(self, painter: QPainter) -> None:
        if not self.hint:
            return
        box = QRect(0, self.height() - 28, self.width(), 28)
        painter.fillRect(box, QColor(0, 0, 0, 200))
        painter.setPen(QColor(255, 255, 255))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.hint)


def _to_logical(rect: QRect, ratio: float) -> QRect:
    return QRect(
        round(rect.x() / ratio),
        round(rect.y() / ratio),
        round(rect.width() / ratio),
        round(rect.height() / ratio),
    )


def _to_device(rect: QRect, ratio: float) -> QRect:
    return QRect(
        round(rect.x() * ratio),
        round(rect.y() * ratio),
        round(rect.width() * ratio),
        round(rect.height() * ratio),
    )


def _tr(text: str) -> str:
    return QCoreApplication.translate("ScreenCapture", text)


class RegionCapture(QObject):
    """Hide ``console``, grab every screen, let the operator choose; ``finished`` carries a
    :class:`Capture` or None (Esc). The console is shown again either way.

    ``mode="window"`` picks a window by clicking it; ``window_mode_available`` tells after the
    grab whether it could (False: the platform lists no windows, region mode instead)."""

    finished = Signal(object)

    def __init__(
        self,
        console: QWidget | None = None,
        parent: QObject | None = None,
        mode: str = "region",
    ) -> None:
        super().__init__(parent)
        self._console = console
        self._mode = mode
        self._overlays: list[_Overlay] = []
        self._console_was_visible = False
        self.window_mode_available: bool | None = None

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
        windows, hint = self._window_list()
        for screen, grab in grabs:
            overlay = _Overlay(screen, grab, windows)
            overlay.hint = hint
            overlay.confirmed.connect(self._finish)
            overlay.cancelled.connect(lambda: self._finish(None))
            self._overlays.append(overlay)
        for overlay in self._overlays:
            overlay.show()
            overlay.raise_()
            overlay.activateWindow()
        if self._overlays:
            self._overlays[0].setFocus()

    def _window_list(self) -> tuple[list[TopWindow] | None, str]:
        """Taken right after the grabs, so it describes the frozen picture (no overlay yet)."""
        if self._mode != "window":
            # The screen freezes under a dimmed copy of itself: without a word the operator
            # does not know what to do, nor how to get out.
            return None, _tr("Kéo chuột để chọn vùng, Esc để huỷ")
        own = [int(self._console.winId())] if self._console is not None else []
        windows = list_windows(exclude=own)
        self.window_mode_available = windows is not None
        if windows is None:
            return None, _tr(
                "Hệ thống cửa sổ này (Wayland) không cho chọn cửa sổ của chương trình khác: "
                "hãy kéo chọn vùng quanh cửa sổ cần chụp — Esc để huỷ"
            )
        return windows, _tr("Bấm vào cửa sổ cần chụp — Esc để huỷ")

    def _finish(self, capture: Capture | None) -> None:
        overlays, self._overlays = self._overlays, []
        for overlay in overlays:
            overlay.close()
        if self._console is not None and self._console_was_visible:
            self._console.show()
        self.finished.emit(capture)


def capture_region(console: QWidget | None = None, mode: str = "region") -> Capture | None:
    """The blocking form (a nested event loop) for callers that want a plain return value."""
    result: list[Capture | None] = []
    loop = QEventLoop()
    capture = RegionCapture(console, mode=mode)

    def finished(value: Capture | None) -> None:
        result.append(value)
        loop.quit()

    capture.finished.connect(finished)
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
