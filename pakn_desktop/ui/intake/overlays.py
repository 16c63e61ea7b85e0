"""What lies over the form: the case code shown big after a save, the "drafts to resume" bar,
and the shortcut help (F1). Styled with style sheets; nothing paints by hand."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

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


class HelpOverlay(QFrame):
    """The shortcut list over the screen; F1 or Esc closes it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("helpOverlay")
        self.setStyleSheet(
            "QFrame#helpOverlay { background: rgba(20, 24, 32, 225); }"
            " QFrame#helpOverlay QLabel { color: white; background: transparent; }"
            " QFrame#helpCard { background: transparent; }"
        )
        title = QLabel(self.tr("Phím tắt màn hình Tiếp nhận"), self)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        card = QFrame(self)
        card.setObjectName("helpCard")
        grid = QGridLayout(card)
        grid.setHorizontalSpacing(24)
        rows = [(" / ".join(_native(k) for k in spec.keys), spec.label) for spec in action_specs()]
        rows += list(widget_keys())
        bold = QFont(self.font())
        bold.setBold(True)
        for row, (keys, label) in enumerate(rows):
            key_label = QLabel(keys, card)
            key_label.setFont(bold)
            grid.addWidget(key_label, row, 0, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(QLabel(label, card), row, 1)
        scroll = QScrollArea(self)
        scroll.setWidget(card)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setStyleSheet("background: transparent;")
        scroll.viewport().setStyleSheet("background: transparent;")
        hint = QLabel(self.tr("F1 hoặc Esc để đóng"), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.addWidget(title)
        layout.addWidget(scroll, 1)
        layout.addWidget(hint)
        self.rows = rows
        self.hide()

    def toggle(self) -> None:
        if self.isVisible():
            self.hide()
            return
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()


def _native(key: str) -> str:
    if key == "Escape":
        return "Esc"
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) or key
