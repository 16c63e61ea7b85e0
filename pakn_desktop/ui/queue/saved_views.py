"""Saved views of the queue (to screen, waiting for the unit, at risk, overdue, mine, per unit,
per channel, complaints) with live counts, and the second filter row (unit, commune, dates)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from PySide6.QtCore import QDate, QObject, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from pakn_desktop.domain.office_time import OFFICE_ZONE
from pakn_desktop.services.queue import QueueService

# The views themselves are plain values (services.queue_views): the command line's
# ``export queue --view`` reads them without Qt. Imported by name for the screens and tests.
from pakn_desktop.services.queue_views import (
    ALL as ALL,
)
from pakn_desktop.services.queue_views import (
    AT_RISK as AT_RISK,
)
from pakn_desktop.services.queue_views import (
    BY_CHANNEL as BY_CHANNEL,
)
from pakn_desktop.services.queue_views import (
    BY_UNIT as BY_UNIT,
)
from pakn_desktop.services.queue_views import (
    COMPLAINTS as COMPLAINTS,
)
from pakn_desktop.services.queue_views import (
    FORWARD_AT_RISK as FORWARD_AT_RISK,
)
from pakn_desktop.services.queue_views import (
    FORWARD_OVERDUE as FORWARD_OVERDUE,
)
from pakn_desktop.services.queue_views import (
    MINE as MINE,
)
from pakn_desktop.services.queue_views import (
    OPEN as OPEN,
)
from pakn_desktop.services.queue_views import (
    OVERDUE as OVERDUE,
)
from pakn_desktop.services.queue_views import (
    PAUSED as PAUSED,
)
from pakn_desktop.services.queue_views import (
    TO_SCREEN as TO_SCREEN,
)
from pakn_desktop.services.queue_views import (
    VIEWS as VIEWS,
)
from pakn_desktop.services.queue_views import (
    WAITING as WAITING,
)
from pakn_desktop.services.queue_views import (
    Picks as Picks,
)
from pakn_desktop.services.queue_views import (
    view_query as view_query,
)
from pakn_desktop.ui.queue.choice_combo import refill_choices
from pakn_desktop.ui.queue.view_label import view_label as view_label
from pakn_desktop.ui.tasks import Tasks

COUNT_EVERY_MS = 60_000  # other workstations' changes show within a minute
COUNT_AFTER_WRITE_MS = 500  # a burst of writes (a bulk close) is counted once

# Views counted in the navigation and the selector. "By unit" and "by channel" are counted
# only once a unit or channel is picked: without one they are every report (a second full
# count for nothing).
COUNTED: tuple[str, ...] = (
    ALL,
    TO_SCREEN,
    FORWARD_AT_RISK,
    FORWARD_OVERDUE,
    WAITING,
    AT_RISK,
    OVERDUE,
    PAUSED,
    MINE,
    COMPLAINTS,
)


def counted_views(picks: Picks) -> tuple[str, ...]:
    picked = ((BY_UNIT, picks.unit), (BY_CHANNEL, picks.channel))
    return COUNTED + tuple(key for key, value in picked if value is not None)


def count_views(service: QueueService, picks: Picks) -> dict[str, int]:
    """The counted views' counts, on one worker task (runs on the read lane).

    Each is an index search (EXPLAIN at 1M reports, docs/decisions.md): the status and kind
    views count a covering index range; at risk, overdue and mine walk the open reports of
    ix_ticket_status (~35k rows at 1M, ~75 ms each); all reports a full covering index scan."""
    return {key: service.count(view_query(key, picks)) for key in counted_views(picks)}


@dataclass(frozen=True)
class ViewCountsResult:
    """One counting pass: view key → number of reports (views not counted are absent)."""

    counts: Mapping[str, int]


class ViewCounts(QObject):
    """Counts of the saved views, read on a worker; ``request`` coalesces bursts of writes
    into one pass, and a timer picks up other workstations' changes. ``counted`` carries a
    :class:`ViewCountsResult`; the selector and the main window's navigation show it."""

    counted = Signal(object)

    def __init__(
        self, service: QueueService, tasks: Tasks, picks: Callable[[], Picks], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._tasks = tasks
        self._picks = picks
        self.counts: dict[str, int] = {}
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(COUNT_AFTER_WRITE_MS)
        self._soon.timeout.connect(self.count_now)
        self._every = QTimer(self)
        self._every.setInterval(COUNT_EVERY_MS)
        self._every.timeout.connect(self.count_now)

    def start(self) -> None:
        self._every.start()
        self.count_now()

    def stop(self) -> None:
        self._every.stop()
        self._soon.stop()

    def request(self) -> None:
        """Count again soon: a burst of requests (a bulk close, a save) is counted once."""
        if not self._soon.isActive():
            self._soon.start()

    def count_now(self) -> None:
        self._soon.stop()
        service, picks = self._service, self._picks()
        self._tasks.read(
            lambda: count_views(service, picks), key="queue-view-counts", on_result=self._done
        )

    def _done(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.counted.emit(ViewCountsResult(counts))


class ViewSelector(QComboBox):
    """The saved views, with the counts of :class:`ViewCounts`."""

    viewChosen = Signal(str)

    def __init__(
        self, service: QueueService, tasks: Tasks, picks: Callable[[], Picks], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName("viewSelector")
        self.setToolTip(self.tr("Chế độ xem đã lưu (F6)"))
        # Grows when the counts arrive: the default (sized at first show) clipped "(3.000)".
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.counter = ViewCounts(service, tasks, picks, self)
        self.counter.counted.connect(self._counted)
        for key, label in VIEWS.items():
            self.addItem(self.tr(label), key)
        self.currentIndexChanged.connect(lambda _i: self.viewChosen.emit(self.key()))

    @property
    def counts(self) -> dict[str, int]:
        return self.counter.counts

    def key(self) -> str:
        return str(self.currentData())

    def start(self) -> None:
        self.counter.start()

    def stop(self) -> None:
        self.counter.stop()

    def request_counts(self) -> None:
        self.counter.request()

    def count_now(self) -> None:
        self.counter.count_now()

    def _counted(self, result: ViewCountsResult) -> None:
        for row in range(self.count()):
            key = self.itemData(row)
            self.setItemText(row, view_label(self.tr(VIEWS[key]), result.counts.get(key), self))


class MoreFilters(QWidget):
    """Unit, commune and received-date range: the second row of the filter bar."""

    changed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.unit = QComboBox(self)
        self.unit.setObjectName("unitFilter")
        self.unit.addItem(self.tr("Tất cả đơn vị"), None)
        self.commune = QComboBox(self)
        self.commune.setObjectName("communeFilter")
        self.commune.addItem(self.tr("Tất cả xã, phường"), None)
        for combo in (self.unit, self.commune):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.date_from = self._date()
        self.date_to = self._date()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.unit)
        layout.addWidget(self.commune)
        layout.addWidget(QLabel(self.tr("Tiếp nhận từ"), self))
        layout.addWidget(self.date_from)
        layout.addWidget(QLabel(self.tr("đến"), self))
        layout.addWidget(self.date_to)
        layout.addStretch(1)

    def _date(self) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setMinimumDate(QDate(2000, 1, 1))
        edit.setSpecialValueText("—")  # the minimum date means "no bound"
        edit.setDate(edit.minimumDate())
        edit.dateChanged.connect(lambda _d: self.changed.emit())
        return edit

    def fill(self, units: dict[uuid.UUID, str], communes: dict[str, str]) -> None:
        refill_choices(self.unit, units)
        refill_choices(self.commune, communes)

    def received_range(self) -> tuple[datetime | None, datetime | None]:
        """Office days to UTC instants: [from 00:00, the day after ``to`` 00:00)."""

        def instant(edit: QDateEdit, days: int) -> datetime | None:
            if edit.date() == edit.minimumDate():
                return None
            day = edit.date().addDays(days).toPython()
            assert isinstance(day, date)  # PySide6's stubs say only "object"
            return datetime.combine(day, time(), tzinfo=OFFICE_ZONE).astimezone(UTC)

        return instant(self.date_from, 0), instant(self.date_to, 1)
