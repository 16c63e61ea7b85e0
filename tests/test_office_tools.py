"""The tests' LibreOffice round trip works on this machine (every export test relies on it)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.office import pdf_page_count, pdf_pages_to_png, to_pdf


def test_a_workbook_opens_in_libreoffice_and_its_page_renders(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    sheet["A2"] = "Độc lập - Tự do - Hạnh phúc"
    path = tmp_path / "mẫu.xlsx"
    book.save(path)
    pdf = to_pdf(path, tmp_path / "pdf")
    assert pdf_page_count(pdf) == 1
    pages = pdf_pages_to_png(pdf, tmp_path / "png" / "page")
    assert len(pages) == 1 and pages[0].stat().st_size > 1000


def test_a_file_libreoffice_cannot_read_fails_the_conversion(tmp_path: Path) -> None:
    broken = tmp_path / "hỏng.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    try:
        to_pdf(broken, tmp_path / "pdf")
    except AssertionError:
        return
    raise AssertionError("a broken workbook converted without a complaint")
