"""Queue export at scale (issue 15): rows/s of ``export_queue`` writing the whole queue of a
demo database to xlsx and CSV ÷ raw openpyxl ``write_only`` (lxml) writing the same values,
the GUI's frame gaps while an export runs on the queue screen's worker ÷ idle, and peak RSS
at two sizes.

Targets: xlsx export rows/s ÷ raw openpyxl ≥ 0.8; frame gap p95 exporting ÷ idle ≤ 1.5;
peak RSS at the largest size ÷ the first ≤ 1.2 (the issue's sizes are 1M and 100k).

Every measurement runs in a child process of its own, so its peak RSS (VmHWM) is its own:

- ``export``: ``export_queue`` to a file; the child samples RSS at every page too, so "memory
  stays flat" also reads as the RSS at the end ÷ after the first 5% of the rows.
- ``raw``: the very values the export writes (read with the export's own page reader, off the
  clock, dates already on the office's wall clock), then, timed, a bare
  ``Workbook(write_only=True)`` appending them row by row and saving (and, for information,
  ``csv.writer`` writing them).
- ``frames``: an offscreen window with the queue screen's export (``QueueExport.export_to``:
  the job bar over a ``Tasks`` read lane, progress and all); a 16 ms ``QTimer`` repaints the
  window and records the real interval between ticks, first idle, then while the export runs
  (``--frame-seconds`` each; the export is then cancelled through the job bar).

Demo databases are cached under .tmp/bench/export-N (built once with services.demo.generate
at a fixed ``now``; ~160 s per 100k reports here).

    .venv/bin/python bench/bench_export.py [--rows 100000 [300000 ...]] [--db PATH]
        [--frame-seconds 10] [--no-record]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".tmp" / "bench"
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
FORMATS = (".xlsx", ".csv")
MIB = 1024


def ensure_db(tickets: int) -> Path:
    """The sqlite file of a cached demo database of ``tickets`` reports (built once)."""
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.demo import generate
    from pakn_desktop.services.environment import resolve

    folder = CACHE / f"export-{tickets}"
    if (folder / "READY").exists():
        return folder / "pakn.sqlite3"
    folder.mkdir(parents=True, exist_ok=True)
    for item in folder.iterdir():
        item.unlink()
    started = time.perf_counter()
    database = open_database(resolve(data_dir=str(folder)))
    try:
        made = generate(database, tickets, seed=1, now=NOW)
    finally:
        database.close()
    (folder / "READY").write_text(f"{made}\n")
    print(f"built {folder.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return folder / "pakn.sqlite3"


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _open(db: Path) -> tuple[Any, Any]:
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.environment import resolve
    from pakn_desktop.services.queue import QueueQuery, QueueService

    database = open_database(resolve(db=f"sqlite:///{db}", data_dir=str(db.parent)))
    service = QueueService(database)
    service.count(QueueQuery())  # imports, names and the count's pages warm: not the export's
    return database, service


def export_child(db: Path, suffix: str) -> dict[str, Any]:
    """One export in this process: rows, seconds, RSS figures (KiB)."""
    from pakn_desktop.services.queue import QueueQuery
    from pakn_desktop.services.queue_export import ExportRequest, export_queue

    database, service = _open(db)
    samples: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        samples.append((done, _rss_kib("VmRSS")))

    before = _rss_kib("VmRSS")
    with tempfile.TemporaryDirectory(dir=db.parent) as folder:
        out = Path(folder) / f"queue{suffix}"
        started = time.perf_counter()
        result = export_queue(service, ExportRequest(QueueQuery()), out, progress=progress)
        seconds = time.perf_counter() - started
        size = out.stat().st_size
    database.close()
    rows = result.rows
    early = next((rss for done, rss in samples if done >= rows // 20), samples[0][1])
    return {
        "rows": rows,
        "seconds": seconds,
        "bytes": size,
        "rss_before": before,
        "rss_early": early,
        "rss_end": samples[-1][1],
        "peak": _rss_kib("VmHWM"),
    }


def raw_child(db: Path) -> dict[str, Any]:
    """The export's values (read off the clock), then bare openpyxl and csv writing them."""
    import csv

    from openpyxl import Workbook

    from pakn_desktop.reports.queue_export import CSV_DATE_FORMAT, excel_time
    from pakn_desktop.services import queue_export as qe
    from pakn_desktop.services.queue import QueueQuery

    database, service = _open(db)
    request = qe.ExportRequest(QueueQuery())
    titles = [c.title for c in qe.columns_of(request)]
    rows: list[list[Any]] = []
    with service.connection() as conn:
        for batch in qe._batches(service, conn, request, qe.PAGE, None, None):
            rows += (
                [excel_time(v) if isinstance(v, datetime) else v for v in values]
                for values in batch
            )
    database.close()
    with tempfile.TemporaryDirectory(dir=db.parent) as folder:
        started = time.perf_counter()
        book = Workbook(write_only=True)
        sheet = book.create_sheet("raw")
        sheet.append(titles)
        for values in rows:
            sheet.append(values)
        book.save(Path(folder) / "raw.xlsx")
        xlsx_seconds = time.perf_counter() - started
        started = time.perf_counter()
        with (Path(folder) / "raw.csv").open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(titles)
            writer.writerows(
                [v.strftime(CSV_DATE_FORMAT) if isinstance(v, datetime) else v for v in values]
                for values in rows
            )
        csv_seconds = time.perf_counter() - started
    return {"rows": len(rows), "xlsx_seconds": xlsx_seconds, "csv_seconds": csv_seconds}


