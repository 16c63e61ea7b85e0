"""Plain values streamed into an openpyxl ``write_only`` sheet, one XML element per row.

openpyxl's own ``append`` binds every value to a cell object (type checks, a coordinate, a
style look-up) and writes it through three nested ``xf.element`` contexts: over half of a queue
export's time went there. :func:`plain_rows` switches a sheet, once its styled header row is
written, to rows built as one element tree by lxml (the same XML: inline strings, Excel serial
dates with one date style) and handed to the same stream, so the workbook, its parts and the
spill file stay openpyxl's. Relies on ``WriteOnlyWorksheet._values_to_row`` and
``WorksheetWriter.write_row`` (openpyxl 3.1, pinned in requirements.lock; the export tests
read every cell back).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

# openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE, spelt out: the control characters XML cannot hold
# (importing openpyxl here would load it for a CSV export too).
ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def plain_rows(sheet: Any, date_format: str) -> None:
    """From now on ``sheet.append`` takes plain values (str, naive datetime, number, bool,
    None) and writes each row as one element: strings as inline text (never a formula),
    datetimes as Excel dates in ``date_format``. Call after the header row is appended."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.xml.functions import fromstring

    sample = WriteOnlyCell(sheet, datetime(2000, 1, 1))
    sample.number_format = date_format
    row_xml = RowXml(str(sample.style_id), sheet.parent.epoch)  # the date style, registered

    def write_row(xf: Any, values: Sequence[Any], row_idx: int) -> None:
        xf.write(fromstring(row_xml(values, row_idx)))

    sheet._values_to_row = lambda values, _row_idx: values
    sheet._writer.write_row = write_row


class RowXml:
    """A row's ``<row>`` element as text. Text built in Python and parsed once by lxml was ~1.6 ×
    cheaper than an lxml element per cell, and 1.5–2 × openpyxl's cells (zip included)."""

    def __init__(self, date_style: str, epoch: datetime) -> None:
        self._date_style = date_style
        self._epoch = epoch
        self._letters: list[str] = []

    def __call__(self, values: Sequence[Any], row_idx: int) -> str:
        from openpyxl.compat import safe_string
        from openpyxl.utils import get_column_letter
        from openpyxl.utils.datetime import to_excel

        letters = self._letters
        while len(letters) < len(values):
            letters.append(get_column_letter(len(letters) + 1))
        number = str(row_idx)
        parts = [f'<row r="{number}">']
        for letter, value in zip(letters, values, strict=False):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                if ILLEGAL.search(value):
                    value = ILLEGAL.sub("", value)
                space = ' xml:space="preserve"' if value != value.strip() else ""
                parts.append(
                    f'<c r="{letter}{number}" t="inlineStr"><is><t{space}>'
                    f"{escape(value)}</t></is></c>"
                )
            elif isinstance(value, datetime):
                if value.tzinfo is not None:
                    raise TypeError("Excel has no time zones: give the wall-clock time")
                serial = safe_string(to_excel(value, self._epoch))
                parts.append(
                    f'<c r="{letter}{number}" s="{self._date_style}" t="n"><v>{serial}</v></c>'
                )
            elif isinstance(value, bool):
                parts.append(f'<c r="{letter}{number}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float):
                parts.append(f'<c r="{letter}{number}" t="n"><v>{safe_string(value)}</v></c>')
            else:
                raise TypeError(f"cannot write {type(value).__name__} to a cell")
        parts.append("</row>")
        return "".join(parts)
