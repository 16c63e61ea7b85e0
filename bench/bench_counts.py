"""Counts and aggregates after a change: big ÷ small database (target ≤ 2 each, issue 14).

    .venv/bin/python bench/bench_counts.py [--runs 7] [--small PATH] [--big PATH]

On two cached demo databases (default: bench_queue's 10k and the largest cache, see
bench/cached.py; both must be at schema ≥ 0014, run ``pakn-desktop --db sqlite:///PATH db
upgrade`` once), median of warm runs of what the GUI re-reads after a save or a workflow
step: the saved views' counts (``count_views``, every minute too), the queue's total
(``QueueService.count``), ``stats --json``'s figures (``services.stats.collect``) and a
dashboard refresh (``DashboardService.snapshot``, 7 and 30 days). For information, the same
views and total counted on the rows (``data.queue.count_rows``, how they were read before the
tally) and the queue's anchors (still a walk of the sort index). "Now" is a minute and 17 s
after each database's newest report, so the deadline counts have a current minute to count.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    fn()  # warm: pages in the cache, statements compiled
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(path: Path, runs: int) -> dict[str, float]:
    from pakn_desktop.data import queue as q
    from pakn_desktop.data.engine import make_engine
    from pakn_desktop.data.migrate import current_revision
    from pakn_desktop.services.dashboard import DashboardService, preset_range
    from pakn_desktop.services.queue import QueueQuery, QueueService
    from pakn_desktop.services.stats import collect
    from pakn_desktop.ui.queue.saved_views import Picks, count_views, counted_views, view_query

    engine = make_engine(f"sqlite:///{path}")
    revision = current_revision(engine)
    if revision is None or revision < "0014":
        raise SystemExit(f"{path}: schema {revision}; upgrade it first (see the docstring)")
    database: Any = SimpleNamespace(engine=engine)
    with engine.connect() as conn:
        newest = conn.exec_driver_sql("SELECT max(received_at) FROM ticket").scalar()
        station = conn.exec_driver_sql("SELECT code FROM station LIMIT 1").scalar()
    now = datetime.fromisoformat(str(newest)).replace(tzinfo=UTC) + timedelta(seconds=77)
    picks = Picks(now=now, station_code=station)
    service = QueueService(database)
    dashboard = DashboardService(database, clock=lambda: now)

    def rows_counted() -> None:
        with engine.connect() as conn:
            for key in counted_views(picks):
                q.count_rows(conn, view_query(key, picks))

    out = {
        "views": median_ms(lambda: count_views(service, picks), runs),
        "total": median_ms(lambda: service.count(QueueQuery()), runs),
        "stats": median_ms(lambda: collect(database, now=now), runs),
        "dash7": median_ms(lambda: dashboard.snapshot(preset_range("7d", now)), runs),
        "dash30": median_ms(lambda: dashboard.snapshot(preset_range("30d", now)), runs),
        "views_rows": median_ms(rows_counted, max(1, runs // 3)),
        "anchors": median_ms(lambda: service.anchors(QueueQuery(), 100), max(1, runs // 3)),
    }
    with engine.connect() as conn:
        out["reports"] = float(conn.exec_driver_sql("SELECT count(*) FROM ticket").scalar() or 0)
    engine.dispose()
    return out


def main() -> int:
    from cached import CACHE, largest

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--small", type=Path, default=CACHE / "queue-10000" / "pakn.sqlite3")
    parser.add_argument("--big", type=Path)
    args = parser.parse_args()
    big = args.big
    if big is None:
        found = largest()
        if found is None:
            raise SystemExit("no cached database: run bench/bench_queue.py --prepare")
        big = found[0]
    small = measure(args.small, args.runs)
    large = measure(big, args.runs)
    label = (
        f"{large['reports'] / 1e6:g}M"
        if large["reports"] >= 1e6
        else f"{large['reports'] / 1e3:g}k"
    )
    names = {
        "views": "saved-view counts",
        "total": "queue total",
        "stats": "stats --json figures",
        "dash7": "dashboard 7 days",
        "dash30": "dashboard 30 days",
    }
    parts = []
    ok = True
    for key, name in names.items():
        ratio = large[key] / small[key]
        ok &= ratio <= 2
        verdict = "OK" if ratio <= 2 else "FAIL"
        parts.append(
            f"{name} {small[key]:.2f} → {large[key]:.2f} ms: {label}/10k {ratio:.2f} {verdict}"
        )
    print(f"{int(small['reports']):,} and {int(large['reports']):,} reports; target ≤ 2 each")
    for line in parts:
        print(" ", line)
    print(
        f"  for information: the same views counted on the rows {small['views_rows']:.1f} →"
        f" {large['views_rows']:.1f} ms; the queue's anchors (every 100th key, an index walk)"
        f" {small['anchors']:.1f} → {large['anchors']:.1f} ms"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
