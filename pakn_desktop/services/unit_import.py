"""Reading a unit list: Excel (.xlsx) or CSV (UTF-8 with or without BOM, comma or semicolon).

Headers are matched folded (no accents, no đ, no punctuation), so "Tên đơn vị", "Ten don vi"
and "TÊN ĐƠN VỊ" all name the unit column. A file that cannot be read as a list at all raises
UnitFileError with a Vietnamese message; a bad row is left to the import, which names it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from pakn_desktop.domain.errors import ExpectedError
from pakn_desktop.domain.text import fold
from pakn_desktop.services.unit_checks import ContactInput, ImportRow

MAX_BYTES = 50 * 1024 * 1024  # a unit list is kilobytes; a bigger file is the wrong file

# Folded header → field. Several spellings for each, as registers in the field name them.
HEADERS = {
    "ten don vi": "name",
    "don vi": "name",
    "ten": "name",
    "don vi xu ly": "name",
    "ten co quan": "name",
    "co quan": "name",
    "don vi cap tren": "parent",
    "cap tren": "parent",
    "don vi chu quan": "parent",
    "co quan cap tren": "parent",
    "nguoi lien he": "contact",
    "can bo lien he": "contact",
    "ho ten": "contact",
    "ho va ten": "contact",
    "ho ten nguoi lien he": "contact",
    "chuc vu": "role",
    "so dien thoai": "phone",
    "dien thoai": "phone",
    "sdt": "phone",
    "so dt": "phone",
    "dt": "phone",
    "email": "email",
    "e mail": "email",
    "thu dien tu": "email",
    "dia chi thu dien tu": "email",
    "dia chi email": "email",
    "ma tinh": "province",
    "ma tinh thanh pho": "province",
    "ma tinh thanh": "province",
    "ma xa": "commune",
    "ma xa phuong": "commune",
    "ma phuong xa": "commune",
}
# Code widths: a spreadsheet stores "01" or "00082" as the numbers 1 and 82.
_CODE_WIDTH = {"province": 2, "commune": 5}
_PUNCT = re.compile(r"[^a-z0-9]+")


class UnitFileError(ExpectedError):
    def __init__(self, message: str) -> None:
        super().__init__("unit_file", message)


def header_field(text: str) -> str | None:
    return HEADERS.get(_PUNCT.sub(" ", fold(text)).strip())


def read_unit_file(path: Path) -> list[ImportRow]:
    """The file's data rows (blank rows skipped), each with its row number in the file."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise UnitFileError(f"{path}: không phải tệp thông thường")
        if size == 0:
            raise UnitFileError(f"{path}: tệp rỗng")
        if size > MAX_BYTES:
            raise UnitFileError(f"{path}: tệp quá lớn cho một danh sách đơn vị")
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as error:
        raise UnitFileError(f"không đọc được {path}: {error.strerror or error}") from None
    suffix = path.suffix.lower()
    if head.startswith(b"PK"):
        return _rows(_xlsx_lines(path), path)
    if suffix in (".xlsx", ".xlsm"):
        raise UnitFileError(f"{path}: không phải tệp Excel .xlsx (tệp hỏng hoặc sai định dạng)")
    if suffix == ".xls" or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnitFileError(f"{path}: tệp Excel cũ (.xls): hãy lưu lại dưới dạng .xlsx hoặc CSV")
    return _rows(_csv_lines(path), path)


def _xlsx_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    import openpyxl  # heavy: only when a workbook is imported

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnitFileError(f"{path}: không mở được tệp Excel ({error})") from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise UnitFileError(f"{path}: tệp Excel không có trang tính nào")
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell(v) for v in values]
    finally:
        book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone typed as a number
    return str(value).strip()


def _csv_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnitFileError(
            f"{path}: không phải văn bản UTF-8: hãy lưu lại dưới dạng CSV UTF-8 hoặc .xlsx"
        ) from None
    if "\x00" in text:
        raise UnitFileError(f"{path}: không phải tệp CSV hay .xlsx")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for values in reader:
            yield reader.line_num, [v.strip() for v in values]
    except csv.Error as error:
        raise UnitFileError(f"{path}: dòng {reader.line_num}: {error}") from None


def _rows(lines: Iterable[tuple[int, list[str]]], path: Path) -> list[ImportRow]:
    columns: dict[str, int] | None = None
    rows: list[ImportRow] = []
    for number, values in lines:
        if not any(values):
            continue
        if columns is None:
            columns = {}
            for index, text in enumerate(values):
                field = header_field(text)
                if field is not None and field not in columns:
                    columns[field] = index
            if "name" not in columns:
                raise UnitFileError(
                    f"{path}: không thấy cột tên đơn vị ở dòng tiêu đề {number} "
                    "(cần một cột “Tên đơn vị” hoặc “Đơn vị”)"
                )
            continue

        cells = {name: _at(values, index) for name, index in columns.items()}
        get = cells.get
        contact = ContactInput(
            get("contact", ""), get("role", ""), get("phone", ""), get("email", "")
        )
        has_contact = any((contact.name, contact.role, contact.phone, contact.email))
        name, parent = cells.get("name", ""), cells.get("parent", "")
        province, commune = (_code(cells.get(k, ""), k) for k in ("province", "commune"))
        contact_or_none = contact if has_contact else None
        rows.append(ImportRow(number, name, parent, contact_or_none, province, commune))
    if columns is None:
        raise UnitFileError(f"{path}: tệp không có dòng nào")
    return rows


def _at(values: list[str], index: int) -> str:
    return values[index] if index < len(values) else ""


def _code(text: str, field: str) -> str:
    return text.zfill(_CODE_WIDTH[field]) if text.isdigit() else text
