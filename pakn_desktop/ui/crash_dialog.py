"""The crash dialog's window: what happened in Vietnamese, the report to copy (``ui.crash``
decides when it shows)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class CrashDialog(QDialog):
    """What happened, in Vietnamese; the details (no personal data) to copy; "Đóng" closes
    only this dialog."""

    def __init__(self, details: str, log_file: Path | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(self.tr("PAKN Desktop — lỗi không mong đợi"))
        self.count = 1
        where = (
            self.tr("Nhật ký: %1").replace("%1", str(log_file))
            if log_file is not None
            else self.tr("Chưa ghi được nhật ký.")
        )
        self.text = QLabel(self._sentence() + "\n" + where, self)
        self.text.setWordWrap(True)
        self.details = QPlainTextEdit(details, self)
        self.details.setObjectName("crashDetails")
        self.details.setReadOnly(True)
        buttons = QDialogButtonBox(self)
        self.copy = QPushButton(self.tr("Sao chép chi tiết"), self)
        self.copy.setObjectName("crashCopy")
        buttons.addButton(self.copy, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Đóng"))
        self.copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def _sentence(self) -> str:
        return self.tr(
            "Chương trình gặp lỗi không mong đợi. Phiếu tiếp nhận đang nhập (nếu có) đã được "
            "lưu nháp; chương trình vẫn chạy, bạn có thể làm tiếp. Nếu lỗi lặp lại, hãy gửi "
            "phần chi tiết dưới đây cho bộ phận kỹ thuật (không chứa nội dung phản ánh)."
        )

    def add(self, details: str) -> None:
        """Another bug while this dialog is open: one dialog, the reports one after another."""
        self.count += 1
        self.details.appendPlainText("\n" + details)
        self.setWindowTitle(
            self.tr("PAKN Desktop — %1 lỗi không mong đợi").replace("%1", str(self.count))
        )

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
