"""Dashboard refresh after one report changes, at 1M reports: GUI thread vs worker.

    .venv/bin/python bench/bench_dashboard.py [--tickets 1000000] [--runs 60]

A refresh is two parts: the worker runs the aggregates (``DashboardService.snapshot``, SQL
GROUP BY), then the GUI thread swaps the numbers into the existing plot items and repaints.
Only the second part blocks the GUI; target (issue 8): ≤ 4 ms at 1M reports. Measured here:
- worker: ``snapshot`` for the 7-day and 30-day ranges (warm, median of a few);
- GUI thread: ``DashboardScreen.apply`` of a snapshot that differs from the shown one by one
  report (one intake bucket +1, one deadline state ±1 — what a save changes) plus a
  synchronous ``repaint()`` of the screen, alternating two such snapshots; p50/p95.

Uses bench_queue's cached demo database (.tmp/bench/queue-N, ``--prepare`` there builds it),
opened read-only; it must be at schema 0007 or later (the deadline states read
``ticket.at_risk_at``), or pass ``--db`` (and ``--now``, the time it was generated at) for
another demo database. Offscreen platform (raster painting).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".tmp" / "bench"
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)  # bench_queue's demo "now"
TARGET_MS = 4.0


def open_read_only(path: Path) -> object:
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from pakn_desktop.services.database import Database

    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    return Database(engine=engine, sessions=sessionmaker(engine))


def one_report_changed(snap: object, sign: int) -> object:
    """``snap`` as if one report had been saved (+1) or that save undone (-1)."""
    intake = snap.intake  # type: ignore[attr-defined]
    counts = [list(row) for row in intake.counts]
    counts[0][-1] = max(counts[0][-1] + sign, 0)
    states = dict(snap.by_state)  # type: ignore[attr-defined]
    states["on_track"] = max(states["on_track"] + sign, 0)
    return replace(
        snap,  # type: ignore[type-var]
        intake=replace(intake, counts=tuple(tuple(r) for r in counts)),
        by_state=states,
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=60)
    # Another demo database (schema ≥ 0007: the deadline states read ticket.at_risk_at) and
    # the "now" it was generated at.
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--now", type=datetime.fromisoformat, default=NOW)
    args = parser.parse_args()
    path = args.db or CACHE / f"queue-{args.tickets}" / "pakn.sqlite3"
    now = args.now
    if not path.exists():
        print(f"no cached database {path}: run bench/bench_queue.py --prepare", file=sys.stderr)
        return 2

    from PySide6.QtWidgets import QApplication

    from pakn_desktop.services.dashboard import DashboardService, preset_range
    from pakn_desktop.ui.dashboard.screen import DashboardScreen
    from pakn_desktop.ui.tasks import Tasks

    database = open_read_only(path)
    service = DashboardService(database, clock=lambda: now)  # type: ignore[arg-type]
    worker: dict[str, list[float]] = {}
    snaps = {}
    for name in ("7d", "30d"):
        range_ = preset_range(name, now)
        times = []
        for _ in range(3):
            snap = service.snapshot(range_)
            times.append(snap.seconds * 1000)
        worker[name] = times
        snaps[name] = snap

    app = QApplication.instance() or QApplication([])
    tasks = Tasks()
    screen = DashboardScreen(service, tasks)
    screen.resize(1400, 860)
    screen.show()
    app.processEvents()
    gui: dict[str, list[float]] = {}
    swap_ms: dict[str, list[float]] = {}
    full_ms: dict[str, list[float]] = {}
    for name, snap in snaps.items():
        screen.apply(snap)
        screen.repaint()
        variants = (one_report_changed(snap, +1), snap)
        samples, swaps, full = [], [], []
        for i in range(args.runs):
            tick = time.perf_counter()
            screen.apply(variants[i % 2])  # type: ignore[arg-type]
            swapped = time.perf_counter()
            # What the event loop then paints: the scenes' changed regions (two passes:
            # the scene's queued ``changed``, then the viewports' update requests).
            app.processEvents()
            app.processEvents()
            samples.append((time.perf_counter() - tick) * 1000)
            swaps.append((swapped - tick) * 1000)
            tick = time.perf_counter()
            screen.repaint()  # for scale: every chart repainted whole, synchronously
            full.append((time.perf_counter() - tick) * 1000)
        gui[name] = samples
        swap_ms[name] = swaps
        full_ms[name] = full
    screen.close()
    tasks.shutdown()
    database.close()  # type: ignore[attr-defined]

    def p95(values: list[float]) -> float:
        return sorted(values)[max(int(len(values) * 0.95) - 1, 0)]

    parts = []
    ok = True
    for name in snaps:
        g, w = gui[name], worker[name]
        ok = ok and p95(g) <= TARGET_MS
        parts.append(
            f"{name}: GUI thread (swap + paint) p50 {statistics.median(g):.2f} ms, "
            f"p95 {p95(g):.2f} ms (swap alone p50 {statistics.median(swap_ms[name]):.2f} ms; "
            f"whole-screen repaint p50 {statistics.median(full_ms[name]):.2f} ms); "
            f"worker SQL {statistics.median(w):.0f} ms "
            f"(first {w[0]:.0f} ms)"
        )
    line = (
        f"- {date.today().isoformat()} bench_dashboard.py (offscreen, 2 cores, shared, "
        f"{args.tickets // 1000}k reports, read-only): "
        + "; ".join(parts)
        + f"; target GUI ≤ {TARGET_MS:g} ms {'OK' if ok else 'FAIL'}"
    )
    print(line)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
