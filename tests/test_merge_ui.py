"""Merging from the detail (offscreen, keyboard): Ctrl+Shift+M offers the linked original,
a search finds another survivor, Enter merges; the merged report links to the survivor and
the survivor's timeline shows both reports' events labelled by case code."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pakn_desktop.data.models import Evidence, Ticket
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.workflow.service import WorkflowService
from pakn_desktop.ui.workflow.actions import ActionBar
from pakn_desktop.ui.workflow.merge_dialog import MergeDialog
from tests.intake_data import png
from tests.qt_helpers import open_window
from tests.workflow_data import save_report, select_ticket


def _code(database: Database, ticket: uuid.UUID) -> str:
    with database.engine.connect() as conn:
        return str(conn.scalar(select(Ticket.code).where(Ticket.id == ticket)))


def _merge_dialog(qtbot: QtBot, win: object, actions: ActionBar) -> MergeDialog:
    table = win.queue.table  # type: ignore[attr-defined]
    table.setFocus()
    qtbot.keyClick(
        table,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: isinstance(actions.dialog, MergeDialog))
    dialog = actions.dialog
    assert isinstance(dialog, MergeDialog)
    qtbot.waitUntil(dialog.query.hasFocus)
    return dialog


def test_merge_the_linked_duplicate_with_one_key_and_enter(
    qtbot: QtBot, database: Database, env: Environment, store: EvidenceStore, tmp_path: Path
) -> None:
    original = save_report(database, store)
    copy = save_report(database, store, content="Cống ở Lê Lợi lại tắc, nước tràn vỉa hè.")
    picture = tmp_path / "cong-tac.png"
    picture.write_bytes(png(8, 8, seed=9))
    EvidenceService(database, store).attach_files(copy, [picture])
    WorkflowService(database).act(
        copy, "mark_duplicate", "operator", None, {"duplicate_of": original}
    )
    code, copy_code = _code(database, original), _code(database, copy)
    win = open_window(qtbot, database, env, tmp_path)
    actions = select_ticket(qtbot, win, copy)
    assert actions.buttons[_merge()].isVisible()  # a linked duplicate may still be merged

    dialog = _merge_dialog(qtbot, win, actions)
    survivor = dialog.survivor()
    assert survivor is not None and survivor.id == original  # the linked original, chosen
    assert "phản ánh gốc đang liên kết" in dialog.results.currentItem().text()
    with qtbot.waitSignal(actions.acted, timeout=10_000):
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: actions.dialog is None)

    detail = win.queue.detail
    qtbot.waitUntil(lambda: f"Đã gộp vào {code}" in detail.body.toPlainText().replace("\n", " "))
    assert f'href="ticket:{original}"' in detail.body.toHtml()
    assert detail.subtitle.text() == f"Trùng lặp — đã gộp vào {code}"
    assert not actions.buttons[_merge()].isVisible()  # merged once: not offered again
    with database.engine.connect() as conn:
        carried = conn.scalars(select(Evidence.display_name).where(Evidence.ticket_id == original))
        assert list(carried) == ["cong-tac.png"]

    # The link opens the survivor: its own events and the merged report's, labelled.
    detail.body.anchorClicked.emit(QUrl(f"ticket:{original}"))
    qtbot.waitUntil(lambda: detail.title.text() == code)
    table, model = win.queue.table, win.queue.model

    def current_id() -> uuid.UUID | None:
        current = model.row_object(table.currentIndex().row())
        return None if current is None else current.id

    # The merge has the queue read again; the link may come before its first page does.
    qtbot.waitUntil(lambda: current_id() == original)
    current = model.row_object(table.currentIndex().row())
    assert current is not None and current.id == original  # the table follows the link
    assert [i.row() for i in table.selectionModel().selectedRows()] == [table.currentIndex().row()]
    text = detail.body.toPlainText()
    assert f"Gồm cả diễn biến của phản ánh đã gộp: {copy_code}" in text
    assert f"[{copy_code}] " in text and f"Gộp phản ánh trùng {copy_code}" in text
    assert text.index(f"[{copy_code}] ") < text.index(f"Gộp phản ánh trùng {copy_code}")
    lines = [line.split(" — ", 1)[1] for line in _events_of(text)]
    assert any(line.startswith("Tiếp nhận") for line in lines)  # the survivor's own
    assert any(line.startswith(f"[{copy_code}] Tiếp nhận") for line in lines)  # merged one's

    # Followed while the queue is being read again: the first page still gets the selection.
    table.clearSelection()
    with qtbot.waitSignal(model.firstPageShown, timeout=10_000):
        model.refresh()
        assert model.rowCount() == 0  # nothing read yet
        detail.body.anchorClicked.emit(QUrl(f"ticket:{original}"))
    qtbot.waitUntil(lambda: current_id() == original)


def _events_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if " — " in line]


def test_search_picks_another_survivor_and_refusals_stay_in_the_dialog(
    qtbot: QtBot, database: Database, env: Environment, store: EvidenceStore, tmp_path: Path
) -> None:
    target = save_report(database, store, content="Đèn đường hỏng trên phố Hàng Bạc từ tuần trước.")
    merged = save_report(database, store, content="Đèn chiếu sáng phố Hàng Bạc không sáng.")
    absorbed = save_report(database, store)
    WorkflowService(database).act(merged, "merge", "operator", None, {"merge_into": target})
    win = open_window(qtbot, database, env, tmp_path)
    actions = select_ticket(qtbot, win, absorbed)
    dialog = _merge_dialog(qtbot, win, actions)
    assert dialog.survivor() is None and not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.query, "hang bac")  # no accents
    qtbot.waitUntil(lambda: dialog.results.count() > 0, timeout=10_000)
    ids = {c.id for c in dialog._candidates}
    assert target in ids and merged not in ids  # a merged report cannot survive
    assert absorbed not in ids
    # A case code typed in full finds that report.
    dialog.query.clear()
    qtbot.keyClicks(dialog.query, _code(database, target).lower())
    qtbot.waitUntil(lambda: [c.id for c in dialog._candidates] == [target], timeout=10_000)
    # Meanwhile the target is merged elsewhere: refused in the dialog, naming the root.
    other = save_report(database, store)
    WorkflowService(database).act(target, "merge", "operator", None, {"merge_into": other})
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.refusal.isVisible, timeout=10_000)
    assert dialog.refusal.text() == (
        "Phản ánh được chọn đã được gộp hoặc là bản trùng; hãy gộp vào phản ánh gốc "
        f"{_code(database, other)}."
    )
    assert dialog.isVisible() and dialog.query.text() == _code(database, target).lower()


def _merge():  # type: ignore[no-untyped-def]
    from pakn_desktop.domain.workflow import Action

    return Action.MERGE
