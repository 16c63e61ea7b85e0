"""The detail's action bar saves the shown report's written record as a PDF on a worker:
the file appears whole, the screenshots' custody records it, a full disk is said in words and
leaves nothing behind. The archive's record.html opens with its screenshots in Qt's rich text."""

from __future__ import annotations

import errno
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap, QTextDocument
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pakn_desktop.data.models import TicketEvent
from pakn_desktop.services.app_services import AppServices
from pakn_desktop.services.archive import build_archive
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.records import EvidenceBytes
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.intake.form import SavedTicket
from pakn_desktop.services.queue import QueueService
from pakn_desktop.services.record_file import RECORD_PURPOSE
from pakn_desktop.ui.queue.detail import TicketDetailPane
from pakn_desktop.ui.tasks import Tasks
from pakn_desktop.ui.workflow.actions import ActionBar
from pakn_desktop.ui.workflow.record_button import RecordButton
from tests.office import pdf_page_count, pdf_text
from tests.test_record_document import screenshot


@pytest.fixture
def pane(qtbot: QtBot, database: Database, env: Environment) -> Iterator[TicketDetailPane]:
    tasks = Tasks()
    services = AppServices(lambda: database, env, environ={})
    widget = TicketDetailPane(QueueService(database), tasks, services=services)
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


def test_the_html_record_opens_with_its_screenshots(
    qtbot: QtBot, tmp_path: Path, evidence: EvidenceService, ticket: SavedTicket
) -> None:
    """record.html unpacked as a user would, laid out by Qt's rich text at A4 width: each
    screenshot it names loads from beside it, and the page comes out as a picture."""
    shots = evidence.attach_bytes(
        ticket.code,
        [EvidenceBytes(f"tin nhắn {n}.png", screenshot(n), "screenshot") for n in (1, 2)],
    )
    package = build_archive(evidence, tmp_path / "goi.zip", ticket=ticket.code).path
    folder = tmp_path / "mo"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder)
    page = QTextDocument()
    page.setBaseUrl(QUrl.fromLocalFile(f"{folder}/"))
    page.setHtml((folder / "record.html").read_text("utf-8"))
    page.setTextWidth(794)  # A4 at 96 dpi
    loaded = [
        page.resource(QTextDocument.ResourceType.ImageResource, QUrl(f"files/{ticket.code}/{n}"))
        for n in ("tin nhắn 1.png", "tin nhắn 2.png")
    ]
    assert all(isinstance(image, QPixmap) and image.width() == 360 for image in loaded)
    assert all(shot.sha256 in page.toPlainText() for shot in shots)
    height = int(page.size().height())
    picture = QImage(794, height, QImage.Format.Format_RGB32)
    picture.fill(QColor("white"))
    painter = QPainter(picture)
    page.drawContents(painter)
    painter.end()
    out = tmp_path / "record-html.png"
    assert picture.save(str(out)) and out.stat().st_size > 10_000
