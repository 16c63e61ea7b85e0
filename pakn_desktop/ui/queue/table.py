"""The queue's table view: fixed row height, starting column widths, sorting by header."""

from __future__ import annotations

from math import ceil

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from pakn_desktop.ui.queue.cell_delegate import CellDelegate
from pakn_desktop.ui.queue.cells import (
    COL_CATEGORY,
    COL_CHANNEL,
    COL_CODE,
    COL_COMMUNE,
    COL_DUE,
    COL_FORWARD,
    COL_KIND,
    COL_RECEIVED,
    COL_STATUS,
    COL_SUMMARY,
    COL_UNIT,
)
from pakn_desktop.ui.queue.model import QueueModel

ROW_HEIGHT_EXTRA = 8  # pixels above the font's line height: fixed, so 1M rows cost nothing
# A typical value per column sets its starting width (the header's own text may ask for
# more); the summary column takes what is left. Users resize; the header state is saved.
_SAMPLES = {
    COL_CODE: "PA-261125-DS5BCE-0000",  # a six-letter station code (demo stations)
    COL_RECEIVED: "00/00 00:00",
    COL_CHANNEL: "Đường dây nóng",
    COL_CATEGORY: "Cây xanh",
    COL_KIND: "Kiến nghị",
    COL_COMMUNE: "Phường Bến Nghé",
    COL_STATUS: "Đã chuyển xử lý",
    COL_UNIT: "UBND xã Vạn Thắng",  # longer names elide: the summary needs the room
    COL_DUE: "00/00 00:00",
    COL_FORWARD: "00/00 00:00",  # or "Đúng hạn", "Quá hạn", "Đã chuyển": no wider
}
# The summary is what a reader scans: at 1366 px the other columns' sample widths left it
# nine characters ("Cây xan…"). It keeps this many; the columns below give way first.
SUMMARY_CHARS = 30
_GIVE_WAY = (COL_CHANNEL, COL_COMMUNE, COL_UNIT, COL_STATUS, COL_CATEGORY, COL_KIND)
_FLOOR_CHARS = 8


def build_table(model: QueueModel, parent: QWidget) -> QTableView:
    """Several rows may be selected (bulk forward, bulk close); the detail shows the current."""
    table = QTableView(parent)
    table.setObjectName("queueTable")
    table.setModel(model)
    table.setItemDelegate(CellDelegate(model, table))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    rows = table.verticalHeader()
    # Fixed: the view never asks a million rows for their size hints.
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + ROW_HEIGHT_EXTRA)
    rows.hide()
    header = table.horizontalHeader()
    # The header gets a selection model of its own, never the table's: painting a section,
    # Qt asks isColumnSelected, which walks every row of a selected column through the
    # Python model (10 columns × 1M rows after Ctrl+A). Its highlighting is off anyway.
    header.setSelectionModel(QItemSelectionModel(model, header))
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
    char = table.fontMetrics().horizontalAdvance("0")
    bold = QFont(table.font())
    bold.setBold(True)
    for column, sample in _SAMPLES.items():
        title = model.headerData(column, Qt.Orientation.Horizontal)
        wanted = header.fontMetrics().horizontalAdvance(str(title)) + 3 * char  # + arrow
        # The model bolds overdue deadlines, which must not elide.
        metrics = QFontMetrics(bold) if column in (COL_DUE, COL_FORWARD) else table.fontMetrics()
        cell = metrics.horizontalAdvance(sample) + char * 3 // 2
        header.resizeSection(column, max(cell, wanted))
    header.setSectionResizeMode(COL_SUMMARY, QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(char * 6)
    # Indicator first, then enable: enabling sorts by the indicator, which is the model's
    # own default (newest first), so it does not start a second query.
    header.setSortIndicator(COL_RECEIVED, Qt.SortOrder.DescendingOrder)
    table.setSortingEnabled(True)
    table.viewport().installEventFilter(_SummaryRoom(table))
    return table


def fit_summary(table: QTableView) -> None:
    """Narrow the columns of ``_GIVE_WAY`` (they elide, with the full text as a tooltip) until
    the summary has ``SUMMARY_CHARS`` characters, none below ``_FLOOR_CHARS``. Run when the
    table is resized, never when a section is: a column the user widens stays wide."""
    header = table.horizontalHeader()
    char = table.fontMetrics().horizontalAdvance("0")
    wanted = SUMMARY_CHARS * char
    others = sum(
        header.sectionSize(c)
        for c in range(header.count())
        if c != COL_SUMMARY and not header.isSectionHidden(c)
    )
    missing = wanted - (table.viewport().width() - others)
    if missing <= 0:
        return
    floor = _FLOOR_CHARS * char
    spare = {
        c: header.sectionSize(c) - floor
        for c in _GIVE_WAY
        if not header.isSectionHidden(c) and header.sectionSize(c) > floor
    }
    total = sum(spare.values())
    share = min(1.0, missing / total) if total else 0.0
    for column, room in spare.items():  # each gives way in proportion to what it can spare
        # rounded up: rounding to nearest could leave the summary a pixel short
        header.resizeSection(column, header.sectionSize(column) - min(room, ceil(room * share)))


class _SummaryRoom(QObject):
    """Watches the viewport: its size is final when its own resize event comes."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self._table = table

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            fit_summary(self._table)
        return False
