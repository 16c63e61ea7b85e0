"""Intake takes voice notes, videos and documents as evidence, not only images, and an
iPhone's HEIC photo is kept as it came and shown as the photo (Qt has no HEIC decoder;
pillow-heif decodes it for the screen), never accepted by the dialog and then refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImageReader
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pakn_desktop.data.models import Evidence
from pakn_desktop.services.database import Database
from pakn_desktop.ui.intake.attachment_handler import EVIDENCE_FILES
from pakn_desktop.ui.main.window import MainWindow

from .evidence_samples import ALLOWED, heic, iso
from .test_intake_screen import (  # noqa: F401 (window: fixture)
    NONE,
    fill_valid,
    key,
    save_by_key,
    start_call,
    window,
)

# What a fanpage moderator is sent, by the name it arrives with.
GREEN = (30, 160, 40)

FILES: dict[str, bytes] = {
    "ghi am zalo.m4a": ALLOWED["audio/mp4"],
    "voice.mp3": ALLOWED["audio/mpeg"],
    "messenger voice.ogg": ALLOWED["audio/ogg"],
    "opus note.opus": ALLOWED["audio/ogg"],
    "note.aac": ALLOWED["audio/aac"],
    "call.wav": ALLOWED["audio/x-wav"],
    "old phone.amr": ALLOWED["audio/amr"],
    "clip.mp4": ALLOWED["video/mp4"],
    "iphone.mov": ALLOWED["video/quicktime"],
    "feature phone.3gp": iso(b"3gp4"),
    "don.pdf": ALLOWED["application/pdf"],
    "don.docx": ALLOWED["application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
    "bang ke.xlsx": ALLOWED["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
    "IMG_0412.HEIC": heic(colour=GREEN),
}


def _drop(qtbot: QtBot, main: MainWindow, paths: list[Path]) -> None:
    screen = main.intake
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    strip = screen.form.message.strip
    at, copy, left = QPoint(20, 20), Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    enter = QDragEnterEvent(at, copy, mime, left, NONE)
    strip.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(at), copy, mime, left, NONE)
    with qtbot.waitSignal(screen.attachments.changed, timeout=10_000):
        strip.dropEvent(drop)
    assert drop.isAccepted()


def test_voice_video_documents_and_heic_are_taken_and_saved(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture)
    database: Database,
    tmp_path: Path,
) -> None:
    assert b"heic" not in [bytes(f).lower() for f in QImageReader.supportedImageFormats()]
    screen = start_call(qtbot, window)
    key(qtbot, Qt.Key.Key_F3)
    paths = []
    for name, data in FILES.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(path)
    _drop(qtbot, window, paths)
    box = screen.form.boxes["attachments"]
    assert not box.message.isVisible(), box.message.text()
    strip = screen.form.message.strip
    assert [strip.item(i).text() for i in range(strip.count())] == list(FILES)
    assert all(not strip.item(i).icon().isNull() for i in range(strip.count()))
    by_name = {a.display_name: a for a in screen.attachments.values()}
    photo = by_name["IMG_0412.HEIC"]  # the original bytes, not a re-encoding
    assert photo.sha256 == hashlib.sha256(FILES["IMG_0412.HEIC"]).hexdigest()
    # and shown as the photo it is (decoded through pillow-heif), not as a tile of its kind
    item = next(
        strip.item(i) for i in range(strip.count()) if strip.item(i).text() == "IMG_0412.HEIC"
    )
    shown = item.icon().pixmap(48, 48).toImage()
    centre = shown.pixelColor(shown.width() // 2, shown.height() // 2)
    assert abs(centre.green() - GREEN[1]) < 30 and centre.red() < 80, centre.name()
    assert screen.form.message.count.text() == f"{len(FILES)} tệp"

    fill_valid(screen)
    screen.form.message.sender_name.setText("Minh Anh")
    screen.form.handling_note.setPlainText("Đã nghe ghi âm, chuyển UBND phường xử lý.")
    ticket = save_by_key(qtbot, screen)
    with database.engine.connect() as conn:
        rows = conn.execute(select(Evidence.sha256).where(Evidence.ticket_id == ticket.id)).all()
    assert sorted(r.sha256 for r in rows) == sorted(
        hashlib.sha256(d).hexdigest() for d in FILES.values()
    )


def test_the_file_dialog_offers_every_kind() -> None:
    for name in FILES:
        assert f"*{Path(name).suffix.lower()}" in EVIDENCE_FILES
    assert "*.heif" in EVIDENCE_FILES
