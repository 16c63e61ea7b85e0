"""The outside reader's baseline: a bare table (10 columns, 2 indexes), run alone in a process.

    .venv/bin/python bench/bare_table.py single N     # N insert+commit, prints p50/p99 ms
    .venv/bin/python bench/bare_table.py batch N      # N rows by executemany, prints rows/s

``bench_intake`` and ``bench_demo`` call ``measure`` to print their ratio against it as well as
against their own interleaved raw insert: someone checking our figures from outside would time
an empty table of about a report's width in a fresh process, with nothing else running in it,
and the two baselines differ by the noise the interleaving shares (issue 14's benchmarks).
Same pragmas as the application (WAL, synchronous=FULL).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

COLUMNS = (
    "id TEXT PRIMARY KEY, code TEXT, received_at TEXT, channel TEXT, category TEXT,"
    " status TEXT, phone TEXT, summary TEXT, content TEXT, unit TEXT"
)
INDEXES = (
    "CREATE INDEX ix_bare_received ON bare (received_at)",
    "CREATE INDEX ix_bare_phone ON bare (phone)",
)
TEXT = "Cống bị tắc ở đường Lê Lợi, nước tràn lên vỉa hè gây mùi hôi, đề nghị nạo vét. " * 4
BATCH = 1000  # rows a transaction in batch mode, as the demo generator commits


def _row(n: int) -> tuple[str, ...]:
    return (
        str(uuid.uuid4()),
        f"PA-261207-B-{n:06d}",
        datetime.now(UTC).isoformat(),
        "hotline",
        "ha_tang_do_thi.cap_thoat_nuoc",
        "moi",
        f"0912{n % 10**6:06d}",
        TEXT[:80],
        TEXT,
        "",
    )


def _open(folder: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(folder / "bare.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(f"CREATE TABLE bare ({COLUMNS})")
    for sql in INDEXES:
        conn.execute(sql)
    return conn


def single(n: int) -> dict[str, float]:
    """p50/p99 (ms) of one row's INSERT + COMMIT, after 5 warm-up rows."""
    with tempfile.TemporaryDirectory(prefix="bench-bare-") as tmp:
        conn = _open(Path(tmp))
        times: list[float] = []
        for i in range(n + 5):
            started = time.perf_counter()
            conn.execute("BEGIN")
            conn.execute("INSERT INTO bare VALUES (?,?,?,?,?,?,?,?,?,?)", _row(i))
            conn.execute("COMMIT")
            if i >= 5:
                times.append((time.perf_counter() - started) * 1e3)
        conn.close()
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return {"p50": times[len(times) // 2], "p99": p99}


def batch(n: int) -> dict[str, float]:
    """Rows per second for ``n`` rows inserted by executemany, ``BATCH`` rows a commit."""
    with tempfile.TemporaryDirectory(prefix="bench-bare-") as tmp:
        conn = _open(Path(tmp))
        rows = [_row(i) for i in range(n)]
        started = time.perf_counter()
        for at in range(0, n, BATCH):
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO bare VALUES (?,?,?,?,?,?,?,?,?,?)", rows[at : at + BATCH])
            conn.execute("COMMIT")
        seconds = time.perf_counter() - started
        conn.close()
    return {"rows_per_s": n / seconds, "seconds": seconds}


def measure(mode: str, n: int) -> dict[str, float]:
    """Run ``mode`` in a fresh Python process, alone, and return what it printed."""
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), mode, str(n)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out)
    return result


def main(argv: list[str]) -> int:
    mode, n = argv[0], int(argv[1])
    print(json.dumps(single(n) if mode == "single" else batch(n)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
