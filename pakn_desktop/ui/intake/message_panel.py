"""Message mode's own fields: which channel, who wrote (profile name and link), the message's
link and time, and the screenshots/images attached to the record (biên bản)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.services.reference_lists import Choice
from pakn_desktop.ui.intake.attachment_strip import AttachmentStrip
from pakn_desktop.widgets.folded_combo import FoldedComboBox

from .fields import FieldBox

MESSAGE_CHANNELS = ("fanpage", "zalo", "email", "web", "chatbot", "app")


class MessagePanel(QGroupBox):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Tin nhắn (fanpage, Messenger, Zalo, thư điện tử, cổng thông tin)"))
        self.channel = FoldedComboBox(self)
        self.channel.setObjectName("messageChannel")
        self.sender_name = QLineEdit(self)
        self.sender_name.setPlaceholderText(self.tr("Tên hiển thị trên trang cá nhân"))
        self.sender_profile_url = QLineEdit(self)
        self.sender_profile_url.setPlaceholderText("https://facebook.com/…")
        self.message_url = QLineEdit(self)
        self.message_url.setPlaceholderText("https://…")
        self.message_at = QLineEdit(self)
        self.message_at.setPlaceholderText(self.tr("dd/mm/yyyy hh:mm (hoặc: nay)"))
        self.boxes: dict[str, FieldBox] = {
            "channel": FieldBox(self.tr("Kênh"), self.channel, self),
            "sender_name": FieldBox(self.tr("Người gửi"), self.sender_name, self),
            "sender_profile_url": FieldBox(
                self.tr("Đường dẫn trang cá nhân"), self.sender_profile_url, self
            ),
            "message_url": FieldBox(self.tr("Đường dẫn tin nhắn"), self.message_url, self),
            "message_at": FieldBox(self.tr("Thời điểm nhắn tin"), self.message_at, self),
        }
        self.strip = AttachmentStrip(self)
        self.paste_button = QPushButton(self.tr("Dán ảnh (Ctrl+Shift+V)"), self)
        self.file_button = QPushButton(self.tr("Chọn tệp… (Ctrl+O)"), self)
        self.file_button.setToolTip(
            self.tr("Ảnh (cả HEIC của iPhone), ghi âm, video, PDF, Word, Excel làm chứng cứ")
        )
        self.capture_button = QPushButton(self.tr("Chụp màn hình vùng (Ctrl+Shift+S)"), self)
        self.window_button = QPushButton(self.tr("Chụp cửa sổ (Ctrl+Shift+W)"), self)
        self.count = QLabel(self)
        strip_box = QWidget(self)
        # The buttons beside the strip, one above the other: under it they took two rows and
        # pushed the handling note below the fold at 1366×768.
        buttons = QVBoxLayout()
        buttons.setSpacing(2)
        for button in (self.paste_button, self.file_button, self.capture_button):
            buttons.addWidget(button)
        buttons.addWidget(self.window_button)
        buttons.addWidget(self.count)
        buttons.addStretch(1)
        strip_layout = QHBoxLayout(strip_box)
        strip_layout.setContentsMargins(0, 0, 0, 0)
        strip_layout.addWidget(self.strip, 1)
        strip_layout.addLayout(buttons)
        self.boxes["attachments"] = FieldBox(
            self.tr("Chứng cứ: ảnh chụp màn hình, ảnh, ghi âm, video, tài liệu (dán hoặc kéo thả)"),
            strip_box,
            self,
        )
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        grid.addWidget(self.boxes["channel"], 0, 0)
        grid.addWidget(self.boxes["sender_name"], 0, 1)
        grid.addWidget(self.boxes["sender_profile_url"], 0, 2)
        grid.addWidget(self.boxes["message_url"], 1, 0, 1, 2)
        grid.addWidget(self.boxes["message_at"], 1, 2)
        # The attachments box is placed by the form (under the content, in either mode).
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 3)
        for edit in (self.sender_name, self.sender_profile_url, self.message_url, self.message_at):
            edit.textEdited.connect(lambda _t: self.edited.emit())
        self.channel.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.set_attachment_count(0)

    def set_channels(self, channels: Sequence[Choice]) -> None:
        self.channel.blockSignals(True)
        self.channel.clear()
        names = {c.code: c.name for c in channels}
        for code in MESSAGE_CHANNELS:
            if code in names:
                self.channel.addItem(names[code], code)
        self.channel.blockSignals(False)

    def set_attachment_count(self, count: int) -> None:
        self.count.setText(self.tr("%1 tệp").replace("%1", str(count)) if count else "")

    def editors(self) -> list[QWidget]:
        """In the order a moderator reads a message: where, who, which message, when."""
        return [
            self.channel,
            self.sender_name,
            self.sender_profile_url,
            self.message_url,
            self.message_at,
        ]

    def clear(self) -> None:
        for edit in (self.sender_name, self.sender_profile_url, self.message_url, self.message_at):
            edit.clear()
        self.channel.setCurrentIndex(0)
        self.strip.clear()
        self.set_attachment_count(0)

    def attachment_editors(self) -> list[QWidget]:
        """The strip, then the buttons beside it, top to bottom."""
        return [
            self.strip,
            self.paste_button,
            self.file_button,
            self.capture_button,
            self.window_button,
        ]

    def attachments_box(self) -> FieldBox:
        return self.boxes["attachments"]
