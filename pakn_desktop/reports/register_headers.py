"""Finding the header of a register kept in Excel or CSV, and what each column holds.

Registers are typed by hand: a title and the unit's name above the table, headers with or
without diacritics, in any order, sometimes spread over two rows ("Người phản ánh" merged over
"Họ tên" / "Điện thoại"). Every header is folded (``domain.text.fold``) and matched against
the synonyms below; the header row is the row (or pair of rows) among the first ones that
names the most known columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pakn_desktop.domain.text import fold

# The fields a register column can fill. Column order in the file does not matter.
RECEIVED = "received_at"  # the date, or date and time, of reception
TIME = "received_time"  # a separate time column ("Giờ")
CONTENT = "content"
SUMMARY = "summary"
NAME = "reporter_name"
PHONE = "reporter_phone"
EMAIL = "reporter_email"
REPORTER_ADDRESS = "reporter_address"
PLACE = "address"  # where it happened
CHANNEL = "channel"
CATEGORY = "category"
KIND = "kind"
UNIT = "unit"  # the unit it went to: kept in the handling note
RESULT = "result"  # the handling's result or state: the status where it maps
NOTE = "note"
CODE = "source_code"  # the register's own number for the report
ROW_NUMBER = "row_number"  # STT: recognised (it helps find the header), never imported

# Folded synonyms, as registers in the field name their columns. A header equal to one of
# these names its field; a longer header ("Nội dung phản ánh, kiến nghị của công dân")
# names the field of the longest multi-word synonym it contains.
SYNONYMS: dict[str, tuple[str, ...]] = {
    RECEIVED: (
        "ngay tiep nhan",
        "thoi gian tiep nhan",
        "ngay gio tiep nhan",
        "thoi diem tiep nhan",
        "ngay nhan",
        "ngay thang",
        "ngay thang nam",
        "ngay gio",
        "thoi gian",
        "ngay",
        "ngay tiep nhan phan anh",
        "ngay phan anh",
        "ngay nhan don",
        "thoi gian nhan",
    ),
    TIME: ("gio", "gio tiep nhan", "gio nhan", "gio phut"),
    CONTENT: (
        "noi dung",
        "noi dung phan anh",
        "noi dung kien nghi",
        "noi dung phan anh kien nghi",
        "noi dung pakn",
        "noi dung su viec",
        "noi dung vu viec",
        "noi dung chi tiet",
        "noi dung yeu cau",
        "noi dung cuoc goi",
        "noi dung tin nhan",
        "tom tat noi dung",
        "noi dung tom tat",
        "van de phan anh",
    ),
    SUMMARY: ("tom tat", "trich yeu", "tieu de", "tom tat vu viec"),
    NAME: (
        "ho ten",
        "ho va ten",
        "nguoi phan anh",
        "ten nguoi phan anh",
        "ho ten nguoi phan anh",
        "ho va ten nguoi phan anh",
        "cong dan",
        "ten cong dan",
        "nguoi goi",
        "nguoi kien nghi",
        "ten",
        "ho ten cong dan",
    ),
    PHONE: (
        "so dien thoai",
        "dien thoai",
        "sdt",
        "so dt",
        "dt",
        "dt lien he",
        "dien thoai lien he",
        "so dien thoai lien he",
        "so may",
        "so goi den",
    ),
    EMAIL: ("email", "e mail", "thu dien tu", "dia chi email", "dia chi thu dien tu"),
    REPORTER_ADDRESS: (
        "dia chi",
        "dia chi nguoi phan anh",
        "dia chi lien he",
        "noi o",
        "dia chi cong dan",
        "dia chi thuong tru",
    ),
    PLACE: (
        "dia diem",
        "dia diem xay ra",
        "noi xay ra",
        "dia diem su viec",
        "dia ban",
        "vi tri",
        "dia diem phan anh",
    ),
    CHANNEL: (
        "kenh",
        "kenh tiep nhan",
        "hinh thuc tiep nhan",
        "nguon",
        "nguon tiep nhan",
        "nguon tin",
        "hinh thuc",
        "kenh phan anh",
    ),
    CATEGORY: ("linh vuc", "nhom linh vuc", "linh vuc phan anh", "phan loai", "nhom van de"),
    KIND: (
        "loai",
        "loai phan anh",
        "loai pakn",
        "loai yeu cau",
        "loai don",
        "tinh chat",
        "phan loai pakn",
    ),
    UNIT: (
        "don vi xu ly",
        "don vi chu tri",
        "don vi tiep nhan xu ly",
        "chuyen don vi",
        "chuyen cho",
        "co quan xu ly",
        "don vi giai quyet",
        "don vi phu trach",
    ),
    RESULT: (
        "ket qua",
        "ket qua xu ly",
        "ket qua giai quyet",
        "tinh trang",
        "trang thai",
        "tinh trang xu ly",
        "tien do xu ly",
        "tien do",
    ),
    NOTE: ("ghi chu", "ghi chu khac"),
    CODE: ("ma", "ma so", "so ho so", "ma ho so", "ma phieu", "so phieu", "so vao so", "ma pakn"),
    ROW_NUMBER: ("stt", "tt", "so tt", "so thu tu"),
}

_BY_NAME: dict[str, str] = {name: field for field, names in SYNONYMS.items() for name in names}
# Longest first: "noi dung phan anh" before "noi dung", "dia chi email" before "dia chi".
_CONTAINED = sorted(
    ((name, field) for name, field in _BY_NAME.items() if " " in name),
    key=lambda pair: -len(pair[0]),
)
_NOT_WORD = re.compile(r"[^a-z0-9]+")
# A unit's hint in brackets ("Ngày (dd/mm/yyyy)", "Điện thoại (nếu có)") names nothing.
_BRACKETS = re.compile(r"\(.*?\)|\[.*?\]")
HEADER_SCAN = 30  # rows searched for the header: titles take a handful
_MIN_SCORE = 2


def folded_header(text: str) -> str:
    """A header as it is matched: folded, brackets dropped, words only."""
    return " ".join(_NOT_WORD.sub(" ", fold(_BRACKETS.sub(" ", text))).split())


def header_field(text: str) -> str | None:
    """The field a header names, or None."""
    folded = folded_header(text)
    if not folded:
        return None
    exact = _BY_NAME.get(folded)
    if exact is not None:
        return exact
    padded = f" {folded} "
    for name, field in _CONTAINED:
        if f" {name} " in padded:
            return field
    return None


@dataclass(frozen=True)
class Column:
    """One column of the register: its position, header as written, and field (or None)."""

    index: int
    header: str
    field: str | None


@dataclass(frozen=True)
class Header:
    """The header found: its rows (1-based, as the file numbers them) and its columns."""

    rows: tuple[int, ...]
    columns: tuple[Column, ...]

    @property
    def fields(self) -> dict[str, int]:
        """Field → column index (the first column naming a field wins)."""
        found: dict[str, int] = {}
        for column in self.columns:
            if column.field is not None and column.field not in found:
                found[column.field] = column.index
        return found

    @property
    def last_row(self) -> int:
        return self.rows[-1]


def cell_text(value: object) -> str:
    """A header cell's text ("" for an empty cell)."""
    return "" if value is None else " ".join(str(value).split())


