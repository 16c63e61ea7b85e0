"""The queue's cell delegate paints what Qt's own delegate paints, pixel for pixel: texts
elided, overdue deadlines bold and red, status badges, the selected row, the current cell;
and it keeps painting right after the font changes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QFont, QImage
from PySide6.QtWidgets import QStyledItemDelegate, QTableView, QWidget
from pytestqt.qtbot import QtBot

from pakn_desktop.services.queue import QueueRow
from pakn_desktop.ui.application import FONTS
from pakn_desktop.ui.queue.cell_delegate import CellDelegate
from pakn_desktop.ui.queue.cells import COL_DUE, COL_STATUS, present
from pakn_desktop.ui.queue.model import QueueModel
from pakn_desktop.ui.queue.table import build_table

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _row(n: int, **changes: object) -> QueueRow:
    received = NOW - timedelta(hours=n)
    fields: dict[str, object] = {
        "id": uuid.uuid4(),
        "code": f"PA-260302-T{n:03d}",
        "received_at": received,
        "channel": "Đường dây nóng",
        "category": "Cây xanh",
        "kind": "Phản ánh",
        "commune": "Phường Bến Nghé",
        "summary": f"Cây xanh có nguy cơ gãy đổ trên đường số {n}, người dân lo ngại khi mưa bão",
        "status": "forwarded",
        "unit": "UBND phường Bến Nghé",
        "due_at": received + timedelta(days=2),
        "at_risk_at": received + timedelta(days=1, hours=14),
    }
    fields.update(changes)
    return QueueRow(**fields)  # type: ignore[arg-type]


def _model() -> QueueModel:
    rows = [
        _row(1),
        _row(2, due_at=NOW - timedelta(hours=1), at_risk_at=NOW - timedelta(hours=5)),  # overdue
        _row(3, due_at=NOW + timedelta(hours=2), at_risk_at=NOW - timedelta(minutes=1)),  # risk
        _row(4, paused_at=NOW - timedelta(hours=1), due_at=NOW + timedelta(hours=3)),  # paused
        _row(5, status="closed", summary="Ngắn"),
        _row(6, status="new", unit="", due_at=None, at_risk_at=None, commune=""),
        _row(7, summary="Đường " * 40),  # long: elided
    ]
    model = QueueModel(_NoService(), _NoTasks(), clock=lambda: NOW)  # type: ignore[arg-type]
    model._pages[0] = present(rows)
    model._rows = len(rows)
    return model


def _host(qtbot: QtBot, points: float) -> QWidget:
    host = QWidget()
    qtbot.addWidget(host)
    font = QFont(host.font())
    font.setFamilies(list(FONTS))
    font.setPointSizeF(points)
    host.setFont(font)
    return host


def _render(view: QTableView) -> QImage:
    viewport = view.viewport()
    image = QImage(viewport.size(), QImage.Format.Format_ARGB32)
    viewport.render(image)
    return image


def _both(view: QTableView) -> tuple[QImage, QImage]:
    """The view painted by our delegate and by Qt's. Ours paints twice: a text seen for the
    first time is drawn as a string, from the second as a shaped ``QStaticText``."""
    ours = view.itemDelegate()
    assert isinstance(ours, CellDelegate)
    mine = _render(view)
    assert _render(view) == mine
    view.setItemDelegate(QStyledItemDelegate(view))
    qt = _render(view)
    view.setItemDelegate(ours)
    return mine, qt


# The program's fonts (ui.application) from its smallest size up: line heights odd and even.
@pytest.mark.parametrize("points", [9.5, 10.5, 11, 12])
def test_cells_paint_as_qt_paints_them(qtbot: QtBot, points: float) -> None:
    host = _host(qtbot, points)
    model = _model()
    view = build_table(model, host)
    view.resize(1300, 260)
    host.show()
    qtbot.waitExposed(host)
    # The states a cell can be in: the colours, the bold font and the badges are there.
    assert model.data(model.index(1, COL_DUE), Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(1, COL_STATUS), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(2, COL_STATUS), Qt.ItemDataRole.BackgroundRole) is not None
    mine, qt = _both(view)
    assert mine == qt
    # A selected row and the current cell (the focus frame), with the view focused.
    host.activateWindow()
    qtbot.waitActive(host)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)  # the current cell then has its focus frame
    view.selectionModel().setCurrentIndex(
        model.index(1, COL_STATUS),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    mine, qt = _both(view)
    assert mine == qt
    # A narrower summary column: the elided texts are shaped again for the new width.
    view.horizontalHeader().resizeSection(COL_DUE, 60)
    view.setColumnWidth(6, 150)
    mine, qt = _both(view)
    assert mine == qt


def test_a_new_font_is_painted_with_new_shapes(qtbot: QtBot) -> None:
    host = _host(qtbot, 9.5)
    model = _model()
    view = build_table(model, host)
    view.resize(1300, 260)
    host.show()
    qtbot.waitExposed(host)
    view.selectionModel().setCurrentIndex(
        model.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate
    )
    before, _ = _both(view)
    font = QFont(view.font())
    font.setPointSizeF(font.pointSizeF() * 1.2)  # still fits the fixed row height
    view.setFont(font)
    mine, qt = _both(view)
    assert mine != before  # larger text
    assert mine == qt


def test_a_page_being_painted_is_the_last_the_cache_lets_go() -> None:
    """The delegate reads a cell in one call (``look``); that call keeps its page in use,
    as Qt's role calls did, so a page arriving evicts one nobody is looking at."""
    model = _model()
    model._cache_pages = 2
    first = model._pages[0]
    model._pages[1] = first  # a second page read after the first
    model._rows = 3 * len(first)
    model.look(model.index(0, 0))  # page 0 painted
    model._page(model._generation, model._epoch, 2, first)  # a third page arrives
    assert list(model._pages) == [0, 2]


class _NoService:
    pass


class _NoTasks:
    pass
