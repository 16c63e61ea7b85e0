"""The queue's filter bar: its widgets, the query it stands for, a dashboard drill-down shown
in it (the combos follow, the rest is a removable "Lọc: …" chip) and removing every filter."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from pakn_desktop.domain.enums import OPEN_STATUSES
from pakn_desktop.services.queue import QueueQuery, QueueService
from pakn_desktop.ui.queue.saved_views import ALL, MoreFilters, Picks, ViewSelector, view_query
from pakn_desktop.widgets.labels import status_choices

if TYPE_CHECKING:
    from pakn_desktop.ui.queue.model import QueueModel
    from pakn_desktop.ui.tasks import Tasks

OPEN = "open"


class FilterScreen(QWidget):
    """The queue screen as these functions see it: the filter widgets they build on it and
    what a query reads from it. QueueScreen (ui/queue/view.py) is the one subclass; it calls
    them, so this module does not import it."""

    views: ViewSelector
    more: MoreFilters
    status: QComboBox
    channel: QComboBox
    category: QComboBox
    kind: QComboBox
    search: QLineEdit
    count_label: QLabel
    drill: QPushButton
    drill_label: str
    _filters: QHBoxLayout
    # The screen's own.
    model: QueueModel
    _service: QueueService
    _tasks: Tasks
    _debounce: QTimer

    def _picks(self) -> Picks:
        raise NotImplementedError

    def clear_drill(self) -> None:
        raise NotImplementedError


def build_filters(screen: FilterScreen) -> None:
    screen.views = ViewSelector(screen._service, screen._tasks, screen._picks, screen)
    screen.more = MoreFilters(screen)
    screen.status = QComboBox(screen)
    screen.status.addItem(screen.tr("Tất cả trạng thái"), None)
    screen.status.addItem(screen.tr("Đang mở"), OPEN)
    for code, label in status_choices():
        screen.status.addItem(label, code)
    screen.channel = _combo(screen, screen.tr("Tất cả kênh"))
    screen.category = _combo(screen, screen.tr("Tất cả lĩnh vực"))
    screen.kind = _combo(screen, screen.tr("Tất cả loại"))
    screen.search = QLineEdit(screen)
    screen.search.setClearButtonEnabled(True)
    screen.search.setMinimumWidth(screen.fontMetrics().horizontalAdvance("0") * 16)
    screen.search.setPlaceholderText(screen.tr("Tìm mã hồ sơ, nội dung, người phản ánh… (Ctrl+F)"))
    screen.count_label = QLabel(screen)
    screen.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    screen._filters = QHBoxLayout()
    for widget in (screen.views, screen.status, screen.channel, screen.category, screen.kind):
        screen._filters.addWidget(widget)
    screen._filters.addWidget(screen.search, 1)
    # A dashboard drill-down (deadline state, received range, unit) the combos cannot
    # show: a "Lọc: …" chip, with a button that drops it.
    screen.drill = QPushButton(screen)
    screen.drill.setObjectName("drillFilter")
    screen.drill.setToolTip(screen.tr("Bỏ bộ lọc từ bảng điều khiển"))
    screen.drill.hide()
    screen.drill_label = ""
    screen.drill.clicked.connect(screen.clear_drill)
    # On the second row, which has room: on the first, the chip pushed the window past
    # 1366 px.
    row = screen.more.layout()
    assert isinstance(row, QHBoxLayout)
    row.insertWidget(row.count() - 1, screen.drill)
    screen._filters.addWidget(screen.count_label)


def _combo(screen: QWidget, everything: str) -> QComboBox:
    combo = QComboBox(screen)
    combo.addItem(everything, None)
    # Long names (categories) must not push the search box out of a narrow window.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(9)
    return combo


def current_query(screen: FilterScreen) -> QueueQuery:
    """The chosen saved view, narrowed by the filter bar; a dashboard drill-down (while
    its button shows) keeps its own deadline, range and unit."""
    status = screen.status.currentData()
    base = view_query(screen.views.key(), screen._picks())
    if status == OPEN:
        statuses: tuple[str, ...] = tuple(sorted(s.value for s in OPEN_STATUSES))
    elif status:
        statuses = (status,)
    else:
        statuses = base.statuses
    received_from, received_to = screen.more.received_range()
    query = replace(
        base,
        statuses=statuses,
        channel=screen.channel.currentData(),
        category=screen.category.currentData(),
        kind=screen.kind.currentData(),
        text=screen.search.text().strip(),
        unit=screen.more.unit.currentData(),
        commune=screen.more.commune.currentData(),
        received_from=received_from,
        received_to=received_to,
        sort=screen.model.query.sort,
        descending=screen.model.query.descending,
    )
    if screen.drill.isVisible():
        held = screen.model.query
        query = replace(
            query,
            deadline=held.deadline,
            now=held.now,
            received_from=held.received_from,
            received_to=held.received_to,
            unit=held.unit,
            forward_minutes=held.forward_minutes,
        )
    return query


def show_query(screen: FilterScreen, query: QueueQuery, label: str = "") -> None:
    """Show exactly ``query`` (a dashboard bar): the combos and the search box follow it,
    the rest (deadline state, received range, unit) is named on the drill-down button."""
    screen._debounce.stop()
    screen.views.blockSignals(True)
    screen.views.setCurrentIndex(0)  # the dashboard's question replaces the saved view
    screen.views.blockSignals(False)
    open_set = tuple(sorted(s.value for s in OPEN_STATUSES))
    status: str | None = None
    if query.statuses == open_set:
        status = OPEN
    elif len(query.statuses) == 1:
        status = query.statuses[0]
    for combo, value in (
        (screen.status, status),
        (screen.channel, query.channel),
        (screen.category, query.category),
        (screen.kind, query.kind),
    ):
        combo.blockSignals(True)
        found = combo.findData(value)
        if found < 0 and value is not None:  # choices not loaded yet: keep the code
            combo.addItem(str(value), value)
            found = combo.count() - 1
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)
    screen.search.blockSignals(True)
    screen.search.setText(query.text)
    screen.search.blockSignals(False)
    drilled = (
        query.deadline is not None
        or query.received_from is not None
        or query.received_to is not None
        or query.unit is not None
        or query.forward_minutes is not None
    )
    screen.drill_label = label or screen.tr("từ bảng điều khiển")
    screen.drill.setText(screen.tr("Lọc: %1").replace("%1", screen.drill_label) + " ✕")
    screen.drill.setVisible(drilled)
    screen.model.set_query(query)


def clear_filters(screen: FilterScreen) -> None:
    """Every filter but the search box's text off: the saved view, the combos, the second
    row and a dashboard drill-down."""
    screen.views.blockSignals(True)
    screen.views.setCurrentIndex(screen.views.findData(ALL))
    screen.views.blockSignals(False)
    screen.more.blockSignals(True)
    for combo in (screen.status, screen.channel, screen.category, screen.kind):
        combo.blockSignals(True)
        combo.setCurrentIndex(0)
        combo.blockSignals(False)
    screen.more.unit.setCurrentIndex(0)
    screen.more.commune.setCurrentIndex(0)
    for edit in (screen.more.date_from, screen.more.date_to):
        edit.setDate(edit.minimumDate())
    screen.more.blockSignals(False)
    screen.drill.hide()
    screen.views.viewChosen.emit(ALL)
