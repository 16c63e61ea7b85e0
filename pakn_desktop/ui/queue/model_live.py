"""The queue model's part that follows typed changes: the rows a change names are put in,
taken out or read again in place (``ui/queue/live.py`` plans the moves), or the pages held
are read again without a reset. Mixed into ``QueueModel``, whose pages and reads it uses."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex

from pakn_desktop.services.changes import Changes
from pakn_desktop.services.queue import QueueQuery, QueueService, QueueShape
from pakn_desktop.ui.queue.cells import Line, present
from pakn_desktop.ui.queue.live import drop_row, plan, shift_pages

if TYPE_CHECKING:
    from PySide6.QtCore import QAbstractTableModel, QTimer, SignalInstance

    from pakn_desktop.ui.tasks import Tasks

    _Base = QAbstractTableModel
else:
    _Base = object

# Reports a change may name for their rows to be placed one by one; more: read the pages again.
MAX_PLACED = 50


class LiveRows(_Base):
    """What it needs of ``QueueModel`` (the attributes below, its signals and reads)."""

    _service: QueueService
    _tasks: Tasks
    _query: QueueQuery
    _started: bool
    _exact: bool
    _generation: int
    _epoch: int
    _rows: int
    _page_size: int
    _shape: QueueShape | None
    _pages: OrderedDict[int, list[Line]]
    _stale: set[int]
    _in_flight: set[int]
    _dispatch: QTimer
    if TYPE_CHECKING:  # QueueModel's signals and methods
        aboutToPlace: SignalInstance
        reportsPlaced: SignalInstance
        reportInserted: SignalInstance
        countKnown: SignalInstance

        def refresh(self) -> None: ...
        def _track(self, handle: Any) -> None: ...
        def _resize_to(self, count: int) -> None: ...
        def _shape_known(self, generation: int, shape: QueueShape) -> None: ...
        def _failed(self, error: BaseException) -> None: ...

    def apply(self, changes: Changes) -> None:
        """Reports changed: only their rows are put in, taken out or read again, without a
        reset (the selection, the current row and the rows read stay), and the new count
        taken. Reports too many to place, or not named, and the pages read are read again."""
        if not self._started or not changes.touches_reports():
            return
        if not self._exact:  # the count is still being read: read everything afresh
            self.refresh()
            return
        if changes.every_report or len(changes.reports) > MAX_PLACED:
            self.reload()
            return
        service, named = self._service, changes.reports
        generation, query = self._generation, self._query
        # Every report named is on a page read (or new): the new count follows from where
        # they stand now, without the COUNT and anchors over the whole query.
        loaded = self._rows_of(named)
        known = all(t in loaded or t in changes.created for t in named)
        every = None if known else self._page_size

        def read() -> tuple[dict[Any, tuple[int, Line]], QueueShape | None]:
            found, shape = service.placements(query, named, every)
            lines = present([row for _at, row in found.values()])
            places = zip(found.items(), lines, strict=True)
            return {t: (at, line) for (t, (at, _row)), line in places}, shape

        self._track(
            self._tasks.read(
                read,
                on_result=lambda result: self._placed(generation, changes, *result),
                on_error=self._failed,
            )
        )

    def _placed(
        self,
        generation: int,
        changes: Changes,
        found: dict[Any, tuple[int, Line]],
        shape: QueueShape | None,
    ) -> None:
        if generation != self._generation:
            return
        named, created, size = changes.reports, changes.created, self._page_size
        loaded = self._rows_of(named)
        if shape is not None:
            count = shape.count
        elif not all(t in loaded or t in created for t in named):  # a page let go meanwhile
            self.reload()
            return
        else:
            count = self._rows - sum(t not in found for t in loaded)
            count += sum(t in found for t in created)
        todo = plan(loaded, created, found, named, (self._rows, count), self._pages, size)
        if todo.reload:
            assert shape is not None  # every report named was placed
            self._reshaped(generation, shape)
            return
        for row, line in todo.in_place.items():
            self._pages[row // size][row % size] = line
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        if todo.removals or todo.inserts:
            self.aboutToPlace.emit()
            self._epoch += 1  # pages being read were asked for by the old row numbers
            self._in_flight.clear()
        for row in todo.removals:
            self.beginRemoveRows(QModelIndex(), row, row)
            self._pages = drop_row(self._pages, size, row, self._rows)
            self._rows -= 1
            self.endRemoveRows()
        # A page left short (its next one not read) is read again when seen.
        self._stale |= {
            n for n, page in self._pages.items() if len(page) < min(size, self._rows - n * size)
        }
        for at, line in todo.inserts:
            self.beginInsertRows(QModelIndex(), at, at)
            self._pages = shift_pages(self._pages, size, at, line)
            self._rows += 1
            self.endInsertRows()
            self.reportInserted.emit(at)
        if shape is not None:
            self._shape = shape
            self._resize_to(shape.count)
        elif todo.removals or todo.inserts:  # the anchors moved: pages read in order till then
            self._shape = None
            service, query = self._service, self._query
            self._track(
                self._tasks.read(
                    lambda: service.shape(query, size),
                    on_result=lambda new: self._shape_known(generation, new),
                    on_error=self._failed,
                )
            )
        self.countKnown.emit(self._rows)
        self.reportsPlaced.emit()
        if not self._dispatch.isActive():
            self._dispatch.start()

    def reload(self) -> None:
        """Read the rows again without a reset: the count and anchors first, then each page
        held as it is seen; its old rows show until it comes back."""
        if not self._started:
            return
        if not self._exact:
            self.refresh()
            return
        generation, query, every = self._generation, self._query, self._page_size
        self._track(
            self._tasks.read(
                lambda service=self._service: service.shape(query, every),
                on_result=lambda shape: self._reshaped(generation, shape),
                on_error=self._failed,
            )
        )

    def _reshaped(self, generation: int, shape: QueueShape) -> None:
        if generation != self._generation:
            return
        self.aboutToPlace.emit()
        self._epoch += 1
        self._in_flight.clear()
        self._shape = shape
        self._resize_to(shape.count)
        self._stale = set(self._pages)
        self.countKnown.emit(self._rows)
        if self._rows:  # the view asks for what it shows: stale pages are read again then
            self.dataChanged.emit(
                self.index(0, 0), self.index(self._rows - 1, self.columnCount() - 1)
            )
        self.reportsPlaced.emit()

    def _rows_of(self, ticket_ids: Collection[Any]) -> dict[Any, int]:
        """The rows of those of ``ticket_ids`` on the pages read (one pass over them)."""
        return {
            line.row.id: number * self._page_size + offset
            for number, page in self._pages.items()
            for offset, line in enumerate(page)
            if line.row.id in ticket_ids
        }
