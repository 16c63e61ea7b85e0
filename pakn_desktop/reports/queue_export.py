"""Queue rows to xlsx or CSV, streamed: the rows come in batches and never all sit in memory.

No database and no Qt here: the service (services/queue_export.py) reads the keyset pages,
masks identities and hands this module plain values. xlsx is openpyxl's ``write_only`` mode
(lxml serialises it); CSV is UTF-8 with a BOM, so Excel opens the Vietnamese right.
Both are written through :func:`atomic_path`: a cancel or a failure leaves no file.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pakn_desktop.domain.office_time import OFFICE_ZONE
from pakn_desktop.reports.atomic_file import atomic_path


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # Vietnamese, as the queue's header says it
    width: float  # Excel character widths
    dates: bool = False  # holds instants: real Excel dates on the office's clock


# The queue table's columns in its order (ui/queue/model.py), then the reporter's, which only
# an export that reveals identities carries.
QUEUE_COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã hồ sơ", 27),
    Column("received_at", "Tiếp nhận", 18, dates=True),
    Column("channel", "Kênh", 16),
    Column("category", "Lĩnh vực", 22),
    Column("kind", "Loại", 14),
    Column("commune", "Xã/phường", 20),
    Column("summary", "Tóm tắt", 60),
    Column("status", "Trạng thái", 16),
    Column("unit", "Đơn vị xử lý", 28),
    Column("due_at", "Hạn xử lý", 17, dates=True),
    Column("forward", "Hạn chuyển", 17, dates=True),
)
IDENTITY_COLUMNS: tuple[Column, ...] = (
    Column("reporter", "Người phản ánh", 24),
    Column("phone", "Số điện thoại", 16),
    Column("address", "Địa chỉ người phản ánh", 36),
)
COLUMNS: dict[str, Column] = {c.key: c for c in (*QUEUE_COLUMNS, *IDENTITY_COLUMNS)}
SHEET_TITLE = "Hàng đợi"
CSV_DATE_FORMAT = "%Y-%m-%d %H:%M"  # ISO order: Excel reads it as a date in any locale

Batches = Iterable[Sequence[Sequence[Any]]]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[\d\s.()]+")


def excel_time(value: datetime) -> datetime:
    """An aware instant as the office's wall clock, without a zone (Excel has none)."""
    return value.astimezone(OFFICE_ZONE).replace(tzinfo=None)


def write(out: Path, columns: Sequence[Column], batches: Batches) -> int:
    """Rows written to ``out`` as xlsx or CSV by its suffix; how many rows."""
    if out.suffix.lower() == ".csv":
        return write_csv(out, columns, batches)
    return write_xlsx(out, columns, batches)


def write_xlsx(out: Path, columns: Sequence[Column], batches: Batches) -> int:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    from pakn_desktop.reports import xlsx_style as style
    from pakn_desktop.reports.xlsx_rows import plain_rows

    book = style.streaming_workbook()
    sheet = book.create_sheet(SHEET_TITLE)
    style.widths(sheet, [c.width for c in columns])
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    style.print_setup(sheet, landscape=True)
    header_font = style.font(12, bold=True)
    dated = [i for i, c in enumerate(columns) if c.dates]
    rows = 0
    with atomic_path(out) as temp:
        try:
            header = []
            for column in columns:
                cell = WriteOnlyCell(sheet, column.title)
                cell.font, cell.fill = header_font, style.HEADER_FILL
                cell.border, cell.alignment = style.BORDER, style.CENTER
                header.append(cell)
            sheet.append(header)
            # Then rows of plain values, one element each: a citizen's words stay text (never
            # a formula), control characters XML cannot hold are dropped, dates are Excel's.
            plain_rows(sheet, style.DATE_TIME_FORMAT)
            for batch in batches:
                for values in batch:
                    if dated:
                        values = list(values)
                        for i in dated:
                            value = values[i]
                            if isinstance(value, datetime):
                                values[i] = excel_time(value)
                    sheet.append(values)
                rows += len(batch)
        except BaseException:
            _discard(sheet)
            raise
        last = get_column_letter(max(len(columns), 1))
        sheet.auto_filter.ref = f"A1:{last}{rows + 1}"
        book.save(temp)
    return rows


def _discard(sheet: Any) -> None:
    """Close a half-written streamed sheet in order and remove its spill file: left to the
    garbage collector, lxml's writer fails closing out of order and the file stays in /tmp."""
    writer = sheet._writer
    if writer is None:
        return
    with contextlib.suppress(Exception):
        if sheet._rows is not None:
            sheet._rows.close()
        writer.close()
    with contextlib.suppress(Exception):
        writer.cleanup()


def write_csv(out: Path, columns: Sequence[Column], batches: Batches) -> int:
    rows = 0
    with atomic_path(out) as temp, temp.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([c.title for c in columns])
        for batch in batches:
            writer.writerows([_csv_value(v) for v in values] for values in batch)
            rows += len(batch)
    return rows


def tsv(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> str:
    """Rows as tab-separated text, the header first: Excel pastes it as rows and columns.
    Tabs and line breaks inside a cell become spaces (a paste has no quoting Excel trusts)."""
    lines = ["\t".join(c.title for c in columns)]
    for values in rows:
        lines.append("\t".join(" ".join(_csv_value(v).split()) for v in values))
    return "\r\n".join(lines) + "\r\n"


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return excel_time(value).strftime(CSV_DATE_FORMAT)
    text = str(value)
    if text.startswith(_FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        # Excel runs a cell that starts so as a formula ("=HYPERLINK(…)" in a citizen's
        # summary); the apostrophe keeps it text. A phone number "+84 …" stays as it is.
        return "'" + text
    return text
