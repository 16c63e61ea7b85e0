"""The written record (biên bản) as an official document: record.pdf and record.html in the
archive, read back with poppler: the administrative heading, times on the office's clock,
Vietnamese statuses and events, the unit's handling and result, every hash, the screenshots
drawn in, the signature blocks; a protected identity nowhere in the PDF's text."""

from __future__ import annotations

import io
import json
import unicodedata
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from pakn_desktop.domain.labels import status_word
from pakn_desktop.domain.letterhead import Letterhead, date_line
from pakn_desktop.domain.office_time import to_office
from pakn_desktop.reports.record import build_record
from pakn_desktop.reports.record_pdf import NO_GLYPH, record_pdf
from pakn_desktop.services.archive import build_archive
from pakn_desktop.services.archive_html import record_html
from pakn_desktop.services.database import Database
from pakn_desktop.services.evidence.errors import EvidenceCancelled
from pakn_desktop.services.evidence.records import EvidenceBytes
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.intake.form import SavedTicket
from pakn_desktop.services.intake.service import IntakeService
from tests.identity_scan import leaks
from tests.office import pdf_image_count, pdf_page_count, pdf_pages_to_png, pdf_text
from tests.protected_data import QUYNH, leaky_text, save_protected
from tests.workflow_data import add_unit, to_result

RESULT = "Đã nạo vét cống, khơi thông dòng chảy; kiểm tra lại ngày 08/12."


def screenshot(seed: int) -> bytes:
    """A phone-sized picture of a chat, enough to see where the record draws it."""
    picture = Image.new("RGB", (360, 640), (240, 242, 245))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, 360, 56), fill=(24, 119, 242))
    for row in range(6):
        left = 16 if (row + seed) % 2 else 120
        top = 80 + row * 88
        draw.rounded_rectangle((left, top, left + 224, top + 64), 14, fill=(255, 255, 255))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def _unpack(package: Path, into: Path) -> tuple[Path, str, dict[str, object]]:
    with zipfile.ZipFile(package) as archive:
        pdf = into / "record.pdf"
        pdf.write_bytes(archive.read("record.pdf"))
        html = archive.read("record.html").decode()
        manifest = json.loads(archive.read("manifest.json"))
    return pdf, html, manifest


def test_the_record_is_an_official_pdf_and_html_in_the_archive(
    tmp_path: Path, database: Database, evidence: EvidenceService, ticket: SavedTicket
) -> None:
    shots = evidence.attach_bytes(
        ticket.code,
        [
            EvidenceBytes("tin nhắn 1.png", screenshot(0), "screenshot"),
            EvidenceBytes("tin nhắn 2.png", screenshot(1), "clipboard"),
        ],
    )
    unit = add_unit(database, "BT", name="UBND phường Bến Thành")
    to_result(database, ticket.id, unit, RESULT)
    letterhead = Letterhead(issuer="Trung tâm Phục vụ hành chính công", place="Hà Nội")
    package = build_archive(
        evidence, tmp_path / "bien-ban.zip", ticket=ticket.code, letterhead=letterhead
    ).path
    pdf, html, manifest = _unpack(package, tmp_path)

    text = pdf_text(pdf)
    flat = " ".join(text.split())
    assert pdf_page_count(pdf) >= 2
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat and "Độc lập - Tự do - Hạnh phúc" in flat
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" in flat and "/BB-TTPAKN" in flat
    made = to_office(datetime.fromisoformat(str(manifest["generated_at"])))
    assert date_line("Hà Nội", made.date()) in flat
    assert "BIÊN BẢN LƯU TRỮ PHẢN ÁNH, KIẾN NGHỊ" in flat
    # The office's clock, never the stored UTC: 'received' as the operator saw it.
    received = to_office(ticket.received_at)
    assert f"{received:%d/%m/%Y %H:%M}" in flat
    assert "+00:00" not in text and "T0" not in text.replace("TTPAKN", "")
    assert status_word("result_recorded") in flat
    for word in ("Tiếp nhận", "Chuyển xử lý", "Đơn vị nhận xử lý", "Ghi nhận kết quả"):
        assert word in flat, word
    assert "UBND phường Bến Thành" in flat and RESULT in flat
    for shot in shots:
        assert f"SHA-256: {shot.sha256}" in flat
    (report,) = manifest["reports"]  # type: ignore[misc]
    for event in report["events"]:
        assert event["hash"][:32] in text and event["hash"][32:] in text
    assert "NGƯỜI LẬP BIÊN BẢN" in flat and "LÃNH ĐẠO ĐƠN VỊ" in flat
    assert pdf_image_count(pdf) == 2  # both screenshots drawn in

    # The HTML says the same things (one set of values renders both).
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and RESULT in html
    assert f"{received:%d/%m/%Y %H:%M}" in html and "NGƯỜI LẬP BIÊN BẢN" in html
    assert all(shot.sha256 in html for shot in shots)

    (page,) = pdf_pages_to_png(pdf, tmp_path / "png" / "record")
    assert page.stat().st_size > 10_000


