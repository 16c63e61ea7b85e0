"""The queue's table view: fixed row height, starting column widths, sorting by header."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from pakn_desktop.ui.queue.model import (
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
    QueueModel,
)

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
    COL_FORWARD: "Chuyển đúng hạn",
}


def build_table(model: QueueModel, parent: QWidget) -> QTableView:
    """Several rows may be selected (bulk forward, bulk close); the detail shows the current."""
    table = QTableView(parent)
    table.setObjectName("queueTable")
    table.setModel(model)
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
    return table
