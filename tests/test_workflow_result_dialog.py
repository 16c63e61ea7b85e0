"""The result form from the detail (offscreen): real files and a pasted image become the
report's evidence with purpose "result", stored by SHA-256 on the worker; Ctrl+V pastes
text as text; a refused save keeps the text and the list."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pakn_desktop.data.models import Evidence, TicketResult
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.workflow.service import WorkflowService
from pakn_desktop.ui.workflow.actions import ActionBar
from pakn_desktop.ui.workflow.dialogs import ActionDialog
from tests.qt_helpers import open_window
from tests.workflow_data import handled_report, select_ticket


@pytest.fixture
def handling(database: Database, store: EvidenceStore) -> uuid.UUID:
    """A report the unit is handling."""
    return handled_report(database, store)


def _result_dialog(qtbot: QtBot, win: object, actions: ActionBar) -> ActionDialog:
    table = win.queue.table  # type: ignore[attr-defined]
    table.setFocus()
    both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(table, Qt.Key.Key_K, both)
    qtbot.waitUntil(lambda: isinstance(actions.dialog, ActionDialog))
    dialog = actions.dialog
    assert isinstance(dialog, ActionDialog) and dialog.files is not None
    qtbot.waitUntil(dialog.text.hasFocus)
    return dialog


def _paste(qtbot: QtBot, dialog: ActionDialog) -> None:
    qtbot.keyClick(dialog.text, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def _image(color: str = "#2e90fa") -> QImage:
    image = QImage(320, 200, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    return image


def test_files_and_a_pasted_screenshot_are_stored_as_result_evidence(
    qtbot: QtBot,
    database: Database,
    env: Environment,
    handling: uuid.UUID,
    tmp_path: Path,
) -> None:
    report = tmp_path / "bien-ban-nghiem-thu.pdf"
    report.write_bytes(b"%PDF-1.4\n% bien ban nghiem thu\ntrailer<<>>\n%%EOF\n")
    photo = tmp_path / "anh-sau-khi-sua.png"
    assert _image().save(str(photo))
    win = open_window(qtbot, database, env, tmp_path)
    actions = select_ticket(qtbot, win, handling, role="unit_officer")
    dialog = _result_dialog(qtbot, win, actions)
    files = dialog.files
    assert files is not None

    QGuiApplication.clipboard().setText("Đã nạo vét 30 m cống, ")
    _paste(qtbot, dialog)  # text on the clipboard: pasted as text, nothing attached
    assert dialog.text.toPlainText() == "Đã nạo vét 30 m cống, "
    assert files.list.count() == 0
    dialog.text.insertPlainText("nghiệm thu ngày 20/11.")
    QGuiApplication.clipboard().setImage(_image("#f79009"))  # a screenshot, not the photo
    _paste(qtbot, dialog)  # an image: attached, the text untouched
    assert files.list.count() == 1
    assert dialog.text.toPlainText() == "Đã nạo vét 30 m cống, nghiệm thu ngày 20/11."
    files.add_files([report, photo])
    assert files.list.count() == 3
    assert files.note.text().startswith("3 tệp sẽ được lưu")

    with qtbot.waitSignal(actions.acted, timeout=15_000):
        qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)

    with database.engine.connect() as conn:
        rows = conn.execute(
            select(Evidence.sha256, Evidence.display_name, Evidence.source, Evidence.purpose)
            .where(Evidence.ticket_id == handling)
            .order_by(Evidence.display_name)
        ).all()
        result = conn.execute(
            select(TicketResult.result_text, TicketResult.result_evidence).where(
                TicketResult.ticket_id == handling
            )
        ).one()
    assert {r.purpose for r in rows} == {"result"} and len(rows) == 3
    assert {r.source for r in rows} == {"clipboard", "file"}
    expected = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (report, photo)}
    assert expected <= {r.sha256 for r in rows}
    assert sorted(result.result_evidence) == sorted(r.sha256 for r in rows)
    assert result.result_text == "Đã nạo vét 30 m cống, nghiệm thu ngày 20/11."
    store = EvidenceStore(env.evidence_dir)
    assert store.path_of(hashlib.sha256(report.read_bytes()).hexdigest()).read_bytes() == (
        report.read_bytes()
    )
    pasted = next(r for r in rows if r.source == "clipboard")
    assert QImage(str(store.path_of(pasted.sha256))).size() == _image().size()
    # The detail shows the new state and the evidence strip lists the three files.
    detail = win.queue.detail
    qtbot.waitUntil(lambda: detail.subtitle.text().startswith("Đã có kết quả"))
    assert detail.evidence is not None
    qtbot.waitUntil(lambda: detail.evidence.strip.count() == 3, timeout=10_000)


def test_a_refused_result_keeps_the_text_and_the_files(
    qtbot: QtBot,
    database: Database,
    env: Environment,
    handling: uuid.UUID,
    tmp_path: Path,
) -> None:
    photo = tmp_path / "anh.png"
    assert _image().save(str(photo))
    win = open_window(qtbot, database, env, tmp_path)
    actions = select_ticket(qtbot, win, handling, role="unit_officer")
    dialog = _result_dialog(qtbot, win, actions)
    assert dialog.files is not None
    dialog.text.insertPlainText("Đã thay bóng đèn.")
    dialog.files.add_files([photo])
    shown = actions._version
    assert shown is not None
    WorkflowService(database).act(
        handling,
        "request_extension",
        "unit_officer",
        None,
        {"reason": "Chờ vật tư", "due_at": "2026-12-20T17:00:00+07:00"},
    )
    with qtbot.waitSignal(actions.stale, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.text.toPlainText() == "Đã thay bóng đèn."
    assert dialog.files.list.count() == 1
    with database.engine.connect() as conn:
        assert not conn.scalars(select(Evidence.id).where(Evidence.ticket_id == handling)).all()
    qtbot.waitUntil(lambda: actions._version == shown + 1)  # the detail was read again
    assert dialog.ok_button().isEnabled()
    with qtbot.waitSignal(actions.acted, timeout=15_000):
        qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    with database.engine.connect() as conn:
        purposes = conn.scalars(select(Evidence.purpose).where(Evidence.ticket_id == handling))
        assert list(purposes) == ["result"]
