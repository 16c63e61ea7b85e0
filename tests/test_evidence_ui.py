"""Evidence on the queue's detail pane (pytest-qt, offscreen): thumbnails, viewer, attach
through the action with a refused file, paste, redaction, hand-off, detach, archive export."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt, QUrl
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtWidgets import QFileDialog, QInputDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pakn_desktop.data import timeline
from pakn_desktop.data.models import Evidence
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.records import AttachedEvidence, EvidenceBytes
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.form import SavedTicket
from pakn_desktop.services.queue import QueueService
from pakn_desktop.ui.evidence.backend import EvidenceBackendFactory
from pakn_desktop.ui.evidence.panel import EvidencePanel
from pakn_desktop.ui.evidence.thumbs import thumb_path
from pakn_desktop.ui.queue.detail import TicketDetailPane
from pakn_desktop.ui.tasks import Tasks
from tests.evidence_fixtures import stored_files
from tests.evidence_samples import ALLOWED, REFUSED, image


@pytest.fixture
def pane(qtbot: QtBot, database: Database, env: Environment) -> Iterator[TicketDetailPane]:
    tasks = Tasks()
    widget = TicketDetailPane(
        QueueService(database), tasks, evidence=EvidenceBackendFactory(database, env.data_dir)
    )
    qtbot.addWidget(widget)
    widget.resize(1100, 420)
    widget.show()
    yield widget
    tasks.shutdown()


def _panel(pane: TicketDetailPane) -> EvidencePanel:
    assert pane.evidence is not None
    return pane.evidence


def _show(qtbot: QtBot, pane: TicketDetailPane, ticket: SavedTicket, count: int) -> EvidencePanel:
    pane.show_ticket(ticket.id)
    panel = _panel(pane)
    # The title counts what the list read found: the report's evidence is loaded.
    qtbot.waitUntil(lambda: panel.title.text() == f"Minh chứng ({count})", timeout=5000)
    assert panel.strip.count() == count
    return panel


def _attach(evidence: EvidenceService, ticket: SavedTicket) -> list[AttachedEvidence]:
    items = [
        EvidenceBytes("ảnh chụp.png", image("PNG", (240, 160), (20, 160, 40)), "screenshot"),
        EvidenceBytes("biên bản.pdf", ALLOWED["application/pdf"], "file"),
    ]
    return evidence.attach_bytes(ticket.code, items)


def _kinds(database: Database, ticket: SavedTicket) -> list[str]:
    with database.engine.connect() as conn:
        return timeline.kinds(conn, ticket.id)


def test_strip_shows_thumbnails_names_sizes_and_type_tiles(
    qtbot: QtBot,
    pane: TicketDetailPane,
    evidence: EvidenceService,
    ticket: SavedTicket,
    env: Environment,
) -> None:
    png, pdf = _attach(evidence, ticket)
    panel = _show(qtbot, pane, ticket, 2)
    strip = panel.strip

    def centre(row: int) -> QColor:
        return strip.item(row).icon().pixmap(96, 96).toImage().pixelColor(48, 48)

    # The thumbnail arrives from a worker into the square slot (transparent until then).
    qtbot.waitUntil(lambda: centre(0) == QColor(20, 160, 40), timeout=5000)
    assert strip.item(0).icon().pixmap(96, 96).toImage().pixelColor(48, 10).alpha() == 0
    assert centre(1).alpha() == 255  # the PDF's type tile
    assert strip.item(0).text().startswith("ảnh chụp.png\n")
    assert strip.item(1).text().startswith("biên bản.pdf\n")
    assert strip.item(0).toolTip().startswith("ảnh chụp.png\n")
    assert "B" in strip.item(1).text().split("\n")[1]  # a size with its unit
    assert thumb_path(env.data_dir / "thumbs", png.sha256).exists()  # the disk cache
    assert panel.title.text() == "Minh chứng (2)"
    assert not thumb_path(env.data_dir / "thumbs", pdf.sha256).exists()


def test_enter_opens_the_viewer_and_records_a_view(
    qtbot: QtBot,
    pane: TicketDetailPane,
    evidence: EvidenceService,
    ticket: SavedTicket,
    database: Database,
) -> None:
    _attach(evidence, ticket)
    panel = _show(qtbot, pane, ticket, 2)
    panel.strip.setFocus()
    panel.strip.setCurrentRow(0)
    with qtbot.waitSignal(panel.changed, timeout=5000):  # the view is recorded
        qtbot.keyClick(panel.strip, Qt.Key.Key_Return)
    assert "evidence_viewed" in _kinds(database, ticket)
    qtbot.waitUntil(lambda: panel.viewer is not None and "px" in panel.viewer.status.text())
    viewer = panel.viewer
    assert viewer is not None
    assert "240 × 160 px" in viewer.status.text()
    viewer.view.actual_size()
    assert viewer.view.zoom() == pytest.approx(1.0)
    qtbot.keyClick(viewer, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert viewer.view.zoom() == pytest.approx(1.25)
    viewer.close()


def test_attach_action_with_a_refused_file_says_why_and_stores_nothing(
    qtbot: QtBot,
    pane: TicketDetailPane,
    evidence: EvidenceService,
    ticket: SavedTicket,
    store: EvidenceStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    good = tmp_path / "ảnh.png"
    good.write_bytes(image("PNG", (30, 20)))
    bad = tmp_path / "setup.png"
    bad.write_bytes(REFUSED["setup.png"][0])
    chosen = ([str(good), str(bad)], "")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: chosen)
    panel = _show(qtbot, pane, ticket, 0)
    before = stored_files(store.root)
    qtbot.mouseClick(panel.attach_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.message_box is not None, timeout=5000)
    box = panel.message_box
    assert box is not None
    assert box.text().startswith("setup.png: Tệp chương trình")
    assert stored_files(store.root) == before
    assert evidence.list_for_ticket(ticket.id) == []
    assert panel.attach_button.isEnabled()  # the app goes on
    box.close()


def test_a_fifo_chosen_on_the_detail_is_refused_and_an_odd_file_kept_is_said(
    qtbot: QtBot,
    pane: TicketDetailPane,
    evidence: EvidenceService,
    ticket: SavedTicket,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 13: a FIFO blocked the attach worker for ever; a truncated image is kept as it
    came and the status line says so (decision 25)."""
    fifo = tmp_path / "ong-dan.png"
    os.mkfifo(fifo)
    chosen: list[tuple[list[str], str]] = [([str(fifo)], "")]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: chosen[0])
    panel = _show(qtbot, pane, ticket, 0)
    try:
        qtbot.mouseClick(panel.attach_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.message_box is not None, timeout=10_000)
    finally:
        with contextlib.suppress(OSError):  # a reader stuck on it (the old code) gets EOF
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    box = panel.message_box
    assert box is not None
    assert box.text() == (
        "ong-dan.png: Không phải tệp thường nên không được nhận làm minh chứng (ống dẫn FIFO)"
    )
    box.close()
    whole = image("PNG", (200, 150))
    cut = tmp_path / "anh-cat.png"
    cut.write_bytes(whole[: len(whole) - 40])  # the end of the upload is missing
    chosen[0] = ([str(cut)], "")
    qtbot.mouseClick(panel.attach_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.strip.count() == 1, timeout=10_000)
    assert panel.status.text() == (
        "Đã đính kèm 1 tệp\nanh-cat.png: Ảnh bị cắt cụt (thiếu phần cuối tệp); "
        "vẫn lưu nguyên trạng làm minh chứng"
    )
    (kept,) = evidence.list_for_ticket(ticket.id)
    assert evidence.store.read_bytes(kept.sha256) == cut.read_bytes()


