"""Registers as centres keep them, built for the import tests (issue 15 item 6).

Each is a shape seen in the field: title rows and the unit's name above the table, a header
spread over two rows under merged cells, totals and signature lines below, dates typed every
way, Excel serials, phones as numbers and with dots, channels and categories by synonyms.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path

import openpyxl

TITLE = ("UBND TỈNH AN GIANG", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG")
HEADING = "SỔ THEO DÕI TIẾP NHẬN PHẢN ÁNH, KIẾN NGHỊ (Từ ngày 01/12/2026 đến ngày 07/12/2026)"


def merged_register(path: Path) -> Path:
    """Title rows, a two-row header under merged cells, mixed dates, a total, a signature,
    and the bad rows the import must name: a date without content, an impossible date."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sổ tiếp nhận"
    sheet.append([TITLE[0]])
    sheet.append([TITLE[1]])
    sheet.append([])
    sheet.append([HEADING])
    sheet.merge_cells("A4:I4")
    sheet.append([])
    # Row 6-7: the header. "Thời gian tiếp nhận" over Ngày/Giờ, "Người phản ánh" over
    # Họ và tên/Điện thoại; the others merged down over both rows.
    sheet.append(
        ["STT", "Thời gian tiếp nhận", None, "Người phản ánh", None, "Kênh tiếp nhận",
         "Lĩnh vực", "Nội dung phản ánh, kiến nghị", "Kết quả xử lý"]
    )  # fmt: skip
    sheet.append([None, "Ngày", "Giờ", "Họ và tên", "Điện thoại"])
    sheet.merge_cells("B6:C6")
    sheet.merge_cells("D6:E6")
    for column in "AFGHI":
        sheet.merge_cells(f"{column}6:{column}7")
    rows: list[list[object]] = [
        [1, datetime(2026, 12, 1, 8, 15), None, "Nguyễn Văn An", 912345678, "Đường dây nóng",
         "Trật tự đô thị", "Lấn chiếm vỉa hè đường Trần Hưng Đạo", "Đã xử lý"],
        [2, 46358, "14:30", "Trần Thị Bình", "0912.345.679", "Email", "Vệ sinh môi trường",
         "Rác thải ùn ứ tại chợ Long Xuyên", "Đang xử lý"],
        [3, "03/12/2026", "9h05", "Lê Văn Cường", "+84 98 765 4321", "Cổng thông tin",
         "Cấp thoát nước", "Ngập nước sau mưa tại phường Mỹ Bình", ""],
        [4, "4/12/26 16:45", None, "", "", "Hội nghị tiếp xúc cử tri", "Điện lực",
         "Mất điện kéo dài khu dân cư Bình Khánh", "chưa rõ"],
        [5, "05/12/2026", None, "Phạm Thị Dung", "0987654322", "", "", "", ""],
        [6, "31/02/2026", None, "Hồ Văn Em", "0987654323", "Zalo", "Cây xanh",
         "Cây xanh đổ chắn ngang đường", ""],
        [],
        ["Tổng cộng", None, None, None, None, None, None, None, "6 phản ánh"],
        [],
        [None, None, None, None, None, None, "NGƯỜI LẬP BIỂU", None, "THỦ TRƯỞNG ĐƠN VỊ"],
        [None, None, None, None, None, None, "(Ký, ghi rõ họ tên)"],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def plain_csv(path: Path, *, encoding: str = "utf-8-sig", delimiter: str = ";") -> Path:
    """A CSV export without diacritics in the headers, columns in another order."""
    lines = [
        "So theo doi phan anh thang 12",
        "",
        delimiter.join(
            ["Noi dung", "So dien thoai", "Ho ten", "Ngay tiep nhan", "Kenh", "Linh vuc"]
        ),
        delimiter.join(["Đèn đường hỏng tại ngã tư Lê Lợi", "0912 345 680", "Võ Thị Giang",
                        "06/12/2026 07:05", "Fanpage", "Chiếu sáng"]),
        delimiter.join(["Karaoke gây ồn sau 22 giờ", "84912345681", "Đặng Văn Hùng",
                        "2026-12-05 21:40", "Điện thoại", "Trật tự công cộng"]),
    ]  # fmt: skip
    text = "\r\n".join(lines) + "\r\n"
    path.write_bytes(cp1258_bytes(text) if encoding == "cp1258" else text.encode(encoding))
    return path


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258_bytes(text: str) -> bytes:
    """``text`` as Windows-1258 writes it: â, ă, ê, ô, ơ, ư, đ precomposed, the five tone
    marks as combining characters after the letter (Python's codec needs them split)."""
    out = bytearray()
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        out += (base + tones).encode("cp1258")
    return bytes(out)


def odd_register(path: Path) -> Path:
    """A summary sheet first; the register on the second, headers in capitals without
    diacritics on one row, real dates and two-digit years, a landline, two phones in a cell,
    a kind column, a total typed in the content column, content without a date."""
    book = openpyxl.Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Tổng hợp"
    summary.append(["Tháng", "Số phản ánh"])
    summary.append([12, 5])
    sheet = book.create_sheet("Chi tiết")
    sheet.append(["BÁO CÁO CHI TIẾT"])
    sheet.append(["TT", "NGAY NHAN", "HO VA TEN", "DIEN THOAI", "LOAI", "NOI DUNG PHAN ANH",
                  "HINH THUC TIEP NHAN", "LINH VUC", "TINH TRANG", "GHI CHU"])  # fmt: skip
    rows: list[list[object]] = [
        [1, date(2026, 12, 6), "Bùi Thị Lan", "(028) 3822 1234", "Hỏi đáp",
         "Hỏi thủ tục cấp lại giấy khai sinh", "Tổng đài 1022", "Khác", "Đã trả lời", ""],
        [2, "6/12/26", "Ngô Văn Minh", "0912345682 - 0987654324", "Kiến nghị",
         "Đề nghị lắp đèn tín hiệu giao thông tại ngã ba Bình Đức", "Zalo OA",
         "ATGT", "Đang giải quyết", "Đã chuyển Sở GTVT"],
        [3, "06-12-2026 8h", "Lý Thị Nga", "không có", "", "Chó thả rông không rọ mõm",
         "Messenger", "Trật tự công cộng", "", ""],
        [4, None, "", "", "", "Nước sinh hoạt có mùi lạ ở khu tái định cư", "", "", "", ""],
        [None, None, None, None, None, "Tổng cộng: 4 phản ánh"],
        [None, None, None, None, None, None, "Người lập biểu"],
        [None, None, None, None, None, "An Giang, ngày 07 tháng 12 năm 2026"],
        [None, "Long Xuyên, ngày … tháng … năm 2026"],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def mac_register(path: Path) -> Path:
    """A workbook in the 1904 date system (old Mac Excel), dates typed as serials."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ngày tiếp nhận", "Nội dung", "Số điện thoại"])
    # 7 Dec 2026 08:00 in the 1904 system: 1462 days fewer than in the 1900 one.
    sheet.append([46363 - 1462 + 8 / 24, "Xe tải chở vật liệu rơi vãi trên đường", "0912345683"])
    book.save(path)
    return path


def tick_register(path: Path) -> Path:
    """The result as ticks: "Kết quả xử lý" merged over "Đã xử lý" / "Đang xử lý"."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ngày", "Nội dung", "Kết quả xử lý", None])
    sheet.append([None, None, "Đã xử lý", "Đang xử lý"])
    sheet.merge_cells("C1:D1")
    sheet.append(["01/12/2026", "Ổ gà trên đường Nguyễn Huệ", "x", None])
    sheet.append(["02/12/2026", "Cống thoát nước bị nghẹt", None, "X"])
    sheet.append(["03/12/2026", "Biển báo bị che khuất", None, None])
    book.save(path)
    return path
