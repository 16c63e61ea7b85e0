"""QApplication settings shared by the GUI and the screenshot command: names, locale, font."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QEvent, QLocale, QObject, QTimer
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QWidget

# Fonts known to carry every Vietnamese letter (stacked diacritics included), best first.
FONTS = ("Segoe UI", "Noto Sans", "Roboto", "Inter", "Liberation Sans", "DejaVu Sans", "Arial")


def configure(app: QGuiApplication) -> None:
    # The GUI thread re-takes the GIL for every model call while it paints; with the default
    # 5 ms switch interval a worker decoding a page can hold it that long each time. 1 ms
    # keeps a scroll frame inside its 16 ms when a page arrives mid-frame.
    sys.setswitchinterval(0.001)
    app.setApplicationName("PAKN Desktop")
    app.setOrganizationName("pakn-desktop")
    app.setApplicationDisplayName("PAKN Desktop")
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    # A family list, not a lookup: Qt takes the first one installed, and enumerating the
    # font database to pick one costs a visible slice of the start-up.
    font = QFont(app.font())
    font.setFamilies(list(FONTS))
    font.setPointSizeF(max(app.font().pointSizeF(), 9.5))
    app.setFont(font)
    # Qt's own buttons and dialogs (Yes/No/Cancel, the file dialog) in Vietnamese too.
    from pakn_desktop.ui import qt_vietnamese

    qt_vietnamese.install(app)


class _FirstPaint(QObject):
    """Calls back once, right after ``widget``'s first paint (or after ``fallback_ms``)."""

    def __init__(self, widget: QWidget, callback: Callable[[], object], fallback_ms: int) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback: Callable[[], object] | None = callback
        widget.installEventFilter(self)
        # A window that never paints (minimised at start, no compositor) still gets started.
        QTimer.singleShot(fallback_ms, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            # Queued: run after this paint has finished and reached the screen.
            QTimer.singleShot(0, self, self._fire)
        return False

    def _fire(self) -> None:
        if self._callback is not None:
            callback, self._callback = self._callback, None
            self._widget.removeEventFilter(self)
            callback()


def after_first_paint(
    widget: QWidget, callback: Callable[[], object], fallback_ms: int = 500
) -> None:
    """Run ``callback`` once ``widget`` has painted for the first time.

    Start-up work on a worker (importing SQLAlchemy, migrating) competes with the GUI thread
    for the interpreter lock and the second core; started after the first paint, it no longer
    delays the window appearing.
    """
    _FirstPaint(widget, callback, fallback_ms)