def test_ctrl_v_on_the_strip_attaches_the_clipboard_image(
    qtbot: QtBot, pane: TicketDetailPane, evidence: EvidenceService, ticket: SavedTicket
) -> None:
    panel = _show(qtbot, pane, ticket, 0)
    picture = QImage(64, 48, QImage.Format.Format_RGB32)
    picture.fill(QColor(10, 120, 200))
    QGuiApplication.clipboard().setImage(picture)
    panel.strip.setFocus()
    qtbot.keyClick(panel.strip, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.strip.count() == 1, timeout=5000)
    [attached] = evidence.list_for_ticket(ticket.id)
    assert attached.source == "clipboard" and attached.mime == "image/png"
    assert panel.status.text() == "Đã đính kèm 1 tệp"


def test_redaction_makes_a_black_derived_copy_and_leaves_the_original(
    qtbot: QtBot,
    pane: TicketDetailPane,
    evidence: EvidenceService,
    ticket: SavedTicket,
    store: EvidenceStore,
    database: Database,
) -> None:
    png, _pdf = _attach(evidence, ticket)
    panel = _show(qtbot, pane, ticket, 2)
    panel.redact(png)
    qtbot.waitUntil(lambda: panel.redaction is not None, timeout=5000)
    dialog = panel.redaction
    assert dialog is not None
    dialog.add_rectangle(QRect(20, 30, 50, 40))
    dialog.add_rectangle(QRect(0, 0, 1, 1))  # too small: not a rectangle
    assert len(dialog.rectangles()) == 1
    dialog.save()
    qtbot.waitUntil(lambda: panel.strip.count() == 3, timeout=5000)
    assert panel.redaction is None  # closed once saved
    derived = next(e for e in evidence.list_for_ticket(ticket.id) if e.derived_from == png.id)
    copy = QImage.fromData(store.read_bytes(derived.sha256))
    assert copy.pixelColor(20, 30) == QColor(0, 0, 0)
    assert copy.pixelColor(69, 69) == QColor(0, 0, 0)
    assert copy.pixelColor(70, 70) != QColor(0, 0, 0)
    assert copy.pixelColor(19, 29) != QColor(0, 0, 0)
    original = store.path_of(png.sha256).read_bytes()
    assert hashlib.sha256(original).hexdigest() == png.sha256
    assert "evidence_redacted" in _kinds(database, ticket)
    badge_row = [panel.strip.item(r) for r in range(3)]
    assert any("Bản đã che" in item.toolTip() for item in badge_row)


