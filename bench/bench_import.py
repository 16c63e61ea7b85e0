"""Register import benchmark (issue 15): import rows/s ÷ raw openpyxl ``read_only`` reading the
same file (target ≥ 0.5).

    .venv/bin/python bench/bench_import.py [--rows 20000]

Builds a register of ``--rows`` rows (title rows, a two-row header, dates as Excel dates,
serials and text, phones in several forms, synonyms), then times, on the same file:
1. raw: ``openpyxl.load_workbook(read_only=True)`` and every row's values;
2. the dry run (``import_register(dry_run=True)``: reading, mapping, checking every row, and
   the import-key look-ups) on a fresh migrated SQLite database;
3. the import itself (every row saved through the intake's store, 500 reports a transaction,
   each commit fsync'd), on another fresh database.
Prints rows/s of each and the ratios to raw. openpyxl and the application are imported before
any clock starts (raw used to pay for importing openpyxl, the import did not).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
CHANNELS = ("Đường dây nóng", "Email", "Cổng thông tin", "Zalo", "Fanpage", "Trực tiếp")
CATEGORIES = ("Trật tự đô thị", "Môi trường", "Cấp thoát nước", "Chiếu sáng", "Giao thông")
RESULTS = ("Đã xử lý", "Đang xử lý", "", "Chưa xử lý")


def build(path: Path, rows: int) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Sổ")
    sheet.append(["UBND TỈNH AN GIANG"])
    sheet.append(["SỔ THEO DÕI TIẾP NHẬN PHẢN ÁNH, KIẾN NGHỊ"])
    sheet.append([])
    sheet.append(["STT", "Thời gian tiếp nhận", None, "Người phản ánh", None, "Kênh tiếp nhận",
                  "Lĩnh vực", "Nội dung phản ánh, kiến nghị", "Kết quả xử lý"])  # fmt: skip
    sheet.append([None, "Ngày", "Giờ", "Họ và tên", "Điện thoại"])
    start = datetime(2026, 1, 1, 7, 0)
    for i in range(rows):
        moment = start + timedelta(minutes=17 * i % (330 * 24 * 60))
        date: object = (
            moment,
            moment.strftime("%d/%m/%Y"),
            (moment - datetime(1899, 12, 30)).days,
        )[i % 3]
        phone = (f"09{i % 100_000_000:08d}", f"+84 9{i % 100_000_000:08d}", 900000000 + i)[i % 3]
        sheet.append([
            i + 1, date, moment.strftime("%H:%M"), f"Người dân số {i}", phone,
            CHANNELS[i % len(CHANNELS)], CATEGORIES[i % len(CATEGORIES)],
            f"Phản ánh số {i} về lấn chiếm vỉa hè, rác thải và ngập nước tại khu phố {i % 97}",
            RESULTS[i % len(RESULTS)],
        ])  # fmt: skip
    book.save(path)


def raw_read(path: Path) -> int:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return count


def run_import(folder: Path, path: Path, *, dry_run: bool) -> tuple[float, int]:
    """(seconds, reports) of the import alone: the database is created and migrated, and the
    reference lists read, before the clock starts."""
    from pakn_desktop.data.migrate import upgrade
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.environment import resolve
    from pakn_desktop.services.intake.service import IntakeService
    from pakn_desktop.services.reports.register_import import import_register

    database = open_database(resolve(data_dir=str(folder)))
    upgrade(database.engine)
    try:
        intake = IntakeService(database, clock=lambda: NOW)
        intake.reference()
        started = time.perf_counter()
        result = import_register(database, intake, path, dry_run=dry_run, now=NOW)
        seconds = time.perf_counter() - started
    finally:
        database.close()
    assert not result.errors, result.errors[:3]
    return seconds, result.imported


def timed(fn: object) -> tuple[float, int]:
    started = time.perf_counter()
    count = fn()  # type: ignore[operator]
    return time.perf_counter() - started, int(count)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    import openpyxl  # noqa: F401  loaded before either clock starts

    import pakn_desktop.services.reports.register_import  # noqa: F401

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "so.xlsx"
        build(path, args.rows)
        raw_s, raw_n = timed(lambda: raw_read(path))
        dry_s, dry_n = run_import(folder / "dry", path, dry_run=True)
        imp_s, imp_n = run_import(folder / "real", path, dry_run=False)
    raw_rate = raw_n / raw_s
    print(f"rows: {args.rows}")
    print(f"raw openpyxl read_only: {raw_rate:,.0f} rows/s ({raw_s:.2f} s)")
    for name, seconds, count in (("dry run", dry_s, dry_n), ("import", imp_s, imp_n)):
        rate = count / seconds
        print(f"{name}: {rate:,.0f} rows/s ({seconds:.2f} s); ÷ raw = {rate / raw_rate:.2f}")
    print("target: import ÷ raw ≥ 0.5")


if __name__ == "__main__":
    main()
