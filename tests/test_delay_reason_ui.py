"""Giving the reason for a delay from the detail pane (offscreen): the action bar's button and
key, a dialog that will not send an empty text, and the reason on the timeline in Vietnamese.
The dialog and the detail are rendered to ``PAKN_RENDER_DIR`` (or the test's folder)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pakn_desktop.domain.workflow import Action
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.ui.workflow.dialogs import ActionDialog
from tests.qt_helpers import open_window
from tests.workflow_data import add_unit, events, save_report, select_ticket, to_handling


def test_the_unit_types_its_reason_and_the_timeline_shows_it(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> None:
    store = EvidenceStore(env.evidence_dir)
    ticket = save_report(database, store)
    to_handling(database, ticket, add_unit(database, "LC", name="UBND phường Bến Thành"))
    win = open_window(qtbot, database, env, tmp_path)
    actions = select_ticket(qtbot, win, ticket, role="unit_officer")
    assert actions.buttons[Action.EXPLAIN_DELAY].isVisible()
    assert actions.buttons[Action.EXPLAIN_DELAY].text() == "Giải trình lý do chậm"
    qtbot.keyClick(
        win.queue.table,
        Qt.Key.Key_J,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: isinstance(actions.dialog, ActionDialog))
    dialog = actions.dialog
    assert isinstance(dialog, ActionDialog)
    qtbot.waitUntil(dialog.text.hasFocus)
    assert not dialog.ok_button().isEnabled()  # the reason is required
    qtbot.keyClicks(dialog.text, "   ")
    assert not dialog.ok_button().isEnabled()  # blanks are no reason
    dialog.text.clear()
    dialog.text.insertPlainText("Chờ Sở Xây dựng thẩm định hiện trạng cống")  # as an IME would
    assert dialog.ok_button().isEnabled()
    folder = Path(os.environ.get("PAKN_RENDER_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(folder / "delay-reason-dialog.png"))
    with qtbot.waitSignal(actions.acted, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    last = events(database, ticket)[-1]
    assert last["kind"] == "explain_delay"
    assert last["data"]["reason"] == "Chờ Sở Xây dựng thẩm định hiện trạng cống"
    body = win.queue.detail.body
    qtbot.waitUntil(
        lambda: (
            "Giải trình lý do chậm (Chờ Sở Xây dựng thẩm định hiện trạng cống)"
            in body.toPlainText()
        ),
        timeout=10_000,
    )
    assert win.grab().save(str(folder / "delay-reason-detail.png"))
