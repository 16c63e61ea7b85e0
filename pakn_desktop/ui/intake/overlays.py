"""What lies over the form: the case code shown big after a save, the "drafts to resume" bar,
and the shortcut help (F1). Styled with style sheets; nothing paints by hand."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.widgets.shortcut_help import ShortcutHelp, native_keys

from .actions import action_specs, widget_keys


class SavedBanner(QFrame):
    """The case code to read back to the caller, in a font that cannot be misread."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("savedBanner")
        self.setStyleSheet(
            "QFrame#savedBanner { background: #e6f4ea; border: 2px solid #2e7d32;"
            " border-radius: 6px; }"
        )
        self.heading = QLabel(self.tr("Đã lưu hồ sơ. Đọc mã cho người phản ánh:"), self)
        self.code = QLabel(self)
        self.code.setObjectName("savedCode")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.code.font())
        font.setPointSizeF(max(26.0, font.pointSizeF() * 2.6))
        font.setBold(True)
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 2)
        self.code.setFont(font)
        self.code.setStyleSheet("color: #1b5e20;")
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.copy = QPushButton(self.tr("Sao chép mã (Ctrl+Shift+C)"), self)
        self.copy.clicked.connect(self.copy_code)
        self.close_button = QPushButton(self.tr("Đóng (Esc)"), self)
        self.close_button.clicked.connect(self.hide)
        text = QVBoxLayout()
        text.addWidget(self.heading)
        text.addWidget(self.code)
        text.addWidget(self.detail)
        buttons = QVBoxLayout()
        buttons.addWidget(self.copy)
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.addLayout(text, 1)
        layout.addLayout(buttons)
        self.hide()

    def show_code(self, code: str, detail: str) -> None:
        self.code.setText(code)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.show()

    def copy_code(self) -> None:
        if self.code.text():
            QGuiApplication.clipboard().setText(self.code.text())


class DraftsBar(QFrame):
    """'Có N bản nháp chưa lưu' with a button to resume the newest."""

    resume = Signal()
    showList = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftsBar")
        self.setStyleSheet(
            "QFrame#draftsBar { background: #fff4d6; border: 1px solid #c89b00;"
            " border-radius: 4px; }"
        )
        self.text = QLabel(self)
        self.text.setObjectName("draftsText")
        font = QFont(self.text.font())
        font.setBold(True)
        self.text.setFont(font)
        self.resume_button = QPushButton(self.tr("Mở bản nháp mới nhất (Ctrl+R)"), self)
        self.list_button = QPushButton(self.tr("Danh sách (Ctrl+B)"), self)
        self.resume_button.clicked.connect(self.resume.emit)
        self.list_button.clicked.connect(self.showList.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.resume_button)
        layout.addWidget(self.list_button)
        self.hide()

    def offer(self, count: int) -> None:
        self.text.setText(self.tr("Có %1 bản nháp chưa lưu").replace("%1", str(count)))
        self.setVisible(count > 0)


def intake_help(parent: QWidget) -> ShortcutHelp:
    """The intake screen's shortcut list: every action of ``actions.action_specs`` with its
    keys, then the keys that belong to widgets."""
    rows = [(native_keys(spec.keys), spec.label) for spec in action_specs()]
    rows += list(widget_keys())
    return ShortcutHelp(parent, parent.tr("Phím tắt màn hình Tiếp nhận"), rows)
