"""The saved views of the queue in the main window's navigation, with their live counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from pakn_desktop.services.view_names import VIEWS
from pakn_desktop.ui.queue.view_label import view_label

if TYPE_CHECKING:  # the queue's modules load after the first paint (tests/test_start_path.py)
    from pakn_desktop.ui.queue.saved_views import ViewCountsResult

KeyRole = 256  # Qt.ItemDataRole.UserRole, spelt out: the Qt namespace's enums load lazily


class ViewNavigation(QListWidget):
    """One entry per saved view; a click or Enter emits ``viewActivated`` with its key.
    The counts come from the queue's ``ViewCounts`` (counted on a worker, bursts coalesced)."""

    viewActivated = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("viewNavigation")
        self.setToolTip(self.tr("Chế độ xem của hàng đợi: bấm để mở"))
        self.setUniformItemSizes(True)
        row_height = self.fontMetrics().height() + 10
        for key, label in VIEWS.items():
            item = QListWidgetItem(self.tr(label))
            item.setData(KeyRole, key)
            item.setSizeHint(QSize(0, row_height))
            self.addItem(item)
        self.itemClicked.connect(self._activated)
        self.itemActivated.connect(self._activated)

    def widest(self) -> int:
        """Pixels the longest entry needs with a five-digit count (a longer one is elided:
        the table needs the width more)."""
        sample = f" ({self.locale().toString(99_999)})"
        metrics = self.fontMetrics()
        return max(metrics.horizontalAdvance(self.tr(v) + sample) for v in VIEWS.values())

    def key_at(self, row: int) -> str:
        return str(self.item(row).data(KeyRole))

    def row_of(self, key: str) -> int:
        return list(VIEWS).index(key)

    def mark(self, key: str) -> None:
        """Highlight the view the queue shows (no signal: nothing is opened)."""
        self.setCurrentRow(self.row_of(key))

    def show_counts(self, result: ViewCountsResult) -> None:
        for row in range(self.count()):
            key = self.key_at(row)
            self.item(row).setText(view_label(self.tr(VIEWS[key]), result.counts.get(key), self))

    def _activated(self, item: QListWidgetItem) -> None:
        self.viewActivated.emit(str(item.data(KeyRole)))
