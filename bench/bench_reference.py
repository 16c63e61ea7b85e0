"""Per-keystroke place search and the start-up reference check, moved here from timed tests.

    .venv/bin/python bench/bench_reference.py [--rounds 5]

Place search: ``PlaceSearch.find`` over the 3,321 communes for each prefix of typed names
(accent-free, with and without punctuation), as the location picker runs it per keystroke;
prints the p95 per keystroke ÷ one 60 Hz frame (target ≤ 0.5: the picker also paints).
Reference check: ``reference.ensure`` on a seeded database (the one read every start does)
÷ a bare ``SELECT 1`` on the same engine; printed for the record (it is one read).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FRAME_MS = 1000 / 60
TYPED = ("phuong ben thanh", "xa cu m'gar", "chan may - lang co", "van mieu quoc tu giam")


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from sqlalchemy import text

    from pakn_desktop.data import reference
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.environment import resolve
    from pakn_desktop.services.reference_lists import load_reference_lists
    from pakn_desktop.widgets.place_search import PlaceSearch

    with tempfile.TemporaryDirectory() as folder:
        database = open_database(resolve(data_dir=folder))
        try:
            lists = load_reference_lists(database)
            search = PlaceSearch(lists.communes)
            per_key: list[float] = []
            for _ in range(args.rounds):
                for typed in TYPED:
                    for end in range(1, len(typed) + 1):
                        started = time.perf_counter()
                        search.find(typed[:end])
                        per_key.append((time.perf_counter() - started) * 1000)
            ensure: list[float] = []
            bare: list[float] = []
            for _ in range(args.rounds * 5):
                started = time.perf_counter()
                reference.ensure(database.engine)
                ensure.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                with database.engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
                bare.append((time.perf_counter() - started) * 1000)
        finally:
            database.close()
    p95 = _p95(per_key)
    print(f"place search per keystroke: p50 {statistics.median(per_key):.2f} ms, p95 {p95:.2f} ms")
    print(f"  p95 ÷ one frame ({FRAME_MS:.1f} ms): {p95 / FRAME_MS:.2f} (target ≤ 0.5)")
    e, b = statistics.median(ensure), statistics.median(bare)
    print(f"reference check at start: {e:.2f} ms; bare SELECT 1: {b:.2f} ms; ratio {e / b:.1f}")


if __name__ == "__main__":
    main()
