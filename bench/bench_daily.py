"""The daily report's export (figures + workbook) on the largest cached demo database.

    .venv/bin/python bench/bench_daily.py [--tickets 100000] [--db PATH --now ISO]

Uses ``bench.cached.largest()`` (bench_queue's demo databases: "now" is bench_queue's NOW),
else builds ``.tmp/bench/daily-N`` with N demo reports. Opened read-only. Prints the time of
``daily_figures`` (the SQL) and of ``write_daily`` (openpyxl + save), for the day before the
demo's "now" and for a 7-day period; no target, a figure to watch.
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
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)  # bench_queue's demo "now"


def _build(tickets: int) -> Path:
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.demo import generate
    from pakn_desktop.services.environment import resolve

    folder = ROOT / ".tmp" / "bench" / f"daily-{tickets}"
    if not (folder / "READY").exists():
        folder.mkdir(parents=True, exist_ok=True)
        database = open_database(resolve(data_dir=str(folder)))
        try:
            generate(database, tickets, seed=1, now=NOW)
        finally:
            database.close()
        (folder / "READY").write_text(str(tickets))
    return folder / "pakn.sqlite3"


def main() -> int:
    from bench.bench_dashboard import open_read_only
    from bench.cached import largest
    from pakn_desktop.domain.daily_figures import daily_period
    from pakn_desktop.reports.daily_workbook import write_daily
    from pakn_desktop.services.reports.daily import daily_figures

    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--now", type=datetime.fromisoformat, default=NOW)
    args = parser.parse_args()
    found = largest()
    path = args.db or (found[0] if found else _build(args.tickets))
    database: object = open_read_only(path)
    day = (args.now + timedelta(hours=7)).date()
    with tempfile.TemporaryDirectory() as folder:
        for days in (1, 7):
            tick = time.perf_counter()
            figures = daily_figures(database, daily_period(day, days=days), now=args.now)  # type: ignore[arg-type]
            sql = time.perf_counter() - tick
            tick = time.perf_counter()
            write_daily(figures, Path(folder) / f"daily-{days}.xlsx")
            book = time.perf_counter() - tick
            print(
                f"{path.parent.name}: {days}-day report, {figures.headline.received} received, "
                f"{len(figures.overdue)} overdue: figures {sql:.2f} s, workbook {book:.2f} s"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
