"""The strip over a window opened on the demo database: says so, and offers the real start.

Nobody should type a real citizen's report into demo data, nor read demo figures as real:
the strip stays for as long as the window shows the demo database.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class DemoBanner(QFrame):
    realRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demoBanner")
        # Amber, not red: nothing is wrong, but the data is not real.
        self.setStyleSheet(
            "#demoBanner { background: #fef0c7; border-bottom: 1px solid #f79009; }"
            "#demoBanner QLabel { color: #7a2e0e; }"
        )
        title = QLabel(self.tr("Dữ liệu mẫu"), self)
        title.setObjectName("demoBannerTitle")
        title.setStyleSheet("font-weight: bold;")
        text = QLabel(
            self.tr(
                "Đây là cơ sở dữ liệu thử với phản ánh và đơn vị giả định: không tiếp nhận phản "
                "ánh thật ở đây."
            ),
            self,
        )
        text.setWordWrap(True)
        self.button = QPushButton(self.tr("Bắt đầu dùng máy trạm thật…"), self)
        self.button.setObjectName("startRealWorkstation")
        self.button.setToolTip(
            self.tr(
                "Tạo cơ sở dữ liệu thật, trống (pakn.sqlite3) và mở lại trên đó; dữ liệu mẫu "
                "giữ riêng, không lẫn vào."
            )
        )
        self.button.clicked.connect(self.realRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(text, 1)
        layout.addWidget(self.button)

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.button.setText(
            self.tr("Đang tạo cơ sở dữ liệu thật…")
            if busy
            else self.tr("Bắt đầu dùng máy trạm thật…")
        )