def test_a_pdf_goes_to_the_system_viewer_as_a_read_only_copy(
    qtbot: QtBot,
    pane: TicketDetailPane,
    evidence: EvidenceService,
    ticket: SavedTicket,
    database: Database,
    store: EvidenceStore,
) -> None:
    _png, pdf = _attach(evidence, ticket)
    panel = _show(qtbot, pane, ticket, 2)
    opened: list[QUrl] = []
    panel.open_url = lambda url: opened.append(url) or True
    panel.open_item(pdf)
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    copy = Path(opened[0].toLocalFile())
    assert copy.read_bytes() == ALLOWED["application/pdf"]
    assert not os.stat(copy).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert store.root not in copy.parents
    assert "evidence_exported" in _kinds(database, ticket)


def test_detach_asks_for_a_reason_and_keeps_the_file(
    qtbot: QtBot,
    pane: TicketDetailPane,
    evidence: EvidenceService,
    ticket: SavedTicket,
    database: Database,
    store: EvidenceStore,
) -> None:
    png, _pdf = _attach(evidence, ticket)
    panel = _show(qtbot, pane, ticket, 2)
    panel.ask_detach(png)
    dialog = panel.findChild(QInputDialog, "detachReason")
    assert dialog is not None and dialog.isVisible()
    dialog.setTextValue("Ảnh trùng với ảnh khác")
    dialog.accept()
    qtbot.waitUntil(lambda: panel.title.text() == "Minh chứng (1)", timeout=5000)
    assert panel.strip.count() == 2  # still listed, marked
    with database.sessions() as session:
        row = session.scalar(select(Evidence).where(Evidence.id == png.id))
        assert row is not None and row.detached_at is not None
    assert store.verify(png.sha256)


def test_archive_export_writes_a_zip_listing_the_evidence(
    qtbot: QtBot,
    pane: TicketDetailPane,
    evidence: EvidenceService,
    ticket: SavedTicket,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    png, pdf = _attach(evidence, ticket)
    panel = _show(qtbot, pane, ticket, 2)
    out = tmp_path / "xuat" / "bien-ban"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(out), ""))
    qtbot.mouseClick(panel.archive_button, Qt.MouseButton.LeftButton)
    written = out.with_suffix(".zip")
    qtbot.waitUntil(lambda: "Đã xuất" in panel.status.text(), timeout=10_000)
    with zipfile.ZipFile(written) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    [report] = manifest["reports"]
    assert report["code"] == ticket.code
    assert {e["sha256"] for e in report["evidence"]} == {png.sha256, pdf.sha256}
    assert manifest["identity_included"] is False
    assert not panel.job.isVisible()  # the progress bar and Cancel are gone
