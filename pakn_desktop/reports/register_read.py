"""Opening a register file: an Excel workbook (.xlsx, openpyxl read-only) or a CSV file.

CSV is sniffed: the encoding (UTF-8 with or without BOM, UTF-16 with BOM as Excel's "Unicode
text" writes it, else Windows-1258, the Vietnamese code page of old Excel, which Python has as
``cp1258``) and the delimiter (comma, semicolon, tab or bar, whichever splits the first lines
most evenly). A file that cannot be read as a register raises RegisterFileError with a
Vietnamese message; nothing here raises anything else for bad input.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pakn_desktop.domain.errors import ExpectedError
from pakn_desktop.reports.register_headers import HEADER_SCAN, Header, find_header
from pakn_desktop.reports.register_values import EXCEL_EPOCH

# A register is a few MB a year; a bigger file is the wrong file (an export of something
# else, a log), and reading it would hold the import for minutes.
MAX_BYTES = 40 * 1024 * 1024
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and the envelope of an encrypted .xlsx
_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_LINES = 40

Line = tuple[int, Sequence[object]]  # a row's number in the file (1-based) and its cells


class RegisterFileError(ExpectedError):
    def __init__(self, message: str) -> None:
        super().__init__("register_file", message)


@dataclass
class Register:
    """An open register: its header and the data rows below it, read as they are iterated.
    Close it (or use it as a context manager) to release the workbook."""

    path: Path
    sheet: str  # the worksheet's name ("" for CSV)
    header: Header
    epoch: datetime  # day 0 of the workbook's serial dates
    _head: list[Line]  # the rows read to find the header
    _rest: Iterator[Line]
    _book: Any = None
    _handle: Any = None  # the workbook's open file
    rows_hint: int | None = None  # the last row's number, if the file says (for progress)

    def rows(self) -> Iterator[Line]:
        """The rows after the header, with their numbers; blank rows included (the import
        skips them)."""
        last = self.header.last_row
        for number, values in self._head:
            if number > last:
                yield number, values
        yield from self._rest

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_register(path: Path) -> Register:
    """The register in ``path`` with its header found; raises RegisterFileError."""
    head = _check_file(path)
    if head.startswith(b"PK"):
        return _open_xlsx(path)
    suffix = path.suffix.lower()
    if head.startswith(_OLE):
        if _encrypted(path):
            raise RegisterFileError(
                f"{path.name}: tệp Excel có đặt mật khẩu: hãy mở bằng Excel, bỏ mật khẩu "
                "(Tệp › Thông tin › Bảo vệ sổ làm việc) rồi nhập lại"
            )
        raise RegisterFileError(
            f"{path.name}: tệp Excel cũ (.xls): hãy lưu lại dưới dạng .xlsx hoặc CSV rồi nhập lại"
        )
    if suffix in (".xlsx", ".xlsm", ".xls"):
        raise RegisterFileError(f"{path.name}: không phải tệp Excel (tệp hỏng hoặc sai định dạng)")
    return _open_csv(path)


def _check_file(path: Path) -> bytes:
    try:
        if not path.is_file():
            raise RegisterFileError(f"{path}: không có tệp này (hoặc đó là một thư mục)")
        size = path.stat().st_size
        if size == 0:
            raise RegisterFileError(f"{path.name}: tệp rỗng")
        if size > MAX_BYTES:
            raise RegisterFileError(
                f"{path.name}: tệp quá lớn ({size / 1024 / 1024:.0f} MB, tối đa "
                f"{MAX_BYTES // 1024 // 1024} MB): hãy tách sổ theo tháng hoặc năm "
                "rồi nhập từng tệp"
            )
        with path.open("rb") as f:
            return f.read(8)
    except OSError as error:
        raise RegisterFileError(f"không đọc được {path}: {error.strerror or error}") from None


def _encrypted(path: Path) -> bool:
    """An OLE file holding "EncryptedPackage" is an xlsx under a password (ECMA-376 §2.3)."""
    try:
        with path.open("rb") as f:
            data = f.read(1024 * 1024)
    except OSError:
        return False
    return "EncryptedPackage".encode("utf-16-le") in data


def _open_xlsx(path: Path) -> Register:
    import openpyxl  # heavy: only when a workbook is imported

    if _opendocument(path):
        raise RegisterFileError(
            f"{path.name}: tệp OpenDocument (.ods): hãy lưu lại dưới dạng .xlsx hoặc CSV "
            "rồi nhập lại"
        )
    # A file object, not the path: openpyxl refuses a path by its extension alone, and a
    # workbook saved as "so.XLS" or sent as "so.xlsx.zip" is still a workbook.
    handle = path.open("rb")
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # whatever openpyxl makes of a bad zip or XML
        handle.close()
        raise RegisterFileError(
            f"{path.name}: không mở được tệp Excel (tệp hỏng hoặc không phải .xlsx: {error})"
        ) from None
    try:
        epoch = getattr(book, "epoch", EXCEL_EPOCH)
        for sheet in book.worksheets:
            lines = _numbered(sheet.iter_rows(values_only=True))
            head = _take(lines)
            header = find_header(head)
            if header is not None:
                hint = getattr(sheet, "max_row", None)  # from the sheet's dimension, if any
                register = Register(path, sheet.title, header, epoch, head, lines, book, handle)
                register.rows_hint = hint if isinstance(hint, int) else None
                return register
    except Exception as error:  # a broken sheet's XML, in openpyxl's words
        book.close()
        handle.close()
        raise RegisterFileError(f"{path.name}: tệp Excel bị hỏng ({error})") from None
    book.close()
    handle.close()
    raise _no_header(path)


def _opendocument(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def _numbered(rows: Iterator[tuple[object, ...]]) -> Iterator[Line]:
    yield from enumerate(rows, start=1)


def _take(lines: Iterator[Line]) -> list[Line]:
    head: list[Line] = []
    for line in lines:
        head.append(line)
        if len(head) >= HEADER_SCAN + 1:
            break
    return head


def _no_header(path: Path) -> RegisterFileError:
    return RegisterFileError(
        f"{path.name}: không tìm thấy dòng tiêu đề của sổ trong {HEADER_SCAN} dòng đầu "
        "(cần ít nhất cột “Ngày tiếp nhận” hoặc “Nội dung” và một cột khác như “Họ tên”, "
        "“Số điện thoại”, “Kênh tiếp nhận”, “Lĩnh vực”)"
    )


def decode(data: bytes, name: str) -> str:
    """CSV bytes as text: by BOM, else UTF-8, else Windows-1258; NFC (cp1258 writes tone
    marks as separate combining characters)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise RegisterFileError(f"{name}: tệp UTF-16 bị hỏng") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1258", errors="replace")
    if "\x00" in text:
        raise RegisterFileError(f"{name}: không phải tệp Excel (.xlsx) hay CSV")
    return unicodedata.normalize("NFC", text)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first non-blank lines into the most columns, alike."""
    sample = [line for line in text.splitlines()[:_SNIFF_LINES] if line.strip()]
    best, best_score = ",", -1
    for delimiter in _DELIMITERS:
        counts = [len(next(csv.reader([line], delimiter=delimiter), [])) for line in sample]
        if not counts:
            continue
        # Many columns on the most common width: a title line has one, the table many.
        widest = max(counts)
        score = sum(1 for c in counts if c == widest) * widest if widest > 1 else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _open_csv(path: Path) -> Register:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RegisterFileError(f"không đọc được {path}: {error.strerror or error}") from None
    text = decode(data, path.name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    lines = _csv_lines(reader, path)
    head = _take(lines)
    header = find_header(head)
    if header is None:
        raise _no_header(path)
    return Register(path, "", header, EXCEL_EPOCH, head, lines, rows_hint=text.count("\n") + 1)


def _csv_lines(reader: Any, path: Path) -> Iterator[Line]:
    number = 0
    try:
        for values in reader:
            number += 1
            yield number, [v.strip() for v in values]
    except csv.Error as error:
        raise RegisterFileError(f"{path.name}: dòng {number + 1}: {error}") from None
