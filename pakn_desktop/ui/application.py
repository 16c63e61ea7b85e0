"""QApplication settings shared by the GUI and the screenshot command: names, locale, font."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

# Fonts known to carry every Vietnamese letter (stacked diacritics included), best first.
_FONTS = ("Segoe UI", "Noto Sans", "Roboto", "Inter", "Liberation Sans", "DejaVu Sans", "Arial")


def configure(app: QGuiApplication) -> None:
    app.setApplicationName("PAKN Desktop")
    app.setOrganizationName("pakn-desktop")
    app.setApplicationDisplayName("PAKN Desktop")
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    family = vietnamese_font_family()
    if family:
        font = QFont(family)
        font.setPointSizeF(max(app.font().pointSizeF(), 9.5))
        app.setFont(font)


def vietnamese_font_family() -> str | None:
    """The first installed family from our list that declares Vietnamese support."""
    families = set(QFontDatabase.families(QFontDatabase.WritingSystem.Vietnamese))
    for family in _FONTS:
        if family in families:
            return family
    return None
