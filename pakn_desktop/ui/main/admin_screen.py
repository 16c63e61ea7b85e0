"""The administration screen (Ctrl+5): the settings that exist, each with its shortcut, and
an honest line about what is still to come."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from pakn_desktop.widgets.shortcut_help import native_keys

# (button, what it sets, keys); the window binds the same keys to the same openers.
Task = tuple[str, str, str, Callable[[], object]]


class AdminScreen(QWidget):
    """One row per administration task. The dialogs themselves let only the administrator
    role edit."""

    def __init__(self, tasks: Sequence[Task], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(self.tr("Quản trị"), self)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        self.buttons: list[QPushButton] = []
        for row, (label, purpose, keys, opener) in enumerate(tasks):
            button = QPushButton(f"{label} ({native_keys([keys])})", self)
            button.clicked.connect(lambda _c=False, o=opener: o())
            text = QLabel(purpose, self)
            text.setWordWrap(True)
            grid.addWidget(button, row, 0)
            grid.addWidget(text, row, 1)
            self.buttons.append(button)
        grid.setColumnStretch(1, 1)
        later = QLabel(
            self.tr("Tài khoản người dùng, danh mục lĩnh vực: sẽ có trong phiên bản sau."),
            self,
        )
        later.setWordWrap(True)
        later.setStyleSheet("color: palette(mid);")
        hint = QLabel(self.tr("F1: bảng phím tắt của toàn chương trình"), self)
        hint.setStyleSheet("color: palette(mid);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.setSpacing(16)
        layout.addWidget(heading)
        layout.addLayout(grid)
        layout.addWidget(later)
        layout.addWidget(hint)
        layout.addStretch(1)
        for widget in (heading, later, hint):
            widget.setAlignment(Qt.AlignmentFlag.AlignLeft)
