"""The dashboard screen (Bảng điều khiển): five live charts over a chosen time range.

Aggregates are computed on a worker (``services.dashboard``); the GUI thread only swaps the
numbers into plot items built once. Changes to reports ask for a refresh through a
coalescing throttle: at most one query per ``THROTTLE_MS``, and the last request always runs.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.domain.office_time import OFFICE_OFFSET
from pakn_desktop.services.changes import Changes, Topic
from pakn_desktop.services.dashboard import (
    OPEN,
    DashboardService,
    Snapshot,
    TimeRange,
    preset_range,
)
from pakn_desktop.services.queue import QueueQuery
from pakn_desktop.ui.changes_hub import ChangesHub
from pakn_desktop.ui.tasks import Tasks

from .panels import (
    CategoryBars,
    ForwardDaysPanel,
    ForwardPanel,
    IntakePanel,
    Pick,
    fill_backlog,
    fill_states,
    fill_units,
)

THROTTLE_MS = 1000
LOCAL = OFFICE_OFFSET


class DashboardScreen(QWidget):
    openQueue = Signal(object, str)  # (QueueQuery, label): the bar clicked, as a queue filter
    refreshed = Signal(object)  # Snapshot, once it is on screen
    settingsRequested = Signal()  # the settings button: the window opens the dialog

    def __init__(
        self,
        service: DashboardService,
        tasks: Tasks,
        parent: QWidget | None = None,
        *,
        changes: ChangesHub | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardScreen")
        self._service = service
        self._tasks = tasks
        self.snapshot: Snapshot | None = None
        self.last_apply_ms = 0.0  # GUI-thread time of the last swap (for the benchmark)
        self._pending = False
        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.setInterval(THROTTLE_MS)
        self._throttle.timeout.connect(self._cooled)
        if changes is not None:
            changes.changed.connect(self._changed)
        self._build()

    # --- building -------------------------------------------------------------------------

    def _build(self) -> None:
        tr = self.tr
        self.range = QComboBox(self)
        for key, text in (
            ("today", tr("Hôm nay")),
            ("7d", tr("7 ngày")),
            ("30d", tr("30 ngày")),
            ("custom", tr("Tùy chọn…")),
        ):
            self.range.addItem(text, key)
        self.range.setCurrentIndex(1)
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-13), self)
        self.date_to = QDateEdit(today, self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.hide()
            edit.dateChanged.connect(lambda _d: self.request_refresh())
        self.range.currentIndexChanged.connect(self._range_changed)
        self.updated = QLabel(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Khoảng thời gian:"), self))
        bar.addWidget(self.range)
        bar.addWidget(self.date_from)
        bar.addWidget(self.date_to)
        bar.addStretch(1)
        bar.addWidget(self.updated)
        self.settings_button = QPushButton(tr("Cài đặt thời hạn…"), self)
        self.settings_button.setToolTip(tr("Tỷ lệ cảnh báo, giờ làm việc, ngày làm bù (Ctrl+,)"))
        self.settings_button.clicked.connect(lambda: self.settingsRequested.emit())
        bar.addWidget(self.settings_button)

        self.intake = IntakePanel(self)
        self.states = CategoryBars(tr("Phản ánh đang mở theo thời hạn"), tr("Số phản ánh"), self)
        self.units = CategoryBars(
            tr("Tỷ lệ đúng hạn theo đơn vị (%)"), tr("% đúng hạn"), self, horizontal=True
        )
        self.backlog = CategoryBars(tr("Tuổi hồ sơ tồn đọng"), tr("Số phản ánh"), self)
        self.backlog.plot.setLabel("bottom", tr("Thời gian kể từ lúc tiếp nhận"))
        self.forward = ForwardPanel(self)
        self.forward_days = ForwardDaysPanel(self)
        for panel in (self.intake, self.states, self.units, self.backlog, self.forward):
            panel.picked.connect(self._picked)
        grid = QGridLayout()
        grid.setSpacing(8)
        grid.addWidget(self.intake, 0, 0)
        grid.addWidget(self.forward_days, 0, 1)
        grid.addWidget(self.states, 1, 0)
        grid.addWidget(self.units, 1, 1)
        grid.addWidget(self.backlog, 2, 0)
        grid.addWidget(self.forward, 2, 1)
        for row in range(3):
            grid.setRowStretch(row, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(bar)
        layout.addLayout(grid, 1)

    def panels(self) -> dict[str, Any]:
        return {
            "intake": self.intake,
            "states": self.states,
            "units": self.units,
            "backlog": self.backlog,
            "forward": self.forward,
            "forward_days": self.forward_days,
        }

    # --- behaviour ------------------------------------------------------------------------

    def start(self) -> None:
        self.refresh()

    def time_range(self) -> TimeRange:
        key = self.range.currentData()
        if key != "custom":
            return preset_range(key, self._service.now())
        first, last = sorted((self.date_from.date(), self.date_to.date()))

        def midnight(day: QDate) -> datetime:
            local = datetime(day.year(), day.month(), day.day(), tzinfo=UTC)
            return local - LOCAL

        return TimeRange(midnight(first), midnight(last) + timedelta(days=1))

    def _range_changed(self, _index: int) -> None:
        custom = self.range.currentData() == "custom"
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        self.refresh()  # the user asked: at once, not throttled

    def _changed(self, changes: Changes, _initiator: object) -> None:
        # Counts over reports, deadline states (settings), unit names on the bars.
        if changes.touches_reports() or changes.has(Topic.DEADLINE_SETTINGS, Topic.UNITS):
            self.request_refresh()

    def request_refresh(self) -> None:
        """Reports changed: refresh now if the last refresh is over a second old, else once
        when that second is up (however many requests came in between)."""
        if self._throttle.isActive():
            self._pending = True
            return
        self.refresh()

    def _cooled(self) -> None:
        if self._pending:
            self._pending = False
            self.refresh()

    def refresh(self) -> None:
        self._throttle.start()
        service, range_ = self._service, self.time_range()
        self._tasks.read(
            lambda: service.snapshot(range_),
            on_result=self.apply,
            on_error=self._failed,
            key="dashboard",
        )

    def apply(self, snap: Snapshot) -> None:
        """Swap a snapshot into the charts (the GUI thread's whole share of a refresh)."""
        tick = time.perf_counter()
        old, self.snapshot = self.snapshot, snap

        def changed(*fields: str) -> bool:
            # One saved report changes one or two charts: the others keep their pictures
            # (re-making a bar item's picture is most of a swap's cost).
            return old is None or any(getattr(old, f) != getattr(snap, f) for f in fields)

        if changed("intake"):
            self.intake.show(snap)
        fill_states(self.states, snap)  # the filters behind the bars carry ``now``
        if changed("units", "range"):
            fill_units(self.units, snap)
        fill_backlog(self.backlog, snap, OPEN)
        if changed("forward"):
            self.forward.fill(snap)
        if changed("forward_days"):
            self.forward_days.fill(snap)
        local = (snap.now.astimezone(UTC) + LOCAL).strftime("%H:%M:%S")
        self.updated.setText(self.tr("Cập nhật lúc %1").replace("%1", local))
        self.last_apply_ms = (time.perf_counter() - tick) * 1000
        self.refreshed.emit(snap)

    def _picked(self, pick: Pick) -> None:
        filters = dict(pick.filters)
        if "deadline" in filters:
            filters.setdefault("statuses", OPEN)
        query = replace(QueueQuery(), **filters)
        self.openQueue.emit(query, pick.label)

    def _failed(self, error: BaseException) -> None:
        from pakn_desktop.ui.errors import error_text

        self.updated.setText(self.tr("Lỗi tải số liệu: %1").replace("%1", error_text(error)))
