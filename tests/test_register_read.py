"""Reading registers (issue 15 item 6): the header found under titles and across two merged
rows, CSV sniffing, dates every way, and bad files refused in Vietnamese."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from pakn_desktop.domain.office_time import OFFICE_ZONE
from pakn_desktop.reports import register_headers as h
from pakn_desktop.reports.register_read import (
    RegisterFileError,
    decode,
    open_register,
    sniff_delimiter,
)
from pakn_desktop.reports.register_values import BadDate, parse_received
from tests.register_fixtures import cp1258_bytes, merged_register, plain_csv


def _fields(path: Path) -> dict[str, str]:
    with open_register(path) as register:
        return {c.header: c.field or "" for c in register.header.columns}


def test_header_under_titles_over_two_merged_rows(tmp_path: Path) -> None:
    with open_register(merged_register(tmp_path / "so.xlsx")) as register:
        assert register.header.rows == (6, 7)
        fields = register.header.fields
        first = next(register.rows())
    assert fields == {
        h.ROW_NUMBER: 0,
        h.RECEIVED: 1,
        h.TIME: 2,
        h.NAME: 3,
        h.PHONE: 4,
        h.CHANNEL: 5,
        h.CATEGORY: 6,
        h.CONTENT: 7,
        h.RESULT: 8,
    }
    assert first[0] == 8 and first[1][0] == 1  # the first data row, numbered as in Excel


def test_header_fields_without_diacritics_any_order(tmp_path: Path) -> None:
    fields = _fields(plain_csv(tmp_path / "so.csv"))
    assert fields == {
        "Noi dung": h.CONTENT,
        "So dien thoai": h.PHONE,
        "Ho ten": h.NAME,
        "Ngay tiep nhan": h.RECEIVED,
        "Kenh": h.CHANNEL,
        "Linh vuc": h.CATEGORY,
    }


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("NGÀY TIẾP NHẬN", h.RECEIVED),
        ("Ngày (dd/mm/yyyy)", h.RECEIVED),
        ("Nội dung phản ánh, kiến nghị của công dân", h.CONTENT),
        ("Số ĐT", h.PHONE),
        ("SĐT", h.PHONE),
        ("Hình thức tiếp nhận", h.CHANNEL),
        ("Đơn vị xử lý", h.UNIT),
        ("Kết quả giải quyết", h.RESULT),
        ("Địa chỉ email", h.EMAIL),
        ("Địa chỉ", h.REPORTER_ADDRESS),
        ("Ghi chú", h.NOTE),
        ("Ký tên", None),
    ],
)
def test_header_synonyms(text: str, field: str | None) -> None:
    assert h.header_field(text) == field


def test_no_header_is_a_clear_error(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for i in range(5):
        sheet.append(["a", i, "b"])
    book.save(tmp_path / "x.xlsx")
    with pytest.raises(RegisterFileError, match="không tìm thấy dòng tiêu đề"):
        open_register(tmp_path / "x.xlsx")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1258", "utf-16"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = plain_csv(tmp_path / "so.csv", encoding=encoding, delimiter=delimiter)
    with open_register(path) as register:
        rows = [values for _n, values in register.rows()]
    assert rows[0][2] == "Võ Thị Giang"
    assert rows[1][0] == "Karaoke gây ồn sau 22 giờ"


def test_cp1258_decodes_to_precomposed_text() -> None:
    raw = cp1258_bytes("Nguyễn Văn Ảnh, Đặng Thị Ưng")
    assert decode(raw, "x.csv") == "Nguyễn Văn Ảnh, Đặng Thị Ưng"


def test_sniff_ignores_title_lines() -> None:
    text = "Sổ theo dõi, tháng 12\nNgày;Nội dung;Họ tên\n1/12/2026;a, b;c\n"
    assert sniff_delimiter(text) == ";"


def _office(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=OFFICE_ZONE)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "time", "expected"),
    [
        (datetime(2026, 12, 1, 8, 15), None, _office(2026, 12, 1, 8, 15)),
        (46358, "14:30", _office(2026, 12, 2, 14, 30)),
        (46358.75, None, _office(2026, 12, 2, 18, 0)),
        ("46358", None, _office(2026, 12, 2)),
        ("03/12/2026", "9h05", _office(2026, 12, 3, 9, 5)),
        ("4/12/26 16:45", None, _office(2026, 12, 4, 16, 45)),
        ("2026-12-07 21:40", None, _office(2026, 12, 7, 21, 40)),
        ("8h30 ngày 07/12/2026", None, _office(2026, 12, 7, 8, 30)),
        ("Ngày 7 tháng 12 năm 2026", None, _office(2026, 12, 7)),
        ("07.12.2026 2:10 chiều", None, _office(2026, 12, 7, 14, 10)),
        ("07-12-2026", 0.5, _office(2026, 12, 7, 12, 0)),
    ],
)
def test_received_forms(value: object, time: object, expected: datetime) -> None:
    assert parse_received(value, time) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("31/02/2026", "không phải ngày có thật"),
        ("không rõ", "không phải ngày"),
        (12, "không phải ngày Excel"),
        ("07/12/2026 25:10", "không phải giờ có thật"),
    ],
)
def test_impossible_dates(value: object, reason: str) -> None:
    with pytest.raises(BadDate, match=reason):
        parse_received(value)


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "so.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(RegisterFileError, match="không mở được tệp Excel"):
        open_register(path)
    binary = tmp_path / "anh.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(RegisterFileError, match="không phải tệp Excel"):
        open_register(binary)


def test_empty_and_missing(tmp_path: Path) -> None:
    (tmp_path / "rong.csv").write_bytes(b"")
    with pytest.raises(RegisterFileError, match="tệp rỗng"):
        open_register(tmp_path / "rong.csv")
    with pytest.raises(RegisterFileError, match="không có tệp này"):
        open_register(tmp_path / "khong-co.xlsx")


def test_password_protected_xlsx(tmp_path: Path) -> None:
    # What Excel writes for a password: an OLE compound file around "EncryptedPackage".
    path = tmp_path / "mat-khau.xlsx"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le")
    )
    with pytest.raises(RegisterFileError, match="có đặt mật khẩu"):
        open_register(path)


def test_too_big_csv(tmp_path: Path) -> None:
    path = tmp_path / "lon.csv"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    with pytest.raises(RegisterFileError, match="tệp quá lớn"):
        open_register(path)


def test_other_zips_and_odd_names(tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(tmp_path / "a.zip", "w") as archive:
        archive.writestr("hello.txt", "hi")
    with zipfile.ZipFile(tmp_path / "b.xlsx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<garbage")
    with zipfile.ZipFile(tmp_path / "c.ods", "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    for name in ("a.zip", "b.xlsx"):
        with pytest.raises(RegisterFileError, match="không mở được tệp Excel"):
            open_register(tmp_path / name)
    with pytest.raises(RegisterFileError, match="OpenDocument"):
        open_register(tmp_path / "c.ods")
    # A real workbook under another name is still read.
    renamed = merged_register(tmp_path / "so.xlsx").rename(tmp_path / "so.XLS")
    with open_register(renamed) as register:
        assert register.header.rows == (6, 7)
