"""Clipboard paste and drag-and-drop into the evidence service, through one helper."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtGui import QColor, QGuiApplication, QImage
from pytestqt.qtbot import QtBot

from pakn_desktop.services.evidence.errors import EvidenceError
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.intake.form import SavedTicket
from pakn_desktop.widgets.mime_evidence import evidence_from_mime, mime_with_bytes
from tests.evidence_fixtures import stored_files
from tests.evidence_samples import ALLOWED, REFUSED


def _pattern() -> QImage:
    image = QImage(16, 9, QImage.Format.Format_RGB32)
    image.fill(QColor(10, 120, 200))
    image.setPixelColor(3, 4, QColor(250, 0, 0))
    return image


def test_clipboard_image_paste_is_stored_as_png(
    qtbot: QtBot, evidence: EvidenceService, ticket: SavedTicket
) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setImage(_pattern())
    found = evidence_from_mime(clipboard.mimeData(), "clipboard")
    assert len(found.items) == 1 and not found.files
    (attached,) = evidence.attach_bytes(ticket.code, found.items)
    assert attached.mime == "image/png" and attached.source == "clipboard"
    with Image.open(io.BytesIO(evidence.store.read_bytes(attached.sha256))) as image:
        rgb = image.convert("RGB")
        assert rgb.size == (16, 9)
        assert rgb.getpixel((3, 4)) == (250, 0, 0) and rgb.getpixel((0, 0)) == (10, 120, 200)
    clipboard.clear()


def test_dropped_files_are_streamed_all_or_nothing(
    qtbot: QtBot, tmp_path: Path, evidence: EvidenceService, ticket: SavedTicket
) -> None:
    video, photo = tmp_path / "clip.mov", tmp_path / "ảnh.webp"
    video.write_bytes(ALLOWED["video/quicktime"])
    photo.write_bytes(ALLOWED["image/webp"])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(video)), QUrl.fromLocalFile(str(photo))])
    found = evidence_from_mime(mime, "drop")
    assert found.files == [video, photo] and not found.items
    attached = evidence.attach_files(ticket.code, found.files, source="drop")
    assert [(a.mime, a.source) for a in attached] == [
        ("video/quicktime", "drop"),
        ("image/webp", "drop"),
    ]
    bad = tmp_path / "readme.pdf"
    bad.write_bytes(REFUSED["logo.eps"][0])
    mime.setUrls([QUrl.fromLocalFile(str(photo)), QUrl.fromLocalFile(str(bad))])
    with pytest.raises(EvidenceError) as caught:
        evidence.attach_files(ticket.code, evidence_from_mime(mime, "drop").files, "drop")
    assert caught.value.code == "postscript" and "readme.pdf" in caught.value.message


def test_html_with_data_and_file_images(
    qtbot: QtBot, tmp_path: Path, evidence: EvidenceService, ticket: SavedTicket
) -> None:
    png = ALLOWED["image/png"]
    gif = tmp_path / "a.gif"
    gif.write_bytes(ALLOWED["image/gif"])
    encoded = base64.b64encode(png).decode()
    mime = QMimeData()
    mime.setHtml(
        f'<p>Tin nhắn</p><img alt="x" src="data:image/png;base64,{encoded}">'
        f"<IMG SRC='{QUrl.fromLocalFile(str(gif)).toString()}'>"
        '<img src="https://example.invalid/a.png">'
    )
    found = evidence_from_mime(mime, "clipboard")
    assert [i.data for i in found.items] == [png]
    assert found.files == [gif] and found.skipped == 1
    (from_html,) = evidence.attach_bytes(ticket.code, found.items)
    assert from_html.mime == "image/png"


def test_raw_image_bytes_kept_and_bad_bytes_refused(
    qtbot: QtBot, evidence: EvidenceService, ticket: SavedTicket
) -> None:
    jpeg = ALLOWED["image/jpeg"]
    found = evidence_from_mime(mime_with_bytes("image/jpeg", jpeg), "drop")
    assert [i.data for i in found.items] == [jpeg]
    fake = evidence_from_mime(mime_with_bytes("image/png", REFUSED["setup.png"][0]), "drop")
    with pytest.raises(EvidenceError) as caught:
        evidence.attach_bytes(ticket.code, fake.items)
    assert caught.value.code == "executable"
    assert [p.name for p in stored_files(evidence.store.root)] == []
    assert not evidence_from_mime(QMimeData())


def test_image_data_can_be_left_for_a_worker_to_encode(qtbot: QtBot) -> None:
    """The strip copies a pasted image on the GUI thread and a worker encodes it (a 1080p
    screenshot takes ~70 ms to encode): same PNG either way."""
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor(10, 120, 200))
    mime = QMimeData()
    mime.setImageData(image)
    deferred = evidence_from_mime(mime, "clipboard", encode=False)
    assert deferred and deferred.items == [] and len(deferred.images) == 1
    encoded = deferred.encoded_items()
    assert [item.source for item in encoded] == ["clipboard"]
    back = QImage.fromData(encoded[0].data, "PNG")
    assert back.size() == image.size() and back.pixelColor(5, 5) == QColor(10, 120, 200)
    direct = evidence_from_mime(mime, "clipboard")
    assert direct.images == [] and direct.items[0].data == encoded[0].data
