"""Redaction: black boxes on a metadata-free copy; the original's file and hash unchanged."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image
from sqlalchemy import select

from pakn_desktop.data.models import Evidence, TicketEvent
from pakn_desktop.services.database import Database
from pakn_desktop.services.evidence.errors import EvidenceError
from pakn_desktop.services.evidence.records import EvidenceBytes
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.intake.form import SavedTicket
from pakn_desktop.services.redaction import Rect, RedactionService, redact, redacted_bytes
from tests.evidence_samples import ALLOWED, jpeg_with_exif


def test_jpeg_copy_has_no_exif_and_original_is_untouched(
    database: Database, evidence: EvidenceService, ticket: SavedTicket
) -> None:
    original_bytes = jpeg_with_exif()
    with Image.open(io.BytesIO(original_bytes)) as check:
        assert check.getexif().get(0x8298) == "Nguyen Van An 0912345678"  # the premise
    (original,) = evidence.attach_bytes(
        ticket.code, [EvidenceBytes("ảnh người dân.jpg", original_bytes, "file")]
    )
    copy = RedactionService(evidence).redact(original.id, [Rect(8, 8, 20, 10)])
    store = evidence.store
    assert store.read_bytes(original.sha256) == original_bytes
    assert hashlib.sha256(store.read_bytes(original.sha256)).hexdigest() == original.sha256
    assert store.verify(original.sha256)
    data = store.read_bytes(copy.sha256)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info and "icc_profile" not in image.info
        assert image.getpixel((15, 12)) == (0, 0, 0) or max(image.getpixel((15, 12))) < 16
        assert max(image.getpixel((50, 40))) > 150  # outside the box: still green
    assert b"Exif" not in data and b"0912345678" not in data and b"PhoneMaker" not in data
    assert (copy.derived_from, copy.purpose, copy.source) == (original.id, "redacted", "derived")
    assert copy.display_name == "ảnh người dân-da-che-thong-tin.jpg"
    with database.sessions() as session:
        kinds = session.scalars(
            select(TicketEvent.kind)
            .where(TicketEvent.ticket_id == ticket.id)
            .order_by(TicketEvent.seq)
        ).all()
        event = session.scalars(
            select(TicketEvent).where(TicketEvent.kind == "evidence_redacted")
        ).one()
        assert event.data["from_sha256"] == original.sha256
        assert event.data["sha256"] == copy.sha256
        assert session.get(Evidence, original.id).derived_from is None  # type: ignore[union-attr]
    assert kinds[-1] == "evidence_redacted"


def test_png_text_and_icc_are_dropped_and_pixels_exact(
    evidence: EvidenceService, ticket: SavedTicket
) -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Trần Thị B, 0912345678")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (255, 255, 255)).save(
        buffer, "PNG", pnginfo=info, icc_profile=b"\x00" * 128
    )
    blob = evidence.store.put_bytes(buffer.getvalue())
    copy = redact(evidence.store, blob.sha256, [Rect(-5, -5, 15, 10), Rect(30, 20, 50, 50)])
    assert evidence.store.verify(blob.sha256)
    with Image.open(io.BytesIO(evidence.store.read_bytes(copy.sha256))) as image:
        assert image.format == "PNG" and not image.text and "icc_profile" not in image.info
        rgba = image.convert("RGBA")
        assert rgba.getpixel((0, 0)) == (0, 0, 0, 255) and rgba.getpixel((9, 4)) == (0, 0, 0, 255)
        assert rgba.getpixel((10, 5)) == (255, 255, 255, 255)
        assert rgba.getpixel((39, 29)) == (0, 0, 0, 255)


def test_only_images_and_proper_rectangles() -> None:
    with pytest.raises(EvidenceError) as caught:
        redacted_bytes(ALLOWED["application/pdf"], "application/pdf", [])
    assert caught.value.code == "not_image"
    with pytest.raises(EvidenceError) as caught:
        redacted_bytes(ALLOWED["image/png"], "image/png", [Rect(0, 0, 0, 5)])
    assert caught.value.code == "bad_rectangle"
