"""The look the exported workbooks share (fonts, header row, date formats).

A minimal stand-in: the daily report's helper writes ``reports/xlsx_style.py`` (issue 15
item 2); when it lands, these names move there and this module goes (one way to style).
"""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

FONT_NAME = "Times New Roman"  # Decree 30/2020: administrative documents use it
FONT_SIZE = 12
DATE_TIME_FORMAT = "dd/mm/yyyy hh:mm"  # Vietnamese order; the cell holds a real Excel date
DATE_FORMAT = "dd/mm/yyyy"

_THIN = Side(style="thin", color="808080")
HEADER_FONT = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)


def use_default_font(workbook: Any) -> None:
    """Every cell in ``FONT_NAME`` without styling each one: a streamed (write-only) sheet
    would pay a style object per cell. openpyxl keeps the workbook's default font as the
    first of its font list; there is no public setter for it."""
    from openpyxl.utils.indexed_list import IndexedList

    workbook._fonts = IndexedList([Font(name=FONT_NAME, size=FONT_SIZE)])


def style_header(cell: Any) -> None:
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.border = HEADER_BORDER
    cell.alignment = HEADER_ALIGNMENT
