"""The detail's action dialogs driven from the keyboard (offscreen): reject (a reason must be
chosen), duplicate (a wrong code is refused in the dialog, the text kept), publish (refused
for confidential / no_publish / state secret; the text never names the reporter) and the
stale check (a report changed on another workstation is refused, the detail reloaded, the
dialog keeps what was typed)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pakn_desktop.data.models import Ticket, TicketResult
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.workflow.service import WorkflowService
from pakn_desktop.ui.workflow.actions import ActionBar
from pakn_desktop.ui.workflow.dialogs import ActionDialog
from tests.qt_helpers import open_window
from tests.workflow_data import add_unit, events, save_report, select_ticket, to_result


def _row(database: Database, ticket: uuid.UUID) -> Ticket:
    with database.sessions() as s:
        row = s.get(Ticket, ticket)
        assert row is not None
        return row


def _dialog(qtbot: QtBot, actions: ActionBar, key: str) -> ActionDialog:
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest

    sequence = QKeySequence(key)
    combo = sequence[0]
    QTest.keyClick(actions.window().focusWidget(), combo.key(), combo.keyboardModifiers())
    qtbot.waitUntil(lambda: isinstance(actions.dialog, ActionDialog) and actions.dialog.isVisible())
    dialog = actions.dialog
    assert isinstance(dialog, ActionDialog)
    return dialog


def _ok(dialog: ActionDialog):  # type: ignore[no-untyped-def]
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_reject_needs_a_chosen_reason(
    qtbot: QtBot, database: Database, env: Environment, store: EvidenceStore, tmp_path: Path
) -> None:
    ticket = save_report(database, store)
    win = open_window(qtbot, database, env, tmp_path)
    actions = select_ticket(qtbot, win, ticket)
    dialog = _dialog(qtbot, actions, "Ctrl+Shift+X")
    qtbot.waitUntil(dialog.reason_code.hasFocus)
    assert dialog.reason_code.currentIndex() == -1
    assert not _ok(dialog).isEnabled()
    qtbot.keyClick(dialog.reason_code, Qt.Key.Key_Return)  # Enter with no reason: nothing
    assert dialog.isVisible() and _row(database, ticket).status == "new"
    qtbot.keyClick(dialog.reason_code, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.reason_code, Qt.Key.Key_Down)  # the second reason: abuse
    assert dialog.reason_code.currentData() == "abuse" and _ok(dialog).isEnabled()
    qtbot.keyClick(dialog.reason_code, Qt.Key.Key_Tab)
    dialog.reason.insert("Lời lẽ xúc phạm cán bộ")  # QTest types Latin-1 only: as an IME would
    with qtbot.waitSignal(actions.acted, timeout=10_000):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert _row(database, ticket).status == "rejected"
    last = events(database, ticket)[-1]
    assert last["kind"] == "reject"
    assert last["data"]["reason_code"] == "abuse"
    assert last["data"]["reason"] == "Lời lẽ xúc phạm cán bộ"
    qtbot.waitUntil(lambda: actions.dialog is None)


def test_duplicate_dialog_refuses_an_unknown_code_in_place(
    qtbot: QtBot, database: Database, env: Environment, store: EvidenceStore, tmp_path: Path
) -> None:
    original, copy = save_report(database, store), save_report(database, store)
    code = _row(database, original).code
    win = open_window(qtbot, database, env, tmp_path)
    actions = select_ticket(qtbot, win, copy)
    dialog = _dialog(qtbot, actions, "Ctrl+Shift+D")
    qtbot.waitUntil(dialog.duplicate_of.hasFocus)
    assert not _ok(dialog).isEnabled()
    qtbot.keyClicks(dialog.duplicate_of, "PA-000000-KHONG-0001")
    qtbot.keyClick(dialog.duplicate_of, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.refusal.isVisible)
    assert dialog.refusal.text() == "Không tìm thấy phản ánh gốc với mã đã nhập."
    assert dialog.isVisible() and dialog.duplicate_of.text() == "PA-000000-KHONG-0001"
    dialog.duplicate_of.selectAll()
    qtbot.keyClicks(dialog.duplicate_of, code.lower())
    with qtbot.waitSignal(actions.acted, timeout=10_000):
        qtbot.keyClick(dialog.duplicate_of, Qt.Key.Key_Return)
    row = _row(database, copy)
    assert (row.status, row.duplicate_of_id) == ("duplicate", original)
    body = win.queue.detail.body
    qtbot.waitUntil(lambda: f"Trùng với {code}" in body.toPlainText().replace("\n", " "))


@pytest.mark.parametrize("flag", ["confidential", "no_publish", "state_secret"])
def test_publication_is_refused_for_protected_reports(
    qtbot: QtBot,
    database: Database,
    env: Environment,
    store: EvidenceStore,
    tmp_path: Path,
    flag: str,
) -> None:
    form_flags = {flag: True} if flag != "state_secret" else {}
    ticket = save_report(database, store, **form_flags)
    to_result(database, ticket, add_unit(database, "CK"), "Đã sửa xong cống.")
    if flag == "state_secret":
        WorkflowService(database).set_state_secret(ticket, "supervisor", None, True, "Quốc phòng")
    win = open_window(qtbot, database, env, tmp_path)
    actions = select_ticket(qtbot, win, ticket, role="supervisor")
    dialog = _dialog(qtbot, actions, "Ctrl+Shift+P")
    assert dialog.refusal.isVisible() and dialog.refusal.text().startswith("Không được công khai")
    assert dialog.text.isReadOnly() and not _ok(dialog).isEnabled()
    dialog.accept()  # even forced, nothing is submitted
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert _row(database, ticket).status == "result_recorded"
    with database.engine.connect() as conn:
        published = conn.scalar(
            select(TicketResult.published_at).where(TicketResult.ticket_id == ticket)
        )
    assert published is None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: actions.dialog is None)


def test_publication_text_never_names_the_reporter(
    qtbot: QtBot, database: Database, env: Environment, store: EvidenceStore, tmp_path: Path
) -> None:
    ticket = save_report(
        database,
        store,
        content="Tôi là Nguyễn Văn An, số 0912 345 678, nhà 12 Lê Lợi: cống tắc ba ngày nay.",
    )
    to_result(
        database,
        ticket,
        add_unit(database, "CK"),
        "Đã liên hệ ông Nguyễn Văn An (0912345678) và nạo vét cống.",
    )
    win = open_window(qtbot, database, env, tmp_path)
    actions = select_ticket(qtbot, win, ticket, role="supervisor")
    dialog = _dialog(qtbot, actions, "Ctrl+Shift+P")
    text = dialog.text.toPlainText()
    assert text and not dialog.refusal.isVisible() and _ok(dialog).isEnabled()
    for personal in ("Nguyễn Văn An", "0912", "345 678", "912345678"):
        assert personal not in text
    # The editor puts the name back: refused in the dialog, the edit kept.
    dialog.text.moveCursor(dialog.text.textCursor().MoveOperation.End)
    dialog.text.insertPlainText(" Cảm ơn anh Nguyễn Văn An.")
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.refusal.isVisible)
    assert "thông tin cá nhân" in dialog.refusal.text()
    assert dialog.text.toPlainText().endswith("Cảm ơn anh Nguyễn Văn An.")
    assert _row(database, ticket).status == "result_recorded"
    dialog.text.setPlainText(text)
    with qtbot.waitSignal(actions.acted, timeout=10_000):
        qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert _row(database, ticket).status == "published"
    with database.engine.connect() as conn:
        stored = conn.scalar(
            select(TicketResult.publication_text).where(TicketResult.ticket_id == ticket)
        )
    assert stored == text and "Nguyễn Văn An" not in str(stored)


def test_a_report_changed_elsewhere_is_refused_reloaded_and_the_text_kept(
    qtbot: QtBot, database: Database, env: Environment, store: EvidenceStore, tmp_path: Path
) -> None:
    ticket = save_report(database, store)
    win = open_window(qtbot, database, env, tmp_path)
    actions = select_ticket(qtbot, win, ticket)
    shown = actions._version
    dialog = _dialog(qtbot, actions, "Ctrl+Shift+N")  # not competent: body and reason
    dialog.target_body.insert("Tòa án nhân dân Quận 1")
    qtbot.waitUntil(dialog.target_body.hasFocus)
    qtbot.keyClick(dialog.target_body, Qt.Key.Key_Tab)
    assert dialog.reason.hasFocus()  # Tab follows the form, top to bottom
    dialog.reason.insert("Tranh chấp dân sự")
    # Meanwhile another workstation (its own service on the same database) screens it.
    WorkflowService(database).act(ticket, "screen", "moderator")
    with qtbot.waitSignal(actions.stale, timeout=10_000):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.refusal.text().startswith("Phản ánh vừa được thay đổi ở máy khác")
    assert actions.notice.text() == dialog.refusal.text()
    assert dialog.target_body.text() == "Tòa án nhân dân Quận 1"
    assert dialog.reason.text() == "Tranh chấp dân sự"
    assert _row(database, ticket).status == "screening"  # nothing of ours was written
    detail = win.queue.detail
    qtbot.waitUntil(lambda: actions._version == (shown or 0) + 1)
    qtbot.waitUntil(lambda: detail.subtitle.text().startswith("Đang sàng lọc"))
    assert "Sàng lọc" in detail.body.toPlainText()
    with qtbot.waitSignal(actions.acted, timeout=10_000):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # again, on what is now shown
    row = _row(database, ticket)
    assert row.status == "not_competent"
    assert events(database, ticket)[-1]["data"]["target_body"] == "Tòa án nhân dân Quận 1"


def test_a_no_dialog_action_on_a_stale_report_is_refused_and_reloaded(
    qtbot: QtBot, database: Database, env: Environment, store: EvidenceStore, tmp_path: Path
) -> None:
    ticket = save_report(database, store)
    win = open_window(qtbot, database, env, tmp_path)
    actions = select_ticket(qtbot, win, ticket)
    WorkflowService(database).act(ticket, "reject", "operator", None, {"reason_code": "spam"})
    with qtbot.waitSignal(actions.stale, timeout=10_000):
        qtbot.keyClick(win.queue.table, Qt.Key.Key_1, _ctrl_shift())  # screen
    assert actions.notice.text().startswith("Phản ánh vừa được thay đổi ở máy khác")
    assert _row(database, ticket).status == "rejected"
    qtbot.waitUntil(lambda: win.queue.detail.subtitle.text().startswith("Không tiếp nhận"))
    assert not actions.buttons[_screen()].isVisible()


def _ctrl_shift() -> Qt.KeyboardModifier:
    return Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _screen():  # type: ignore[no-untyped-def]
    from pakn_desktop.domain.workflow import Action

    return Action.SCREEN