def find_header(lines: Sequence[tuple[int, Sequence[object]]]) -> Header | None:
    """The best header among ``lines`` (the first rows of a sheet, with their numbers): one
    row, or two rows read together when that names more columns. None when no row names at
    least a date or content column and one other known column."""
    best: tuple[tuple[int, int], Header] | None = None
    texts = [(number, [cell_text(v) for v in values]) for number, values in lines]
    for i, (number, top) in enumerate(texts[:HEADER_SCAN]):
        if not any(top):
            continue
        candidates = [_single(number, top)]
        if i + 1 < len(texts) and texts[i + 1][0] == number + 1:
            below = texts[i + 1][1]
            double = _double(number, top, below)
            # Two rows only when the upper one adds to the lower: a title above a one-row
            # header adds nothing but its words to every column's name.
            if _score(double) > _score(_single(number + 1, below)):
                candidates.append(double)
        for header in candidates:
            score = _score(header)
            # Strictly better only: an equal score keeps the earlier, shorter header.
            if score[0] >= _MIN_SCORE and (best is None or score > best[0]):
                best = (score, header)
    return best[1] if best is not None else None


def _score(header: Header) -> tuple[int, int]:
    """(known fields, with two more for a date and content together; columns recognised):
    the second breaks ties, so "Kết quả xử lý" over "Đã xử lý" / "Đang xử lý" reads as two
    result columns rather than one."""
    fields = header.fields
    if RECEIVED not in fields and CONTENT not in fields:
        return 0, 0
    # A date and content together is what makes a register: worth two more columns.
    known = len(fields) + (2 if RECEIVED in fields and CONTENT in fields else 0)
    return known, sum(1 for c in header.columns if c.field is not None)


def _single(number: int, texts: list[str]) -> Header:
    columns = tuple(Column(i, t, header_field(t)) for i, t in enumerate(texts) if t)
    return Header((number,), columns)


def _double(number: int, top: list[str], sub: list[str]) -> Header:
    """Two header rows: a merged top cell spreads over the sub-headers under it (the file
    keeps its text in the first cell only); a top cell with nothing under it stands alone."""
    width = max(len(top), len(sub))
    top = top + [""] * (width - len(top))
    sub = sub + [""] * (width - len(sub))
    columns: list[Column] = []
    spread = ""
    for i in range(width):
        if top[i]:
            spread = top[i]
        elif not sub[i]:
            spread = ""  # a gap ends the merged cell
        own_top = top[i] or (spread if sub[i] else "")
        if sub[i]:
            text = f"{own_top} / {sub[i]}" if own_top else sub[i]
            field = header_field(sub[i]) or header_field(f"{own_top} {sub[i]}")
            if field is None and own_top:
                field = header_field(own_top)
            columns.append(Column(i, text, field))
        elif top[i]:
            columns.append(Column(i, top[i], header_field(top[i])))
    return Header((number, number + 1), tuple(columns))