def test_a_denouncer_is_named_nowhere_in_the_pdf(
    tmp_path: Path, database: Database, evidence: EvidenceService
) -> None:
    saved = save_protected(IntakeService(database, evidence.store), "to_cao")
    unit = add_unit(database, "BT")
    to_result(database, saved.id, unit, leaky_text(QUYNH, "Kết quả: đã làm việc với"))
    hidden = build_archive(evidence, tmp_path / "hidden.zip", ticket=saved.code).path
    (tmp_path / "a").mkdir()
    pdf, html, _ = _unpack(hidden, tmp_path / "a")
    text = pdf_text(pdf)
    assert leaks(text, QUYNH) == [] and leaks(html, QUYNH) == []
    assert "giữ bí mật" in text and "Cán bộ phường thu tiền trái phép" in text
    # The same scan finds the person where an authorised role asked for them.
    shown = build_archive(evidence, tmp_path / "shown.zip", ticket=saved.code, reveal_identity=True)
    (tmp_path / "b").mkdir()
    assert leaks(pdf_text(_unpack(shown.path, tmp_path / "b")[0]), QUYNH)


def test_what_the_font_cannot_draw_is_a_box_not_a_gap(tmp_path: Path) -> None:
    """A message's emoji, a decomposed name, a tab and a control character: the PDF shows
    the name composed and a box for the emoji (the HTML keeps the original)."""
    name = unicodedata.normalize("NFD", "Nguyễn Thị Hường")
    report = {
        "code": "PA-261207-HN01-0009",
        "received_at": "2026-12-07T01:30:00+00:00",
        "status": "new",
        "summary": "Tin nhắn 😡",
        "content": f"{name}\tgửi:\x07 ngập 🔥 quá!",
        "evidence": [],
        "events": [],
    }
    record = build_record({"generated_at": "2026-12-07T01:45:00+00:00", "reports": [report]})
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(record_pdf(record))
    text = pdf_text(pdf)
    assert "Nguyễn Thị Hường" in unicodedata.normalize("NFC", text)
    assert f"ngập {NO_GLYPH} quá!" in text and "Tin nhắn " + NO_GLYPH in text
    assert "08:30" in text  # 01:30 UTC on the office's clock
    assert "😡" in record_html(record)


def test_a_cancel_while_the_record_is_drawn_leaves_nothing(
    tmp_path: Path, evidence: EvidenceService, ticket: SavedTicket
) -> None:
    """No evidence to copy: the only cancel points are the record's, between reports."""
    asked: list[int] = []

    def cancel() -> bool:
        asked.append(1)
        return True

    out = tmp_path / "huy" / "goi.zip"
    with pytest.raises(EvidenceCancelled):
        build_archive(evidence, out, ticket=ticket.code, should_cancel=cancel)
    assert asked and list(out.parent.iterdir()) == []


def test_a_record_written_without_a_letterhead_names_the_centre_as_set(
    tmp_path: Path, database: Database, evidence: EvidenceService, ticket: SavedTicket
) -> None:
    """The detail's "Biên bản (PDF)" and the archive pass no letterhead: the issuing body and
    place come from the centre's settings (report.issuer, report.place), as the daily
    report's do, not from the program's defaults."""
    from pakn_desktop.data.settings import reports, rows
    from pakn_desktop.services.record_file import write_record_pdf

    with database.writer.begin() as conn:
        rows.write(conn, {reports.ISSUER: "UBND phường Bến Thành", reports.PLACE: "Huế"})
    pdf = write_record_pdf(evidence, tmp_path / "bb.pdf", ticket.code)
    archived, html, _manifest = _unpack(
        build_archive(evidence, tmp_path / "bb.zip", ticket=ticket.code).path, tmp_path
    )
    for text in (pdf_text(pdf), pdf_text(archived), html):
        assert "UBND PHƯỜNG BẾN THÀNH" in text.upper()
        assert "Huế, ngày" in text
