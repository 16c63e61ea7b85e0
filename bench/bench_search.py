"""Search and filter at scale (issue 7): "duong" at 1M finds every match and takes ≤ 2 × the
time at 100k; the queue's filtered first page at 1M ÷ at 10k ≤ 2.

Demo databases are cached under .tmp/bench/search-N (built once with services.demo.generate,
at a fixed ``now`` like bench_queue; a copy of bench_queue's 1M database migrated to head
serves as well). Each timing is the median of several runs after a warm-up, through the same
``data.search`` / ``data.queue`` calls the services make. Completeness: every id the search
returns at 1M, without a limit, equals an independent scan (``LIKE '%duong%'`` over
search_text, then the word-start rule checked in Python).

    .venv/bin/python bench/bench_search.py [--runs 7]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".tmp" / "bench"
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
QUERY = "duong"  # in every demo report (each address has a street): the page-fill case
RARER = "cay xanh"  # in ~1.6% of them: shown for information, checked for completeness too
PAGE = 50


def ensure_db(tickets: int) -> Path:
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.demo import generate
    from pakn_desktop.services.environment import resolve

    folder = CACHE / f"search-{tickets}"
    if (folder / "READY").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for item in folder.iterdir():
        item.unlink()
    started = time.perf_counter()
    database = open_database(resolve(data_dir=str(folder)))
    try:
        made = generate(database, tickets, seed=1, now=NOW)
        with database.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    finally:
        database.close()
    (folder / "READY").write_text(f"{made}\n")
    print(f"built {folder.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return folder


def timed(action: Callable[[], Any], runs: int) -> tuple[float, Any]:
    action()  # warm-up: the page cache, SQLAlchemy's statement cache
    times = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def measure(tickets: int, runs: int, check: bool) -> dict[str, Any]:
    from pakn_desktop.data import queue, search
    from pakn_desktop.data.queue_types import QueueQuery
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.environment import resolve

    database = open_database(resolve(data_dir=str(ensure_db(tickets))))
    out: dict[str, Any] = {"tickets": tickets}
    try:
        with database.engine.connect() as conn:
            names = queue.load_names(conn)
            out["search"], rows = timed(lambda: search.search(conn, QUERY, names, PAGE), runs)
            assert len(rows) == PAGE
            filtered = QueueQuery(statuses=("forwarded", "accepted"), channel="hotline")
            out["filter"], _ = timed(lambda: queue.first_page(conn, filtered, names, PAGE), runs)
            out["rarer"], _ = timed(lambda: search.search(conn, RARER, names, PAGE), runs)
            if check:
                for query in (QUERY, RARER):
                    out[query] = completeness(conn, query)
    finally:
        database.close()
    return out


def completeness(conn: Any, query: str) -> dict[str, Any]:
    """Every match without a limit against an independent scan: LIKE on the first word, then
    the phrase rule (adjacent words, last one a prefix) as a regular expression in Python."""
    from pakn_desktop.data import search

    words = search.words(query)
    started = time.perf_counter()
    found = search.search_ids(conn, query)
    elapsed = time.perf_counter() - started
    like = conn.exec_driver_sql(
        "SELECT id, search_text FROM ticket WHERE search_text LIKE ?", (f"%{words[0]}%",)
    ).all()
    rule = re.compile(r"(^|[^a-z0-9])" + r"[^a-z0-9]+".join(words))
    expected = {str(r[0]).replace("-", "") for r in like if rule.search(r[1])}
    got = {str(i).replace("-", "") for i in found}
    return {
        "matches": len(found),
        "seconds": elapsed,
        "like": len(like),
        "oracle": len(expected),
        "complete": got == expected and len(found) == len(got),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    small = measure(10_000, args.runs, check=False)
    mid = measure(100_000, args.runs, check=False)
    big = measure(1_000_000, args.runs, check=True)
    for m in (small, mid, big):
        print(
            f"{m['tickets']:>9,} reports: search '{QUERY}' page of {PAGE} "
            f"{m['search'] * 1000:7.2f} ms, '{RARER}' {m['rarer'] * 1000:7.2f} ms, "
            f"filtered first page {m['filter'] * 1000:6.2f} ms"
        )
    search_ratio = big["search"] / mid["search"]
    rarer_ratio = big["rarer"] / mid["rarer"]
    filter_ratio = big["filter"] / small["filter"]
    complete = all(big[q]["complete"] for q in (QUERY, RARER))
    ok = [search_ratio <= 2, filter_ratio <= 2, complete]
    for query in (QUERY, RARER):
        c = big[query]
        print(
            f"1M: '{query}' matches {c['matches']:,} reports (all ids in {c['seconds']:.2f} s); "
            f"independent scan: LIKE {c['like']:,} rows, {c['oracle']:,} by the phrase rule: "
            f"complete = {c['complete']}"
        )
    print(
        f"search '{QUERY}' 1M/100k: {search_ratio:.2f} (target ≤ 2); '{RARER}' 1M/100k: "
        f"{rarer_ratio:.2f}; filter 1M/10k: {filter_ratio:.2f} (target ≤ 2)"
    )
    verdict = " ".join("OK" if o else "FAIL" for o in ok)
    line = (
        f"- {date.today().isoformat()} bench_search.py (2 cores, shared): search '{QUERY}' page "
        f"{mid['search'] * 1000:.1f} ms at 100k, {big['search'] * 1000:.1f} ms at 1M: "
        f"{search_ratio:.2f} (target ≤ 2); '{RARER}' {rarer_ratio:.2f}; filter first page "
        f"1M/10k {filter_ratio:.2f} (target ≤ 2); every match at 1M equals an independent "
        f"scan ({big[QUERY]['matches']:,} and {big[RARER]['matches']:,}): {complete} [{verdict}]"
    )
    print(line)
    with (ROOT / "bench" / "README.md").open("a", encoding="utf-8") as readme:
        readme.write(line + "\n")
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
