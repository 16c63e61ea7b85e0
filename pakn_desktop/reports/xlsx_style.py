"""The administrative look every exported workbook shares (Decree 30/2020/NĐ-CP layout).

A heading block (issuing body and number on the left, the national heading and the place and
date line on the right, the title centred below), Times New Roman throughout, tables with a
bold bordered header, frozen below it and filtered, A4 print set-up fitting the width with the
header rows repeated and the page number in the footer; the atomic save (temp, fsync, rename);
a streamed (write-only) workbook for long lists such as the queue's export.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pakn_desktop.domain.letterhead import date_line
from pakn_desktop.reports.atomic_file import atomic_path

FONT_NAME = "Times New Roman"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DATE_TIME_FORMAT = "dd/mm/yyyy hh:mm"
PERCENT_FORMAT = "0.0%"
LINE_HEIGHT = 15.75  # points per line of 12 pt text
CHAR_WIDTH = 1.1  # column-width units per Vietnamese character of Times New Roman 12
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
BODY_STYLE = "Bảng - nội dung"  # a named style: Excel lists it under Cell Styles
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def font(size: float = 12, *, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


BODY_FONT = font()


def new_workbook() -> Workbook:
    """A workbook whose default (Normal) style is Times New Roman 12."""
    book = Workbook()
    normal = next(s for s in book._named_styles if s.name == "Normal")  # noqa: SLF001
    normal.font = font()
    return book


def streaming_workbook() -> Workbook:
    """A write-only workbook (rows streamed, a million in flat memory) whose unstyled cells
    are Times New Roman 12. Styling each cell would cost a style per cell, and LibreOffice
    ignores Normal's font: the font every unstyled cell points at (the first of the font
    list, which openpyxl has no public setter for) is replaced instead."""
    from openpyxl.utils.indexed_list import IndexedList

    book = Workbook(write_only=True)
    book._fonts = IndexedList([font()])  # noqa: SLF001
    return book


def heading(
    sheet: Worksheet,
    *,
    columns: int,
    issuer: str,
    number: str,
    place: str,
    day: date,
    title: str,
    subtitle: str = "",
) -> int:
    """Write the heading block over ``columns`` columns; return the first free row."""
    left = max(1, columns // 3)
    right_first = left + 1

    def put(row: int, first: int, last: int, text: str, style: Font) -> None:
        if last > first:
            sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        cell = sheet.cell(row=row, column=first, value=text)
        cell.font = style
        cell.alignment = CENTER

    put(1, 1, left, issuer.upper(), font(12, bold=True))
    put(2, 1, left, "———", font(12))
    put(3, 1, left, f"Số: {number}", font(13))
    put(1, right_first, columns, NATION, font(12, bold=True))
    put(2, right_first, columns, MOTTO, font(13, bold=True))
    put(3, right_first, columns, date_line(place, day), font(13, italic=True))
    sheet.row_dimensions[1].height = 33
    put(5, 1, columns, title.upper(), font(14, bold=True))
    row = 6
    if subtitle:
        put(row, 1, columns, subtitle, font(13, italic=True))
        row += 1
    return row + 1


def table(
    sheet: Worksheet,
    row: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    formats: Sequence[str | None] = (),
    freeze: bool = True,
    filters: bool = True,
    header_height: float = 33,
    col_widths: Sequence[float] = (),
) -> int:
    """A bordered table with its header at ``row``; freezes panes and filters below the
    header and repeats the header on every printed page. Returns the first row after it."""
    for col, text in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=col, value=text)
        cell.font = font(12, bold=True)
        cell.alignment = CENTER
        cell.fill = HEADER_FILL
        cell.border = BORDER
    sheet.row_dimensions[row].height = max(header_height, LINE_HEIGHT * _lines(headers, col_widths))
    widths(sheet, col_widths)
    body = body_style(sheet.parent)
    for r, values in enumerate(rows, start=row + 1):
        lines = _lines(values, col_widths)
        if lines > 1:
            sheet.row_dimensions[r].height = LINE_HEIGHT * lines
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=col, value=value)
            cell.style = body  # font given explicitly: LibreOffice ignores Normal's font
            fmt = formats[col - 1] if col - 1 < len(formats) else None
            if fmt:
                cell.number_format = fmt
    last = row + max(len(rows), 1)
    if freeze:
        sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
        sheet.print_title_rows = f"{row}:{row}"
    if filters:
        sheet.auto_filter.ref = f"A{row}:{get_column_letter(len(headers))}{last}"
    return last + 1


def body_style(book: Workbook) -> str:
    """The name of a table cell's style (Times New Roman, bordered, wrapped), added to
    ``book`` once: one named style per cell is four times faster than setting a font, a
    border and an alignment on each (openpyxl hashes every style object it is given)."""
    if BODY_STYLE not in book.named_styles:
        book.add_named_style(
            NamedStyle(name=BODY_STYLE, font=font(), border=BORDER, alignment=WRAP)
        )
    return BODY_STYLE


def _lines(values: Sequence[Any], col_widths: Sequence[float]) -> int:
    """The lines the longest wrapped text of a row takes: LibreOffice and Excel keep a
    row's stored height, so a row of wrapped text would otherwise overlap the next."""
    most = 1
    for value, width in zip(values, col_widths, strict=False):
        if isinstance(value, str) and value:
            most = max(most, math.ceil(len(value) * CHAR_WIDTH / max(width - 1, 1)))
    return min(most, 8)


def widths(sheet: Worksheet, values: Sequence[float]) -> None:
    for col, width in enumerate(values, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width


def print_setup(sheet: Worksheet, *, landscape: bool = False) -> None:
    """A4, fit to the page width (as many pages down as needed), page numbers in the footer."""
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4  # a streamed sheet lacks the name
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left, margins.right, margins.top, margins.bottom = 0.6, 0.5, 0.6, 0.7
    sheet.oddFooter.center.text = "Trang &P / &N"
    sheet.oddFooter.center.font = f"{FONT_NAME},Regular"
    sheet.oddFooter.center.size = 10


class Cancelled(Exception):
    """The user cancelled an export: nothing was written."""


def save_atomically(book: Workbook, out: Path, cancelled: Callable[[], bool] | None = None) -> Path:
    """Save ``book`` to ``out`` through a temporary file in the same folder, renamed into
    place (``reports.atomic_file``): a failure (disk full, a crash) leaves no half-written
    workbook at ``out``, and ``cancelled()`` true before the rename raises
    :class:`Cancelled`, leaving none either."""
    out = Path(out)
    with atomic_path(out) as temp:
        book.save(temp)
        if cancelled is not None and cancelled():
            raise Cancelled
    return out
