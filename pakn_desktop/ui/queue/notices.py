"""What the queue says about its filters: their names (for the empty list and for a case code
the filters hide), the notice over an empty table, and the search for a hidden case code."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from pakn_desktop.domain.case_code import CaseCode
from pakn_desktop.services.queue import QueueQuery
from pakn_desktop.ui.queue.saved_views import ALL, VIEWS

if TYPE_CHECKING:
    from pakn_desktop.ui.queue.filter_bar import FilterScreen


def filter_words(screen: FilterScreen, *, with_text: bool = True) -> list[str]:
    """The filters in force, in the words of the filter bar ("Quá hạn", "Kênh: Zalo"…)."""
    tr = screen.tr
    out: list[str] = []
    if screen.views.key() != ALL:
        out.append(tr("chế độ xem “%1”").replace("%1", tr(VIEWS[screen.views.key()])))
    for combo in (screen.status, screen.channel, screen.category, screen.kind):
        if combo.currentIndex() > 0:
            out.append(combo.currentText())
    more = screen.more
    for combo in (more.unit, more.commune):
        if combo.currentIndex() > 0:
            out.append(combo.currentText())
    for edit, words in ((more.date_from, tr("tiếp nhận từ %1")), (more.date_to, tr("đến %1"))):
        if edit.date() != edit.minimumDate():
            out.append(words.replace("%1", edit.text()))
    if screen.drill.isVisible():
        out.append(screen.drill_label)
    text = screen.search.text().strip()
    if with_text and text:
        out.append(tr("từ khóa “%1”").replace("%1", text))
    return out


def case_code_in(text: str) -> str | None:
    """The whole case code typed in the search box, upper-cased; None for anything else."""
    try:
        CaseCode.parse(text)
    except ValueError:
        return None
    return text.strip().upper()  # as typed: the sequence's zeros are part of the code


def unfiltered(query: QueueQuery) -> QueueQuery:
    """``query`` with only its text: where a case code is looked for past the filters."""
    return replace(QueueQuery(), text=query.text)


class EmptyNotice(QWidget):
    """Over the table's viewport while the list is empty: why, and a button that removes the
    filters when they are the reason."""

    clearFilters = Signal()

    def __init__(self, viewport: QWidget) -> None:
        super().__init__(viewport)
        self.setObjectName("queueEmpty")
        self.text = QLabel(self)
        self.text.setObjectName("queueEmptyText")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clear = QPushButton(self.tr("Bỏ mọi bộ lọc"), self)
        self.clear.setObjectName("queueEmptyClear")
        self.clear.clicked.connect(self.clearFilters)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.text)
        layout.addWidget(self.clear, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        viewport.installEventFilter(self)
        self.hide()

    def say(self, text: str, *, can_clear: bool) -> None:
        self.text.setText(text)
        self.clear.setVisible(can_clear)
        self._fit()
        self.show()
        self.raise_()

    def _fit(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect().adjusted(24, 12, -24, -12))

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._fit()
        return False


def empty_text(screen: FilterScreen) -> tuple[str, bool]:
    """What an empty list says, and whether removing filters could fill it."""
    filters = filter_words(screen)
    if filters:
        text = screen.tr("Không có phản ánh nào khớp bộ lọc: %1.").replace("%1", "; ".join(filters))
        return text, True
    return screen.tr("Không có phản ánh nào. Nhấn F2 để tiếp nhận cuộc gọi mới."), False


def hidden_text(screen: FilterScreen, code: str) -> str:
    filters = filter_words(screen, with_text=False)
    return (
        screen.tr("%1 có nhưng bị ẩn bởi bộ lọc: %2.")
        .replace("%1", code)
        .replace("%2", "; ".join(filters))
    )
