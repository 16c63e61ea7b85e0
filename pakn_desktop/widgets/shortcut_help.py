"""The shortcut list shown over a screen (F1): keys on the left, what they do on the right.
Styled with style sheets; nothing paints by hand. F1 or Esc closes it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QHideEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)


def native_keys(keys: Sequence[str]) -> str:
    """Portable key names ("Ctrl+Return") as this platform writes them, joined by " / "."""
    return " / ".join(_native(k) for k in keys)


def _native(key: str) -> str:
    if key == "Escape":
        return "Esc"
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) or key


class ShortcutHelp(QFrame):
    """``rows`` of (keys as shown, what they do) under ``title``, over the whole parent; a row
    (heading, "") is a section heading across both columns."""

    def __init__(self, parent: QWidget, title: str, rows: Sequence[tuple[str, str]]) -> None:
        super().__init__(parent)
        self.setObjectName("helpOverlay")
        self.setStyleSheet(
            "QFrame#helpOverlay { background: rgba(20, 24, 32, 225); }"
            " QFrame#helpOverlay QLabel { color: white; background: transparent; }"
            " QFrame#helpCard { background: transparent; }"
        )
        heading = QLabel(title, self)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        card = QFrame(self)
        card.setObjectName("helpCard")
        grid = QGridLayout(card)
        grid.setHorizontalSpacing(24)
        bold = QFont(self.font())
        bold.setBold(True)
        for row, (keys, label) in enumerate(rows):
            key_label = QLabel(keys, card)
            key_label.setFont(bold)
            if not label:  # a section heading
                key_label.setContentsMargins(0, 10, 0, 2)
                grid.addWidget(key_label, row, 0, 1, 2)
                continue
            grid.addWidget(key_label, row, 0, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(QLabel(label, card), row, 1)
        grid.setRowStretch(len(rows), 1)  # spare height below the list, not between its rows
        grid.setColumnStretch(1, 1)
        scroll = QScrollArea(self)
        scroll.setWidget(card)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.viewport().setStyleSheet("background: transparent;")
        scroll.setStyleSheet("QScrollArea { background: transparent; }")
        hint = QLabel(self.tr("F1 hoặc Esc để đóng"), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.addWidget(heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(hint)
        self.rows = list(rows)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._previous: QWidget | None = None
        self.hide()

    def toggle(self) -> None:
        if self.isVisible():
            self.hide()
            return
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self._previous = QApplication.focusWidget()
        self.raise_()
        self.show()
        self.setFocus()  # Esc and F1 reach it even where no screen shortcut covers it

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F1):
            self.hide()
            return
        super().keyPressEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt's name)
        previous, self._previous = self._previous, None
        if previous is not None and previous.isVisible():
            previous.setFocus()  # back to the field the operator was typing in
        super().hideEvent(event)
