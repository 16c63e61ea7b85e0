"""The bar over the form: which mode, the call timer, the draft state, the main buttons."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from pakn_desktop.ui.intake.call_timer import CallTimer


class CallBar(QFrame):
    newCall = Signal()
    newMessage = Signal()
    hold = Signal()
    save = Signal()
    help = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callBar")
        self.setStyleSheet(
            "QFrame#callBar { border-bottom: 1px solid palette(mid); }"
            " QLabel#modeLabel { font-weight: bold; }"
        )
        tr = self.tr
        self.call_button = QPushButton(tr("☎ Cuộc gọi mới (F2)"), self)
        self.message_button = QPushButton(tr("✉ Tin nhắn mới (F3)"), self)
        self.mode_label = QLabel(self)
        self.mode_label.setObjectName("modeLabel")
        font = QFont(self.mode_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.mode_label.setFont(font)
        self.timer = CallTimer(self)
        self.status = QLabel(self)
        self.status.setObjectName("draftStatus")
        self.status.setStyleSheet("color: palette(mid);")
        # A long status ("Đã khôi phục bản nháp; …") must not widen the window past 1366 px:
        # it gets what the bar has left (the whole text stays in the tooltip).
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.duplicate = QLabel(self)
        self.duplicate.setObjectName("duplicateLink")
        self.duplicate.setStyleSheet("color: #8a5a00; font-weight: bold;")
        self.duplicate.hide()
        self.hold_button = QPushButton(tr("Giữ máy (Ctrl+H)"), self)
        self.save_button = QPushButton(tr("Lưu hồ sơ (Ctrl+Enter)"), self)
        self.save_button.setDefault(False)
        self.save_button.setStyleSheet("font-weight: bold;")
        self.help_button = QPushButton(tr("Phím tắt (F1)"), self)
        for button in (
            self.call_button,
            self.message_button,
            self.hold_button,
            self.save_button,
            self.help_button,
        ):
            button.setAutoDefault(False)
            button.setFocusPolicy(button.focusPolicy().NoFocus)  # the keyboard uses shortcuts
        self.call_button.clicked.connect(self.newCall.emit)
        self.message_button.clicked.connect(self.newMessage.emit)
        self.hold_button.clicked.connect(self.hold.emit)
        self.save_button.clicked.connect(self.save.emit)
        self.help_button.clicked.connect(self.help.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.call_button)
        layout.addWidget(self.message_button)
        layout.addSpacing(12)
        layout.addWidget(self.mode_label)
        layout.addWidget(self.timer)
        layout.addWidget(self.duplicate)
        layout.addWidget(self.status, 1)
        layout.addWidget(self.hold_button)
        layout.addWidget(self.save_button)
        layout.addWidget(self.help_button)

    def set_mode(self, mode: str) -> None:
        if mode == "call":
            self.mode_label.setText(self.tr("Cuộc gọi đường dây nóng"))
        else:
            self.mode_label.setText(self.tr("Tin nhắn"))
        self.timer.setVisible(mode == "call")

    def set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setToolTip(text)

    def set_duplicate(self, code: str) -> None:
        self.duplicate.setText(self.tr("Trùng với %1 (Ctrl+Shift+D: bỏ)").replace("%1", code))
        self.duplicate.setVisible(bool(code))
