"""The queue screen: filter bar, the million-row table and the read-only detail pane."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QItemSelection,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.services.changes import Changes, Topic
from pakn_desktop.services.queue import Names, QueueQuery, QueueService
from pakn_desktop.ui.changes_hub import ChangesHub
from pakn_desktop.ui.queue.cells import COL_CODE
from pakn_desktop.ui.queue.choice_combo import refill_choices
from pakn_desktop.ui.queue.columns import ColumnsChooser
from pakn_desktop.ui.queue.detail import TicketDetailPane
from pakn_desktop.ui.queue.export import QueueExport
from pakn_desktop.ui.queue.filter_bar import (
    FilterScreen,
    build_filters,
    clear_filters,
    current_query,
    show_query,
)
from pakn_desktop.ui.queue.model import ObjectRole, QueueModel
from pakn_desktop.ui.queue.notices import (
    EmptyNotice,
    case_code_in,
    empty_text,
    filter_words,
    hidden_text,
    unfiltered,
)
from pakn_desktop.ui.queue.saved_views import (
    BY_CHANNEL,
    BY_UNIT,
    Picks,
)
from pakn_desktop.ui.queue.selection import RowSelection, selection_of
from pakn_desktop.ui.queue.table import build_table
from pakn_desktop.ui.tasks import Tasks

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices
    from pakn_desktop.services.workflow.service import TicketState
    from pakn_desktop.services.workflow.unit_choices import UnitChoice
    from pakn_desktop.ui.queue.bulk import BulkBar, BulkOutcome

PICK_VIEW_KEY = "F6"  # the saved views list (the help overlay names the same key)
SEARCH_DEBOUNCE_MS = 250


class QueueScreen(FilterScreen):
    """Everything about the queue the user sees; data comes from ``QueueModel``. Its filter
    bar's widgets are declared on FilterScreen (ui/queue/filter_bar.py builds them).

    ``services``: the detail's evidence and workflow actions, and the bulk actions (without
    them, a read-only queue)."""

    message = Signal(str)  # transient text for the status bar
    hiddenFound = Signal(str)  # a case code searched for exists, hidden by the filters

    def __init__(
        self,
        service: QueueService,
        tasks: Tasks,
        parent: QWidget | None = None,
        *,
        model: QueueModel | None = None,
        services: AppServices | None = None,
        changes: ChangesHub | None = None,
    ) -> None:
        super().__init__(parent)
        # Its own actions go out through the hub and come back like every other change.
        self.changes = changes if changes is not None else ChangesHub(self)
        self._service = service
        self._tasks = tasks
        self._services = services
        self._station_code: str | None = None
        self._units: dict[Any, str] = {}
        self._communes: dict[str, str] = {}
        # "Overdue" on the deadline clock (decision 47), as the alerts and the server count it.
        self._now = services.now if services is not None else _station_now
        self.model = model or QueueModel(service, tasks, self, clock=self._now)
        self._build_filters()
        self._build_table()
        self.export = QueueExport(
            self, self.table, lambda: self.model.query, self.selected, self.role, service, tasks
        )
        self.export.message.connect(self.message)
        self.detail = TicketDetailPane(service, tasks, self, services=services, keys_on=self)
        self.detail.acted.connect(lambda state: self._acted(state, self.detail))
        self._following: uuid.UUID | None = None  # a linked report the next first page may hold
        self._shown: uuid.UUID | None = None  # the report the detail shows (or loads)
        self._keep: uuid.UUID | None = None  # ... when the list was read again
        self.detail.linked.connect(self._follow_link)
        self.bulk: BulkBar | None = None
        if services is not None:
            from pakn_desktop.ui.queue.bulk import BulkBar

            self.bulk = BulkBar(
                services, tasks, self.selected, self.role, self, service=self._service
            )
            self.bulk.done.connect(lambda outcome: self._acted(outcome, self.bulk))
            self.bulk.message.connect(self.message)
        if self.detail.action_bar is not None:
            self.detail.action_bar.message.connect(self.message)
        if self.detail.evidence is not None:  # the detail reads it again itself
            self.detail.evidence.changed.connect(self._evidence_changed)
        # Detail below the table: the ten columns keep the full width (a reading pane).
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("queueSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(self._filters)
        more_row = self.more.layout()
        assert more_row is not None
        more_row.addWidget(self.export.button)  # the second row has room (1366 px)
        layout.addWidget(self.more)
        layout.addWidget(self.export.job)
        if self.bulk is not None:
            layout.addWidget(self.bulk)
        layout.addWidget(self.splitter, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._apply_filters)
        self._connect()

    # --- building -------------------------------------------------------------------------

    def _build_filters(self) -> None:
        build_filters(self)

    def _build_table(self) -> None:
        self.table = build_table(self.model, self)
        self.columns = ColumnsChooser(self.table)
        self.empty = EmptyNotice(self.table.viewport())
        self.empty.clearFilters.connect(self.clear_filters)

    def _connect(self) -> None:
        for combo in (self.status, self.channel, self.category, self.kind):
            combo.currentIndexChanged.connect(self._apply_filters)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.search.returnPressed.connect(self._apply_filters)
        self.views.viewChosen.connect(self._view_chosen)
        self.more.changed.connect(self._apply_filters)
        pick_view = QShortcut(QKeySequence(PICK_VIEW_KEY), self)
        pick_view.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        pick_view.activated.connect(self.views.showPopup)
        picked = self.table.selectionModel()
        picked.selectionChanged.connect(self._selection_changed)
        picked.currentRowChanged.connect(self._current_changed)
        self.table.activated.connect(lambda _index: self.open_detail())
        self.model.firstPageShown.connect(self._update_count)
        self.model.firstPageShown.connect(self._first_page_shown)
        self.model.countKnown.connect(lambda _n: self._update_count())
        self.model.modelReset.connect(self._update_count)
        self.model.loadFailed.connect(self._failed)
        self.model.modelAboutToBeReset.connect(lambda: setattr(self, "_keep", self._shown))
        self._top_row = -1
        self.model.rowsAboutToBeInserted.connect(self._before_insert)
        self.model.reportInserted.connect(self._inserted)
        self.model.reportsPlaced.connect(self._placed)
        # While a change's rows move the current row follows them: no detail of its own.
        self._quiet = False
        self.model.aboutToPlace.connect(lambda: setattr(self, "_quiet", True))
        self.changes.changed.connect(self._changed)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_search)

    # --- behaviour ------------------------------------------------------------------------

    def start(self) -> None:
        """Load the filter choices and the first page (both in the background)."""
        service = self._service
        self._tasks.read(service.names, on_result=self._fill_choices, key="queue-names")
        self._read_units()
        self.model.set_query(self.current_query())
        self.model.refresh()
        self.views.start()

    def _read_units(self) -> None:
        services = self._services
        if services is not None:
            self._tasks.read(
                lambda: {u.id: u.name for u in _active_units(services)},
                on_result=self._fill_units,
                key="queue-units",
            )

    def set_station(self, code: str) -> None:
        """This workstation's code: the "mine" view is what it received."""
        self._station_code = code
        self.views.request_counts()

    def _picks(self) -> Picks:
        return Picks(
            now=self._now(),
            station_code=self._station_code,
            unit=self.more.unit.currentData(),
            channel=self.channel.currentData(),
        )

    def _fill_units(self, units: dict[Any, str]) -> None:
        self._units = units
        self.more.fill(units, self._communes)

    def _view_chosen(self, key: str) -> None:
        self.drill.hide()
        self.status.setCurrentIndex(0)  # the view says which statuses
        self._apply_filters()
        if key == BY_UNIT:
            self.more.unit.setFocus()
        elif key == BY_CHANNEL:
            self.channel.setFocus()

    def show_view(self, key: str) -> None:
        """Open saved view ``key`` (from the main window's navigation); a dashboard drill-down
        gives way to it."""
        row = self.views.findData(key)
        if row < 0:
            raise ValueError(f"unknown saved view {key!r}")
        if row == self.views.currentIndex():
            self._view_chosen(key)  # the same view again: read it afresh
        else:
            self.views.setCurrentIndex(row)

    def refresh(self) -> None:
        self._service.forget_names()
        self.start()

    def report_saved(self, ticket_id: uuid.UUID) -> None:
        """A report was saved at intake: it takes its row if the view holds it; the selection
        and what the reader looks at stay."""
        self.model.apply(Changes.reports_created([ticket_id]))

    def _changed(self, changes: Changes, initiator: object) -> None:
        """Any write, here or elsewhere: only the rows it names are placed again; the counts
        when reports changed; the detail when its report did (unless it made the change and
        has read it already)."""
        if changes.every_report or changes.has(Topic.UNITS):
            # The demo's reports come with their units and places; a unit renamed shows
            # its new name in the rows held, read again.
            self._service.forget_names()
            self._tasks.read(self._service.names, on_result=self._fill_choices, key="queue-names")
            self._read_units()
            if not changes.every_report:
                self.model.reload()
        self.model.apply(changes)
        if changes.touches_reports():
            self.views.request_counts()
        read_already = initiator is self.detail  # its own step or evidence: read at once
        if (changes.concerns(self._shown) and not read_already) or changes.has(Topic.UNITS):
            self.detail.reload()

    def _placed(self) -> None:
        """Rows moved: the report the detail shows keeps the current row where it went, or,
        gone from the view (a forward out of "to screen"), the detail clears, as after a
        new read of the list."""
        moved, self._quiet = self._quiet, False
        shown = self._shown
        if not moved or shown is None:
            return
        row = self.model.loaded_row_of(shown)
        if row is None:
            self._shown = None
            self.table.selectionModel().clearCurrentIndex()
            self.detail.clear()
        elif self.table.currentIndex().row() != row:
            self.table.setCurrentIndex(self.model.index(row, 0))

    def _before_insert(self) -> None:
        self._top_row = self.table.rowAt(0)

    def _inserted(self, row: int) -> None:
        bar = self.table.verticalScrollBar()
        # Rows read lower down keep their place on screen; at the very top the new report
        # shows (it is what the operator looks for).
        if bar.value() > 0 and 0 <= row <= self._top_row:
            bar.setValue(bar.value() + self.table.rowHeight(row))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def open_detail(self) -> None:
        """Enter on a row: show the detail pane (re-opening it if collapsed) and focus it."""
        index = self.table.currentIndex()
        if not index.isValid():
            return
        sizes = self.splitter.sizes()
        if sizes[1] == 0:
            self.splitter.setSizes([sizes[0] * 2 // 3, sizes[0] // 3])
        self._show_row(index.row())
        self.detail.body.setFocus(Qt.FocusReason.OtherFocusReason)

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("queue/splitter", self.splitter.saveState())
        settings.setValue("queue/header", self.table.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> None:
        splitter = settings.value("queue/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        header = settings.value("queue/header")
        if isinstance(header, QByteArray):
            # The saved sort indicator must not start a query of its own: the model sorts by
            # what the header says when start() reads.
            self.table.setSortingEnabled(False)
            header_view = self.table.horizontalHeader()
            header_view.restoreState(header)
            self.model.sort(header_view.sortIndicatorSection(), header_view.sortIndicatorOrder())
            self.table.setSortingEnabled(True)

    def _fill_choices(self, names: Names) -> None:
        self._communes = dict(names.communes)
        self.more.fill(self._units, self._communes)
        for combo, pairs in (
            (self.channel, names.channels),
            (self.category, names.categories),
            (self.kind, names.kinds),
        ):
            refill_choices(combo, pairs)

    def current_query(self) -> QueueQuery:
        """The chosen saved view, narrowed by the filter bar and a drill-down in force."""
        return current_query(self)

    def show_query(self, query: QueueQuery, label: str = "") -> None:
        """Show exactly ``query`` (a dashboard bar); what the combos cannot show is named on
        the drill-down chip."""
        show_query(self, query, label)

    def clear_filters(self) -> None:
        """Every filter but the search box's text off."""
        clear_filters(self)

    def clear_drill(self) -> None:
        self.drill.hide()
        self.model.set_query(self.current_query())

    def _apply_filters(self, *_args: Any) -> None:
        self._debounce.stop()
        self.model.set_query(self.current_query())

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        # Never the selection's rows or indexes: Ctrl+A over a million rows would make an
        # object per row (82 s). The bulk bar counts spans.
        if self._quiet:
            pass
        elif selected.count() == 1 and selected.at(0).top() == selected.at(0).bottom():
            self._show_row(selected.at(0).top())  # one row clicked
        if self.bulk is not None:
            self.bulk.selection_changed()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._quiet:
            self._show_row(current.row())

    def _follow_link(self, ticket_id: uuid.UUID) -> None:
        """The detail followed a link (a merged report's survivor): the table's selection goes
        to that report's row when it is among the rows read, or is cleared, so the row shown
        selected is always the report shown. While the queue is being read again (right after
        the merge that made the link), the first page gets one more look when it arrives."""
        self._shown = ticket_id
        row = self.model.loaded_row_of(ticket_id)  # the pages read, not a million rows
        if row is None:
            self.table.clearSelection()
            self._following = ticket_id if self.model.rowCount() == 0 else None
            return
        self._following = None
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def _first_page_shown(self) -> None:
        """The list was read again (a filter, a view, an action): the detail keeps its report
        only if the list still holds it (selected again), else it clears."""
        wanted, self._following = self._following, None
        keep, self._keep = self._keep, None
        if wanted is not None and not self.table.selectionModel().hasSelection():
            self._follow_link(wanted)
            return
        row = None if keep is None else self.model.loaded_row_of(keep)
        if row is not None:
            self.table.setCurrentIndex(self.model.index(row, 0))
        elif keep is not None and self._shown == keep:
            self._shown = None
            self.detail.clear()

    def selected(self) -> RowSelection:
        """The selected rows as spans of the query (every row, read or not)."""
        return selection_of(self.model, self.table.selectionModel())

    def role(self) -> str:
        """The role the user acts in (the status bar's choice, held by the action bar)."""
        actions = self.detail.action_bar
        return actions.role.value if actions is not None else "operator"

    def _show_row(self, row: int) -> None:
        item = self.model.data(self.model.index(row, COL_CODE), ObjectRole)
        if item is not None:
            self._shown = item.id
            self.detail.show_ticket(item.id)

    def _update_count(self) -> None:
        rows = self.model.rowCount()
        number = self.locale().toString(rows)
        if self.model.is_exact():
            self.count_label.setText(self.tr("%1 phản ánh").replace("%1", number))
        elif rows:
            self.count_label.setText(self.tr("Đang đếm…"))
        else:
            self.count_label.setText(self.tr("Đang tải…"))
        self._say_if_empty()

    def _say_if_empty(self) -> None:
        """An empty list says why; a whole case code the filters hide is named as such."""
        if not (self.model.is_exact() and self.model.rowCount() == 0):
            self.empty.hide()
            return
        text, can_clear = empty_text(self)
        self.empty.say(text, can_clear=can_clear)
        code = case_code_in(self.search.text())
        query = self.model.query
        if code is None or not filter_words(self, with_text=False):
            return
        service = self._service
        self._tasks.read(
            lambda: service.count(unfiltered(query)),
            key="queue-hidden-code",
            on_result=lambda found: self._hidden(query, code, found),
        )

    def _hidden(self, query: QueueQuery, code: str, found: int) -> None:
        if found and self.model.query == query and self.model.rowCount() == 0:
            self.empty.say(hidden_text(self, code), can_clear=True)
            self.hiddenFound.emit(code)

    def _acted(self, result: TicketState | BulkOutcome, by: QWidget) -> None:
        # The row may leave the view (a forwarded report leaves "to screen"): the hub brings
        # it back here, to place its row again, and to the counts, the charts, the sender.
        self.changes.publish(result.changes, by)

    def _evidence_changed(self) -> None:
        if self._shown is not None:
            changes = Changes.reports_updated([self._shown], Topic.EVIDENCE)
            self.changes.publish(changes, self.detail)

    def _failed(self, error: BaseException) -> None:
        from pakn_desktop.ui.errors import error_text

        self.count_label.setText(self.tr("Lỗi tải dữ liệu"))
        text = error_text(error)
        self.message.emit(self.tr("Không đọc được hàng đợi: %1").replace("%1", text))


def _active_units(services: AppServices) -> tuple[UnitChoice, ...]:
    """The units a report may be forwarded to (the unit filter's choices), on a worker."""
    from pakn_desktop.services.workflow.unit_choices import active_units

    return active_units(services.database)


def _station_now() -> datetime:
    return datetime.now(UTC)
