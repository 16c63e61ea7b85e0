"""The detail's action bar saves the shown report's written record as a PDF on a worker:
the file appears whole, the screenshots' custody records it, a folder that cannot be written
is said in words and leaves nothing behind."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pakn_desktop.data.models import TicketEvent
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.records import EvidenceBytes
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.intake.form import SavedTicket
from pakn_desktop.services.queue import QueueService
from pakn_desktop.services.record_file import RECORD_PURPOSE
from pakn_desktop.ui.evidence.backend import EvidenceBackendFactory
from pakn_desktop.ui.queue.detail import TicketDetailPane
from pakn_desktop.ui.tasks import Tasks
from pakn_desktop.ui.workflow.actions import ActionBar
from pakn_desktop.ui.workflow.backend import WorkflowBackendFactory
from pakn_desktop.ui.workflow.record_button import RecordButton
from tests.office import pdf_page_count, pdf_text
from tests.test_record_document import screenshot


@pytest.fixture
def pane(qtbot: QtBot, database: Database, env: Environment) -> Iterator[TicketDetailPane]:
    tasks = Tasks()
    widget = TicketDetailPane(
        QueueService(database),
        tasks,
        evidence=EvidenceBackendFactory(database, env.data_dir),
        workflow=WorkflowBackendFactory(database, {}),
    )
    qtbot.addWidget(widget)
    widget.resize(1366, 600)
    widget.show()
    yield widget
    tasks.shutdown()


def _button(qtbot: QtBot, pane: TicketDetailPane, ticket: SavedTicket) -> RecordButton:
    pane.show_ticket(ticket.id)
    bar = pane.action_bar
    assert isinstance(bar, ActionBar) and bar.record_button is not None
    button = bar.record_button
    qtbot.waitUntil(button.isVisible, timeout=5000)
    return button


def test_the_action_bar_saves_the_record_as_pdf(
    qtbot: QtBot,
    pane: TicketDetailPane,
    database: Database,
    evidence: EvidenceService,
    ticket: SavedTicket,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (shot,) = evidence.attach_bytes(
        ticket.code, [EvidenceBytes("tin nhắn.png", screenshot(0), "screenshot")]
    )
    button = _button(qtbot, pane, ticket)
    assert button.text() == "Biên bản (PDF)…"
    out = tmp_path / "gui" / "bien-ban"  # no suffix typed: .pdf is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(out), ""))
    assert pane.action_bar is not None
    with qtbot.waitSignal(pane.action_bar.message, check_params_cb=lambda t: "Đã lưu" in t):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    written = out.with_suffix(".pdf")
    assert pdf_page_count(written) >= 1 and ticket.code in pdf_text(written)
    assert shot.sha256 in " ".join(pdf_text(written).split())
    assert button.isEnabled() and not list(written.parent.glob(".*part"))
    with database.sessions() as session:
        last = session.scalars(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket.id)
            .order_by(TicketEvent.seq.desc())
        ).first()
    assert last is not None and last.kind == "evidence_exported"
    assert last.data["purpose"] == RECORD_PURPOSE


def test_a_full_disk_is_said_and_leaves_no_part_file(
    qtbot: QtBot,
    pane: TicketDetailPane,
    ticket: SavedTicket,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    button = _button(qtbot, pane, ticket)
    write_bytes = Path.write_bytes

    def full(path: Path, data: bytes) -> int:
        if path.name.endswith(".part"):  # the record's temporary file, nothing else
            write_bytes(path, data[:100])
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return write_bytes(path, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    bar = pane.action_bar
    assert bar is not None
    folder = tmp_path / "ra"
    button.write(folder / "bien-ban.pdf")
    qtbot.waitUntil(lambda: bar.notice.isVisible(), timeout=10_000)
    assert "đầy" in bar.notice.text() and button.isEnabled()
    assert list(folder.iterdir()) == []
