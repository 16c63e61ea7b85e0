"""Waiting for the citizen from the detail pane, by keyboard (offscreen): pause with a reason,
the queue's neutral "Tạm dừng" badge and the detail's banner, then resume. The paused detail
is rendered to ``PAKN_RENDER_DIR`` (or the test's folder) to look at."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pakn_desktop.data.models import Ticket
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.ui.queue.cells import COL_CODE, COL_STATUS
from pakn_desktop.ui.queue.model import ObjectRole
from pakn_desktop.ui.workflow.dialogs import ActionDialog
from tests.qt_helpers import open_window
from tests.workflow_data import add_unit, save_report, select_ticket, to_handling


def _paused_at(database: Database, ticket: uuid.UUID) -> object:
    with database.engine.connect() as conn:
        return conn.scalar(select(Ticket.paused_at).where(Ticket.id == ticket))


def _row(win: object, ticket: uuid.UUID) -> int:
    model = win.queue.model  # type: ignore[attr-defined]
    for r in range(model.rowCount()):
        item = model.data(model.index(r, COL_CODE), ObjectRole)
        if item is not None and item.id == ticket:
            return r
    return -1


def test_pause_and_resume_from_the_detail_by_keyboard(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> None:
    store = EvidenceStore(env.evidence_dir)
    unit = add_unit(database, "BT", name="UBND phường Bến Thành")
    ticket = save_report(database, store)
    to_handling(database, ticket, unit)

    win = open_window(qtbot, database, env, tmp_path)
    actions = select_ticket(qtbot, win, ticket, role="unit_officer")
    from pakn_desktop.domain.workflow import Action

    assert actions.buttons[Action.PAUSE].isVisible()
    assert not actions.buttons[Action.RESUME].isVisible()
    qtbot.keyClick(
        win.queue.table,
        Qt.Key.Key_B,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: isinstance(actions.dialog, ActionDialog))
    dialog = actions.dialog
    assert isinstance(dialog, ActionDialog)
    qtbot.waitUntil(dialog.reason.hasFocus)
    assert not dialog.ok_button().isEnabled()  # the reason is required
    qtbot.keyClicks(dialog.reason, "Cho anh vi tri cong")  # ASCII: QTest types no accents
    with qtbot.waitSignal(actions.acted, timeout=10_000):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert _paused_at(database, ticket) is not None

    detail = win.queue.detail
    qtbot.waitUntil(lambda: "đang chờ công dân bổ sung từ" in detail.subtitle.text())
    qtbot.waitUntil(lambda: "Đang chờ công dân bổ sung từ" in detail.body.toPlainText())
    qtbot.waitUntil(lambda: actions.buttons[Action.RESUME].isVisible())
    assert not actions.buttons[Action.PAUSE].isVisible()
    assert not actions.buttons[Action.RECORD_RESULT].isVisible()  # resume first
    model = win.queue.model

    def badge_shows() -> bool:
        row = _row(win, ticket)
        if row < 0:
            return False
        index = model.index(row, COL_STATUS)
        brush = model.data(index, Qt.ItemDataRole.BackgroundRole)
        text = model.data(index, Qt.ItemDataRole.DisplayRole)
        return isinstance(brush, QBrush) and "Tạm dừng" in str(text)

    qtbot.waitUntil(badge_shows, timeout=10_000)
    index = model.index(_row(win, ticket), COL_STATUS)
    assert model.data(index, Qt.ItemDataRole.BackgroundRole).color().name() == "#e4e7ec"
    assert "chờ công dân" in model.data(index, Qt.ItemDataRole.ToolTipRole)

    folder = Path(os.environ.get("PAKN_RENDER_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    assert win.grab().save(str(folder / "detail-paused.png"))

    # A refused key says why: pausing again is not offered.
    win.activateWindow()  # the closed dialog left no active window offscreen
    qtbot.waitUntil(win.isActiveWindow)
    win.queue.table.setFocus()
    qtbot.keyClick(
        win.queue.table,
        Qt.Key.Key_B,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert actions.dialog is None
    assert actions.notice.text() == "Phản ánh đã đang chờ công dân bổ sung."

    with qtbot.waitSignal(actions.acted, timeout=10_000):
        qtbot.keyClick(
            win.queue.table,
            Qt.Key.Key_T,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert _paused_at(database, ticket) is None
    qtbot.waitUntil(lambda: actions.buttons[Action.PAUSE].isVisible())
    qtbot.waitUntil(lambda: "Tiếp tục xử lý" in detail.body.toPlainText())

    def badge_gone() -> bool:
        row = _row(win, ticket)
        return row >= 0 and "Tạm dừng" not in str(
            model.data(model.index(row, COL_STATUS), Qt.ItemDataRole.DisplayRole)
        )

    qtbot.waitUntil(badge_gone, timeout=10_000)
    # A plain key last: the next test's selectRow reads the keyboard modifiers, and the
    # Ctrl+Shift of the shortcuts above would make it toggle (tests.workflow_data).
    qtbot.keyClick(win.queue.table, Qt.Key.Key_Down)
