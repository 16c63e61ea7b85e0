"""Beside the form: the caller's earlier reports, possible duplicates, and open drafts.

Each list is short and bounded (20 reports, 5 candidates, the drafts of one workstation), so
each is a tiny table model of plain rows; the rows' dataclasses ride along in ``ObjectRole``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.widgets.labels import local_datetime, status_label

ObjectRole = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    """Rows of objects shown through one text function per column."""

    def __init__(
        self,
        headers: Sequence[str],
        cells: Callable[[Any], Sequence[str]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._cells = cells
        self._rows: list[tuple[Any, Sequence[str]]] = []

    def set_rows(self, objects: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = [(o, self._cells(o)) for o in objects]
        self.endResetModel()

    def objects(self) -> list[Any]:
        return [o for o, _c in self._rows]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        obj, cells = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cells[index.column()] if index.column() < len(cells) else None
        if role == ObjectRole:
            return obj
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None


class ListPanel(QWidget):
    """A title, a status line and a list; Enter activates, Delete asks to remove."""

    activated = Signal(object)
    deleteRequested = Signal(object)

    def __init__(
        self,
        title: str,
        headers: Sequence[str],
        cells: Callable[[Any], Sequence[str]],
        parent: QWidget | None = None,
        *,
        stretch: int = -1,
    ) -> None:
        super().__init__(parent)
        self.title = QLabel(title, self)
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: palette(mid);")
        self.model = RowsModel(headers, cells, self)
        self.view = _ListView(self)
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # The summary takes what is left; codes and dates keep their width.
        self.stretch_column = stretch if stretch >= 0 else len(headers) - 1
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(self.stretch_column, QHeaderView.ResizeMode.Stretch)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.activated.connect(self._activated)
        self.view.deletePressed.connect(self._delete)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)

    def set_rows(self, objects: Sequence[Any], empty_text: str = "") -> None:
        self.model.set_rows(objects)
        self.status.setText(empty_text if not objects else "")
        self.status.setVisible(bool(self.status.text()))
        for column in range(self.model.columnCount()):
            if column != self.stretch_column:
                self.view.resizeColumnToContents(column)
        if objects:
            self.view.setCurrentIndex(self.model.index(0, 0))

    def set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def current(self) -> Any:
        index = self.view.currentIndex()
        return self.model.data(self.model.index(index.row(), 0), ObjectRole)

    def _activated(self, index: QModelIndex) -> None:
        obj = self.model.data(self.model.index(index.row(), 0), ObjectRole)
        if obj is not None:
            self.activated.emit(obj)

    def _delete(self) -> None:
        obj = self.current()
        if obj is not None:
            self.deleteRequested.emit(obj)


class _ListView(QTreeView):
    deletePressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete:
            self.deletePressed.emit()
            return
        super().keyPressEvent(event)


# --- the three panels' columns ----------------------------------------------------------


def history_cells(item: Any) -> tuple[str, ...]:
    return (
        item.code,
        local_datetime(item.received_at, short=True),
        status_label(item.status),
        local_datetime(item.due_at, short=True),
        item.summary,
    )


def candidate_cells(item: Any) -> tuple[str, ...]:
    return (
        item.code,
        f"{item.score:.0f}%",
        local_datetime(item.received_at, short=True),
        status_label(item.status),
        item.summary,
    )


def draft_cells(item: Any) -> tuple[str, ...]:
    mode = "☎" if item.mode == "call" else "✉"
    return (f"{mode} {item.title}", local_datetime(item.updated_at, short=True))


def history_panel(parent: QWidget) -> ListPanel:
    tr = parent.tr
    panel = ListPanel(
        tr("Lịch sử người gọi (Ctrl+Shift+L)"),
        [tr("Mã hồ sơ"), tr("Ngày"), tr("Trạng thái"), tr("Hạn"), tr("Tóm tắt")],
        history_cells,
        parent,
    )
    panel.setObjectName("historyPanel")
    return panel


def duplicates_panel(parent: QWidget) -> ListPanel:
    tr = parent.tr
    panel = ListPanel(
        tr("Có thể trùng (Ctrl+D: đánh dấu trùng)"),
        [tr("Mã hồ sơ"), tr("Giống"), tr("Ngày"), tr("Trạng thái"), tr("Tóm tắt")],
        candidate_cells,
        parent,
    )
    panel.setObjectName("duplicatesPanel")
    return panel


def drafts_panel(parent: QWidget) -> ListPanel:
    tr = parent.tr
    panel = ListPanel(
        tr("Bản nháp, cuộc gọi đang giữ (Ctrl+B)"),
        [tr("Bản nháp"), tr("Cập nhật")],
        draft_cells,
        parent,
        stretch=0,
    )
    panel.setObjectName("draftsPanel")
    return panel