def frames_child(db: Path, seconds: float) -> dict[str, Any]:
    """Frame gaps idle, then while the queue screen's export runs on its worker."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView, QVBoxLayout, QWidget

    from pakn_desktop.services.queue import QueueQuery
    from pakn_desktop.ui.queue.export import KEYS, QueueExport
    from pakn_desktop.ui.queue.selection import RowSelection
    from pakn_desktop.ui.tasks import Tasks

    app = QApplication.instance() or QApplication([])
    assert app is not None
    database, service = _open(db)
    tasks = Tasks()
    screen = QWidget()
    table = QTableView(screen)
    table.setModel(QStandardItemModel(0, len(KEYS), table))
    query = QueueQuery()
    export = QueueExport(
        screen,
        table,
        lambda: query,
        lambda: RowSelection(query, ()),
        lambda: "operator",
        service,
        tasks,
    )
    layout = QVBoxLayout(screen)
    layout.addWidget(table, 1)
    layout.addWidget(export.job)
    screen.resize(1000, 700)
    screen.show()
    clock = QElapsedTimer()
    gaps: list[float] = []

    def tick() -> None:
        gaps.append(clock.nsecsElapsed() / 1e6)
        clock.restart()
        screen.repaint()

    timer = QTimer(interval=16)
    timer.timeout.connect(tick)
    loop = QEventLoop()

    def measure(start: Any = None) -> list[float]:
        gaps.clear()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        clock.start()
        timer.start()
        if start is not None:
            start()
        loop.exec()
        timer.stop()
        return gaps[1:]

    idle = measure()
    finished: list[object] = []
    export.exported.connect(finished.append)
    export.failed.connect(finished.append)
    with tempfile.TemporaryDirectory(dir=db.parent) as folder:
        busy = measure(lambda: export.export_to(Path(folder) / "queue.xlsx"))
        shown = export.job.progress.value()
        export.job.cancel()
        tasks.shutdown()
    database.close()
    idle_p95, busy_p95 = percentile(idle, 0.95), percentile(busy, 0.95)
    return {
        "idle_p95": idle_p95,
        "busy_p95": busy_p95,
        "busy_max": max(busy),
        "frames": len(busy),
        "progress": shown / 10,
        "finished": bool(finished),
    }


def run_child(db: Path, mode: str, *extra: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--db", str(db), *extra],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def describe(suffix: str, f: dict[str, Any]) -> str:
    return (
        f"{suffix[1:]} {f['rows']:,} rows in {f['seconds']:.1f} s = "
        f"{f['rows'] / f['seconds']:,.0f} rows/s ({f['bytes'] / 1e6:.1f} MB), peak RSS "
        f"{f['peak'] / MIB:.0f} MiB (before the export {f['rss_before'] / MIB:.0f} MiB), RSS at "
        f"the end ÷ after 5% of the rows {f['rss_end'] / max(f['rss_early'], 1):.2f}"
    )


def verdict(ok: bool) -> str:
    return "OK" if ok else "FAIL"


def measure(dbs: list[tuple[Path, int]], frame_seconds: float) -> list[str]:
    """The figures of one run, as the README line's parts."""
    (base, base_rows), bigger = dbs[0], dbs[1:]
    parts: list[str] = []
    exports = {suffix: run_child(base, suffix) for suffix in FORMATS}
    raw = run_child(base, "raw")
    for suffix in FORMATS:
        export = exports[suffix]
        rate = export["rows"] / export["seconds"]
        raw_rate = raw["rows"] / raw[f"{suffix[1:]}_seconds"]
        text = (
            f"{describe(suffix, export)}; raw {raw_rate:,.0f} rows/s, ÷ raw {rate / raw_rate:.2f}"
        )
        if suffix == ".xlsx":
            text += f" (target ≥ 0.8) {verdict(rate / raw_rate >= 0.8)}"
        print(text)
        parts.append(text)
    frames = run_child(base, "frames", "--frame-seconds", str(frame_seconds))
    ratio = frames["busy_p95"] / frames["idle_p95"]
    text = (
        f"frame gap p95 exporting xlsx {frames['busy_p95']:.1f} ms ÷ idle "
        f"{frames['idle_p95']:.1f} ms: {ratio:.2f} (target ≤ 1.5) {verdict(ratio <= 1.5)} "
        f"(max {frames['busy_max']:.1f} ms, {frame_seconds:g} s each, export at "
        f"{frames['progress']:.0f}% when cancelled)"
    )
    print(text)
    parts.append(text)
    for db, rows in bigger:
        for suffix in FORMATS:
            export = run_child(db, suffix)
            growth = export["peak"] / exports[suffix]["peak"]
            text = (
                f"at {rows:,}: {describe(suffix, export)}; peak RSS {rows:,} ÷ {base_rows:,} "
                f"{growth:.2f} (target ≤ 1.2 for 1M ÷ 100k) {verdict(growth <= 1.2)}"
            )
            print(text)
            parts.append(text)
    return parts


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--rows",
        "--tickets",
        type=int,
        nargs="+",
        default=[100_000],
        help="demo database sizes; the first is the base of every ratio",
    )
    parser.add_argument("--db", type=Path, help="a migrated sqlite file instead of the cache")
    parser.add_argument("--frame-seconds", type=float, default=10.0)
    parser.add_argument("--child", choices=(*FORMATS, "raw", "frames"), help=argparse.SUPPRESS)
    parser.add_argument("--no-record", action="store_true", help="do not append to README")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.child:
        if args.child == "raw":
            figures = raw_child(args.db)
        elif args.child == "frames":
            figures = frames_child(args.db, args.frame_seconds)
        else:
            figures = export_child(args.db, args.child)
        print(json.dumps(figures))
        return 0
    if args.db is not None:
        dbs = [(args.db.resolve(), args.rows[0])]
    else:
        dbs = [(ensure_db(rows), rows) for rows in args.rows]
    parts = measure(dbs, args.frame_seconds)
    line = (
        f"- {date.today().isoformat()} bench_export.py ({os.cpu_count()} cores, shared), "
        f"whole queue, masked, {' and '.join(f'{r:,}' for _, r in dbs)} demo reports: "
        + "; ".join(parts)
    )
    print(line)
    if not args.no_record:
        with (ROOT / "bench" / "README.md").open("a", encoding="utf-8") as readme:
            readme.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
