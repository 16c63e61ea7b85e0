"""The row-level result of a register import, written next to the register as CSV.

``<register>.ket-qua-nhap.csv``: UTF-8 with BOM (Excel opens it with its accents right), one
line per row taken in, already there, skipped or refused, and one per warning. CSV, not xlsx:
it streams as the import goes, for a register of any length, and opens in Excel as well.
No personal data: row numbers, columns, reasons and case codes only.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from pakn_desktop.reports.atomic_file import atomic_path

SUFFIX = ".ket-qua-nhap.csv"
HEADER = ("Dòng", "Kết quả", "Cột", "Lý do", "Mã hồ sơ")

TAKEN = "Đã nhập"
ALREADY = "Đã có, không nhập lại"
ERROR = "Lỗi, không nhập"
WARNING = "Cảnh báo"
SKIPPED = "Bỏ qua"
NOT_REACHED = "Chưa nhập (đã dừng)"

Line = tuple[int, str, str, str, str]  # row, outcome, column, reason, case code


def report_path(register: Path) -> Path:
    return register.with_name(register.name + SUFFIX)


def write_report(register: Path, lines: Iterable[Line]) -> Path:
    """Write the report (whole or not at all) and return its path; OSError is the caller's."""
    out = report_path(register)
    with atomic_path(out) as temp, temp.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(lines)
    return out
