"""The queue's table model: anchors plus a bounded cache of pages, fetched in the background.

Memory does not grow with the table: the model keeps the row count, one sort key every
``page_size`` rows (the anchors) and at most ``cache_pages`` pages of rows. A row that is not
cached shows a placeholder and asks for its page; the page comes back through ``ui/tasks.py``
and only its rows are announced with ``dataChanged``.

First paint does not wait for COUNT: the first page is shown as soon as it arrives (a few ms at
any table size); the true row count and the anchors follow from a second query.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QFont

from pakn_desktop.services.queue import (
    SORT_KEYS,  # column n of the model sorts by SORT_KEYS[n] (but "Hạn chuyển")
    QueueQuery,
    QueueRow,
    QueueService,
    QueueShape,
    sort_key,
)
from pakn_desktop.ui.queue.cells import COL_CODE, Line, header_texts, present, sort_value
from pakn_desktop.ui.queue.looks import Decorations
from pakn_desktop.ui.queue.model_live import LiveRows
from pakn_desktop.ui.tasks import Tasks

log = logging.getLogger(__name__)

# "Hạn chuyển" sorts by receipt: the forward due time is the receipt plus the policy's
# forward minutes, 5 in every seeded policy (HCMC letter 2061/UBND-VX), so the order is the
# same without a further index on the intake save's path (docs/decisions.md).
COLUMN_SORTS = (*SORT_KEYS, "received_at")
COLUMN_COUNT = len(COLUMN_SORTS)

SortRole = Qt.ItemDataRole.UserRole + 1
ObjectRole = Qt.ItemDataRole.UserRole + 2

PAGE_SIZE = 100
CACHE_PAGES = 40  # 8,000 rows at most, whatever the table size
MAX_IN_FLIGHT = 2  # page queries at once: the read lane has two threads
MAX_WANTED = 8  # while scrolling fast, only the pages last asked for are worth fetching

Index = QModelIndex | QPersistentModelIndex
_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.BackgroundRole,
        SortRole,
        ObjectRole,
    }
)


class QueueModel(LiveRows, QAbstractTableModel):
    firstPageShown = Signal()
    countKnown = Signal(int)
    pageArrived = Signal(int)
    loadFailed = Signal(object)
    reportInserted = Signal(int)  # the row a report saved meanwhile was put in
    aboutToPlace = Signal()  # a change's rows are about to move (the current row with them)
    reportsPlaced = Signal()  # a change's rows were placed, or the pages held marked stale

    def __init__(
        self,
        service: QueueService,
        tasks: Tasks,
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
        cache_pages: int = CACHE_PAGES,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._tasks = tasks
        self._page_size = page_size
        self._cache_pages = max(cache_pages, 2)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._query = QueueQuery()
        self._started = False  # nothing is read before the first refresh()
        self._generation = 0
        self._epoch = 0  # row numbering: a report put in shifts the rows below it
        self._rows = 0
        self._exact = False
        self._shape: QueueShape | None = None
        self._pages: OrderedDict[int, list[Line]] = OrderedDict()
        self._stale: set[int] = set()  # pages held but read before a change: read again
        self._in_flight: set[int] = set()
        self._wanted: OrderedDict[int, None] = OrderedDict()
        self._handles: list[Any] = []
        self._dispatch = QTimer(self)
        self._dispatch.setSingleShot(True)
        self._dispatch.setInterval(0)
        self._dispatch.timeout.connect(self._dispatch_wanted)
        self._look = Decorations(self._clock)
        self._loading = self.tr("Đang tải…")
        self._headers = header_texts()

    # --- what to show ---------------------------------------------------------------------

    @property
    def query(self) -> QueueQuery:
        return self._query

    @property
    def shape(self) -> QueueShape | None:
        """The count and anchors read last (None before the count is known)."""
        return self._shape

    def is_exact(self) -> bool:
        """True once the real row count is known (before that: the first page's length)."""
        return self._exact

    def set_query(self, query: QueueQuery) -> None:
        if query != self._query:
            self._query = query
            if self._started:
                self.refresh()

    def refresh(self) -> None:
        """Forget every row and read the query again (first page first, then the count)."""
        self._started = True
        self._generation += 1
        for handle in self._handles:
            handle.cancel()
        self._handles.clear()
        self.beginResetModel()
        self._rows = 0
        self._exact = False
        self._shape = None
        self._pages.clear()
        self._stale.clear()
        self._in_flight.clear()
        self._wanted.clear()
        self.endResetModel()
        generation, query, size = self._generation, self._query, self._page_size
        self._track(
            self._tasks.read(
                lambda: present(self._service.first_page(query, size)),
                on_result=lambda rows: self._first_page(generation, rows),
                on_error=self._failed,
            )
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < COLUMN_COUNT:
            descending = order == Qt.SortOrder.DescendingOrder
            self.set_query(replace(self._query, sort=COLUMN_SORTS[column], descending=descending))

    def row_object(self, row: int) -> QueueRow | None:
        line = self._line(row)
        return None if line is None else line.row

    def _line(self, row: int) -> Line | None:
        page = self._pages.get(row // self._page_size)
        offset = row % self._page_size
        if page is None or offset >= len(page):
            return None
        return page[offset]

    def look(self, index: Index) -> tuple[Any, QBrush | None, QFont | None, QBrush | None]:
        """What the cell delegate paints, in one call: the text (the display role, with its
        fetching), the foreground, the font and the background roles' values. A page painted
        is a page used: the last the cache lets go (as ``data`` keeps it for those roles)."""
        text = self.data(index, Qt.ItemDataRole.DisplayRole)
        row = index.row()
        line = self._line(row)
        if line is None:
            return text, None, None, None
        self._pages.move_to_end(row // self._page_size)
        column, look = index.column(), self._look
        return (
            text,
            look.foreground(line, column),
            look.decoration(line, column, Qt.ItemDataRole.FontRole),
            look.decoration(line, column, Qt.ItemDataRole.BackgroundRole),
        )

    def loaded_row_of(self, ticket_id: Any) -> int | None:
        """The row of report ``ticket_id`` among the pages read (at most ``cache_pages``
        of them, never the whole count), or None."""
        for page_no, page in self._pages.items():
            for offset, line in enumerate(page):
                if line.row.id == ticket_id:
                    return page_no * self._page_size + offset
        return None

    def cached_rows(self) -> int:
        return sum(len(p) for p in self._pages.values())

    # --- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < COLUMN_COUNT:
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            return None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every visible cell on each paint: leave early and cheaply.
        if role not in _ROLES or not index.isValid():
            return None
        row = index.row()
        page_no = row // self._page_size
        page = self._pages.get(page_no)
        if page is None:
            if row >= self._rows:
                return None
            self._want(page_no)
            if role == Qt.ItemDataRole.DisplayRole and index.column() == COL_CODE:
                return self._loading
            return None
        offset = row % self._page_size
        if offset >= len(page):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                self._prefetch(page_no, offset)
                if page_no in self._stale:
                    self._want(page_no)
            return page[offset].cells[column]
        self._pages.move_to_end(page_no)
        line = page[offset]
        column = index.column()
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._look.foreground(line, column)
        if role == ObjectRole:
            return line.row
        if role == SortRole:
            return sort_value(line.row, column)
        return self._look.decoration(line, column, role)

    # --- fetching -------------------------------------------------------------------------

    def _track(self, handle: Any) -> None:
        self._handles = [h for h in self._handles if not h.finished]
        self._handles.append(handle)

    def _prefetch(self, page_no: int, offset: int) -> None:
        """Ask for the neighbouring page on the side the user is looking at, so scrolling
        finds rows already there (no placeholder frame, no second paint when they arrive)."""
        near = page_no + 1 if offset >= self._page_size // 2 else page_no - 1
        if (
            near >= 0
            and near * self._page_size < self._rows
            and near not in self._pages
            and near not in self._in_flight
            and near not in self._wanted
            and (self._shape is not None or near == page_no + 1)
        ):
            self._want(near)

    def _want(self, page_no: int) -> None:
        # Called for every cell of a missing page while painting: the repeat is a set lookup.
        if page_no in self._in_flight or page_no in self._wanted:
            return
        self._wanted[page_no] = None
        while len(self._wanted) > MAX_WANTED:
            self._wanted.popitem(last=False)
        if not self._dispatch.isActive():
            self._dispatch.start()

    def _dispatch_wanted(self) -> None:
        while self._wanted and len(self._in_flight) < MAX_IN_FLIGHT:
            page_no, _ = self._wanted.popitem(last=True)  # newest first: where the user is
            if (page_no in self._pages and page_no not in self._stale) or not self._fetch(page_no):
                continue

    def _fetch(self, page_no: int) -> bool:
        """Start reading page ``page_no`` by keyset; False while no key leads there yet."""
        start = page_no * self._page_size
        size, query = self._page_size, self._query
        service = self._service
        if self._shape is not None and page_no < len(self._shape.anchors):
            key = self._shape.anchors[page_no].key
            fn = lambda: present(service.page_after(query, key, size, inclusive=True))  # noqa: E731
        elif page_no - 1 in self._pages and len(self._pages[page_no - 1]) == size:
            key = sort_key(self._pages[page_no - 1][-1].row, query.sort)
            fn = lambda: present(service.page_after(query, key, size))  # noqa: E731
        else:
            return False
        if start >= self._rows:
            return False
        generation, epoch = self._generation, self._epoch
        self._in_flight.add(page_no)
        self._track(
            self._tasks.read(
                fn,
                on_result=lambda rows: self._page(generation, epoch, page_no, rows),
                on_error=self._failed,
            )
        )
        return True

    def _first_page(self, generation: int, rows: list[Line]) -> None:
        if generation != self._generation:
            return
        if rows:
            self.beginInsertRows(QModelIndex(), 0, len(rows) - 1)
            self._pages[0] = rows
            self._rows = len(rows)
            self.endInsertRows()
        if len(rows) < self._page_size:  # the whole result fits: the count is known already
            self._exact = True
            self.firstPageShown.emit()
            self.countKnown.emit(self._rows)
            return
        self.firstPageShown.emit()
        query, every = self._query, self._page_size
        self._track(
            self._tasks.read(
                lambda: self._service.shape(query, every),
                on_result=lambda shape: self._shape_known(generation, shape),
                on_error=self._failed,
            )
        )

    def _shape_known(self, generation: int, shape: QueueShape) -> None:
        if generation != self._generation:
            return
        self._shape = shape
        self._resize_to(shape.count)
        self._exact = True
        self.countKnown.emit(self._rows)
        if self._wanted and not self._dispatch.isActive():
            self._dispatch.start()

    def _resize_to(self, count: int) -> None:
        if count > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, count - 1)
            self._rows = count
            self.endInsertRows()
        elif count < self._rows:
            self.beginRemoveRows(QModelIndex(), count, self._rows - 1)
            self._rows = count
            self._pages = OrderedDict(
                (n, p) for n, p in self._pages.items() if n * self._page_size < count
            )
            self.endRemoveRows()

    def _page(self, generation: int, epoch: int, page_no: int, rows: list[Line]) -> None:
        if generation != self._generation or epoch != self._epoch:
            return
        self._in_flight.discard(page_no)
        self._stale.discard(page_no)
        start = page_no * self._page_size
        rows = rows[: max(0, self._rows - start)]
        self._pages[page_no] = rows
        self._pages.move_to_end(page_no)
        while len(self._pages) > self._cache_pages:
            self._pages.popitem(last=False)
        if rows:
            top = self.index(start, 0)
            bottom = self.index(start + len(rows) - 1, COLUMN_COUNT - 1)
            self.dataChanged.emit(top, bottom)
        self.pageArrived.emit(page_no)
        if self._wanted and not self._dispatch.isActive():
            self._dispatch.start()

    def _failed(self, error: BaseException) -> None:
        log.error("queue query failed", exc_info=error)
        self._in_flight.clear()
        self.loadFailed.emit(error)
