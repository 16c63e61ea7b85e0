"""QApplication settings shared by the GUI and the screenshot command: names, locale, font."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLocale
from PySide6.QtGui import QFont, QGuiApplication

# Fonts known to carry every Vietnamese letter (stacked diacritics included), best first.
_FONTS = ("Segoe UI", "Noto Sans", "Roboto", "Inter", "Liberation Sans", "DejaVu Sans", "Arial")


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
    font.setFamilies(list(_FONTS))
    font.setPointSizeF(max(app.font().pointSizeF(), 9.5))
    app.setFont(font)
