"""An honest placeholder for a screen that a later version delivers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderScreen(QWidget):
    """Says what the screen will be for and that it is not there yet; no fake controls."""

    def __init__(self, title: str, purpose: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(title, self)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        body = QLabel(purpose, self)
        body.setWordWrap(True)
        note = QLabel(self.tr("Màn hình này sẽ có trong phiên bản sau."), self)
        note.setObjectName("placeholderNote")
        note.setStyleSheet("color: palette(mid);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        for widget in (heading, body, note):
            widget.setAlignment(Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(widget)
        layout.addStretch(1)
        self.title = title
