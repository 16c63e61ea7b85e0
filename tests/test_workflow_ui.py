"""The workflow from the queue's detail pane, driven by keyboard and mouse (offscreen)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pakn_desktop.data.models import Assignment, Notification, Ticket
from pakn_desktop.services.changes import Changes, Topic
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.ui.main.window import MainWindow
from pakn_desktop.ui.queue.cells import COL_CODE
from pakn_desktop.ui.queue.model import ObjectRole
from pakn_desktop.ui.workflow.actions import ActionBar
from pakn_desktop.ui.workflow.forward_dialog import ForwardDialog
from tests.qt_helpers import open_window
from tests.workflow_data import add_unit, save_report

UNSENT = "Chưa cấu hình cổng SMS / máy chủ thư: tin nhắn cho đơn vị chưa được gửi"


@pytest.fixture
def reports(database: Database, store: EvidenceStore) -> list[uuid.UUID]:
    add_unit(database, "BN", name="UBND phường Bến Nghé")
    add_unit(database, "TD", name="UBND phường Tân Định")
    return [save_report(database, store) for _ in range(4)]


@pytest.fixture
def window(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path, reports: list[uuid.UUID]
) -> Iterator[MainWindow]:
    yield open_window(qtbot, database, env, tmp_path, size=(1280, 800))


def _select(qtbot: QtBot, win: MainWindow, row: int) -> uuid.UUID:
    queue = win.queue
    queue.table.setFocus()
    queue.table.selectRow(row)
    item = queue.model.data(queue.model.index(row, COL_CODE), ObjectRole)
    actions = _actions(win)
    qtbot.waitUntil(lambda: actions._ticket == item.id and bool(actions.allowed()))
    return item.id


def _actions(win: MainWindow) -> ActionBar:
    actions = win.queue.detail.action_bar
    assert actions is not None
    return actions


def _status(database: Database, ticket: uuid.UUID) -> str:
    with database.engine.connect() as conn:
        return str(conn.scalar(select(Ticket.status).where(Ticket.id == ticket)))


def test_forward_by_keyboard_only(qtbot: QtBot, window: MainWindow, database: Database) -> None:
    ticket = _select(qtbot, window, 0)
    actions = _actions(window)
    assert actions.buttons[_forward()].isVisible()
    qtbot.keyClick(window.queue.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: isinstance(actions.dialog, ForwardDialog))
    dialog = actions.dialog
    assert isinstance(dialog, ForwardDialog)
    qtbot.waitUntil(dialog.filter.hasFocus)
    qtbot.keyClicks(dialog.filter, "tan dinh")  # no accents, no đ
    lead = dialog.lead_unit()
    assert lead is not None and lead.name == "UBND phường Tân Định"
    # No SMS gateway or mail server here: the dialog says so before the forward.
    assert dialog.unsent.isVisible() and dialog.unsent.text() == UNSENT
    with qtbot.waitSignal(actions.acted, timeout=10_000):
        qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    assert _status(database, ticket) == "forwarded"
    with database.engine.connect() as conn:
        units = conn.execute(select(Assignment.unit_id).where(Assignment.ticket_id == ticket))
        assert list(units) == [(lead.id,)]
        states = conn.scalars(select(Notification.state).where(Notification.ticket_id == ticket))
        assert sorted(states) == ["pending", "pending"]  # SMS and e-mail to the contact
    # ... and so do the detail and the status bar, while it stays true (not "đang chờ gửi").
    qtbot.waitUntil(lambda: actions.deliveries.text() == UNSENT)
    body = window.queue.detail.body
    qtbot.waitUntil(lambda: body.toPlainText().count("chưa gửi (xếp hàng lúc") == 2)
    assert "đang chờ gửi" not in body.toPlainText()
    qtbot.waitUntil(lambda: window.status.unsent_label.text() == UNSENT, timeout=10_000)
    assert window.status.unsent_label.isVisible()
    qtbot.waitUntil(lambda: window.queue.detail.subtitle.text().startswith("Đã chuyển"))


def test_an_action_the_role_may_not_do_is_not_offered_and_refused(
    qtbot: QtBot, window: MainWindow, database: Database
) -> None:
    ticket = _select(qtbot, window, 0)
    actions = _actions(window)
    window.role_box.setCurrentIndex(window.role_box.findData("unit_officer"))
    assert actions.role == "unit_officer"
    assert not any(b.isVisible() for b in actions.buttons.values())  # nothing on a new report
    qtbot.keyClick(window.queue.table, Qt.Key.Key_F5)
    assert actions.dialog is None
    assert actions.notice.text() == "Vai trò của bạn không được thực hiện thao tác này."
    assert _status(database, ticket) == "new"


def _forward():  # type: ignore[no-untyped-def]
    from pakn_desktop.domain.workflow import Action

    return Action.FORWARD


def test_bulk_close_of_selected_rows_names_the_refused(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path, reports: list[uuid.UUID]
) -> None:
    from pakn_desktop.services.workflow.service import WorkflowService
    from tests.workflow_data import add_unit as _add

    service = WorkflowService(database)
    unit = _add(database, "XX", name="UBND phường Xuân Hòa")
    for ticket in reports[:3]:  # three ready to close; the fourth is still new
        service.act(ticket, "forward", "operator", None, {"lead_unit_id": unit})
        service.act(ticket, "accept", "unit_officer")
        service.act(ticket, "record_result", "operator", None, {"result_text": "Đã nạo vét."})
    win = open_window(qtbot, database, env, tmp_path, size=None)
    win.queue.table.selectAll()
    bulk = win.queue.bulk
    assert bulk is not None and bulk.isVisible() and bulk.count.text() == "Đã chọn 4 phản ánh"
    qtbot.mouseClick(bulk.close_all, Qt.MouseButton.LeftButton)
    assert bulk.confirm is not None  # the whole selection's count, asked first
    assert bulk.confirm.text() == "Kết thúc 4 phản ánh đã chọn?"
    with qtbot.waitSignal(bulk.done, timeout=10_000) as done:
        bulk.confirm.button(QMessageBox.StandardButton.Yes).click()
    result = done.args[0]
    assert len(result.done) == 3 and [r[0] for r in result.refused] == [reports[3]]
    assert all(_status(database, t) == "closed" for t in reports[:3])
    assert _status(database, reports[3]) == "new"
    assert bulk.summary.text().startswith("Xong 3 phản ánh, 1 bị từ chối — PA-")
    assert "không áp dụng cho phản ánh ở trạng thái hiện tại" in bulk.summary.text()


def test_the_gui_sends_the_forward_notifications_on_a_worker(
    qtbot: QtBot,
    database: Database,
    env: Environment,
    tmp_path: Path,
    reports: list[uuid.UUID],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.local_servers import sms_gateway, smtp_server

    with sms_gateway() as gateway, smtp_server() as mailbox:
        monkeypatch.setenv("PAKN_SMS_URL", gateway.url)
        monkeypatch.setenv("PAKN_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("PAKN_SMTP_PORT", str(mailbox.port))
        win = open_window(qtbot, database, env, tmp_path, size=None)
        ticket = _select(qtbot, win, 0)
        actions = _actions(win)
        qtbot.keyClick(win.queue.table, Qt.Key.Key_F5)
        qtbot.waitUntil(lambda: isinstance(actions.dialog, ForwardDialog))
        dialog = actions.dialog
        assert isinstance(dialog, ForwardDialog)
        qtbot.keyClicks(dialog.filter, "ben nghe")

        def delivered(changes: Changes, _by: object) -> bool:
            # What the dispatcher sent reaches the screens by the hub, naming the report.
            return changes.has(Topic.DELIVERIES) and changes.concerns(ticket)

        with qtbot.waitSignal(win.changes.changed, timeout=10_000, check_params_cb=delivered):
            qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
        with database.engine.connect() as conn:
            q = select(Notification.state).where(Notification.ticket_id == ticket)
            assert sorted(conn.scalars(q)) == ["sent", "sent"]
        assert len(gateway.accepted) == 1 and len(mailbox.messages) == 1
        body = win.queue.detail.body
        qtbot.waitUntil(lambda: body.toPlainText().count("đã gửi lúc") == 2, timeout=10_000)
        assert not actions.deliveries.isVisible() and not win.status.unsent_label.isVisible()
        win.close()
