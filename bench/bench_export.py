"""Queue export at scale (issue 15 item 3): rows/s and peak RSS of ``export_queue`` writing the
whole queue of a demo database to xlsx and to CSV (100k reports; also the largest cache of
bench/cached.py when it is bigger, 1M where a 1M cache exists).

Each export runs in a child process of its own, so its peak RSS (VmHWM) is its own; the child
also samples its RSS at every page, so "memory stays flat" reads as the RSS at the end ÷ the
RSS after the first 5% of the rows. Demo databases are cached under .tmp/bench/export-N (built
once with services.demo.generate at a fixed ``now``, like bench_search).

    .venv/bin/python bench/bench_export.py [--tickets 100000] [--db PATH] [--no-record]
"""

from __future__ import annotations

import argparse
import json
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


def child(db: Path, suffix: str) -> dict[str, Any]:
    """One export in this process: rows, seconds, RSS figures (KiB)."""
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.environment import resolve
    from pakn_desktop.services.queue import QueueQuery, QueueService
    from pakn_desktop.services.queue_export import ExportRequest, export_queue

    database = open_database(resolve(db=f"sqlite:///{db}", data_dir=str(db.parent)))
    service = QueueService(database)
    service.count(QueueQuery())  # imports, names and the count's pages warm: not the export's
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


def run_child(db: Path, suffix: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", suffix, "--db", str(db)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def describe(suffix: str, f: dict[str, Any]) -> str:
    mib = 1024
    return (
        f"{suffix[1:]} {f['rows']:,} rows in {f['seconds']:.1f} s = "
        f"{f['rows'] / f['seconds']:,.0f} rows/s ({f['bytes'] / 1e6:.1f} MB); peak RSS "
        f"{f['peak'] / mib:.0f} MiB (before the export {f['rss_before'] / mib:.0f} MiB); RSS at "
        f"the end ÷ after 5% of the rows {f['rss_end'] / max(f['rss_early'], 1):.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="a migrated sqlite file instead of the cache")
    parser.add_argument("--child", choices=FORMATS, help=argparse.SUPPRESS)
    parser.add_argument("--no-record", action="store_true", help="do not append to README")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.child:
        print(json.dumps(child(args.db, args.child)))
        return 0
    from bench.cached import largest

    dbs = [args.db or ensure_db(args.tickets)]
    bigger = largest()
    if args.db is None and bigger is not None and bigger[1] > args.tickets:
        dbs.append(bigger[0])  # 1M when bench_queue built it (schema at head: db upgrade)
    parts = []
    for db in dbs:
        for suffix in FORMATS:
            figures = run_child(db, suffix)
            text = describe(suffix, figures)
            print(text)
            parts.append(text)
    line = f"- {date.today().isoformat()} bench_export.py (2 cores, shared): " + "; ".join(parts)
    print(line)
    if not args.no_record:
        with (ROOT / "bench" / "README.md").open("a", encoding="utf-8") as readme:
            readme.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
