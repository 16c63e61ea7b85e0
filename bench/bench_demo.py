"""Demo insert rate ÷ raw ``sqlite3.executemany`` of the same rows (issue 4 target: ≥ 0.5).

1. A fresh migrated SQLite database A gets ``services.demo.generate(N)``, timed end to end
   (row generation, outbox rows, inserts, commits).
2. A second fresh migrated database B (same schema, same reference rows, same pragmas) gets the
   very rows A holds, read back from A, with plain ``sqlite3`` ``executemany``, in the same
   transactions: generate wrote each chunk's rows and their outbox rows in one transaction, in
   the order unit, reporter, ticket, ticket_event, assignment, so the outbox order shows where
   each transaction ended. Only the executemany calls and the commits on B are timed.

3. For an outside reader: the demo's rows/s ÷ the rows/s of a bare 10-column, 2-index table
   filled alone in its own process (``bare_table.py``).

    .venv/bin/python bench/bench_demo.py [--tickets 100000] [--seed 1]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from bare_table import measure  # bench/ is the script's own folder on sys.path

from pakn_desktop.data.engine import BUSY_TIMEOUT_MS
from pakn_desktop.data.stations import local_station
from pakn_desktop.services import demo
from pakn_desktop.services.database import open_database
from pakn_desktop.services.environment import resolve

# The order generate writes a chunk's tables in (FK order); a lower one starts a new chunk.
ORDER = ("station", "unit", "unit_contact", "reporter", "ticket", "ticket_event", "assignment")
LOCAL = ("case_sequence", "sync_state")
LOCAL_STATION = "HN01"


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    # The application's pragmas (data/engine.py), so both sides pay for the same durability.
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA journal_mode=WAL")
    return conn


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    names = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
    return [n for n in names if not (table == "outbox" and n == "seq")]


def _transactions(src: sqlite3.Connection, after: int) -> Iterator[list[tuple[str, int]]]:
    """Per transaction of generate, the (table, row count) runs it inserted, in order."""
    runs: list[tuple[str, int]] = []
    last = -1
    query = "SELECT table_name FROM outbox WHERE seq > ? ORDER BY seq"
    for (table,) in src.execute(query, (after,)):
        rank = ORDER.index(table)
        if rank < last and runs:
            yield runs
            runs = []
        if runs and runs[-1][0] == table:
            runs[-1] = (table, runs[-1][1] + 1)
        else:
            runs.append((table, 1))
        last = rank
    if runs:
        yield runs


def replay(src_path: Path, dst_path: Path, station: str, after: int) -> tuple[float, int]:
    """Insert A's demo rows into B as generate did; return (timed seconds, rows inserted).

    ``station``: the demo station's code; ``after``: A's last outbox seq before generate.
    """
    src = sqlite3.connect(src_path)
    dst = _connect(dst_path)
    readers = {}
    sql = {}
    for table in (*ORDER, "outbox", *LOCAL):
        cols = _columns(src, table)
        names = ", ".join(cols)
        sql[table] = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(cols))})"
        readers[table] = src.execute(f"SELECT {names} FROM {table} ORDER BY rowid")
    if src.execute("SELECT count(*) FROM station WHERE code = ?", (station,)).fetchone()[0] != 1:
        raise SystemExit("A holds no demo station")
    # Rows that existed before generate (reference data, the local station) are in B already.
    readers["station"] = src.execute(
        f"SELECT {', '.join(_columns(src, 'station'))} FROM station WHERE code = ?", (station,)
    )
    readers["outbox"] = src.execute(
        f"SELECT {', '.join(_columns(src, 'outbox'))} FROM outbox WHERE seq > ? ORDER BY seq",
        (after,),
    )
    readers["sync_state"] = src.execute(
        f"SELECT {', '.join(_columns(src, 'sync_state'))} FROM sync_state WHERE key = ?",
        (demo.RUNS_KEY,),
    )
    outbox_reader = readers["outbox"]
    elapsed = 0.0
    rows = 0
    for runs in _transactions(src, after):
        batches = [(table, readers[table].fetchmany(count)) for table, count in runs]
        outbox = [outbox_reader.fetchmany(count) for _table, count in runs]
        started = time.perf_counter()
        dst.execute("BEGIN")
        for (table, batch), entries in zip(batches, outbox, strict=True):
            dst.executemany(sql[table], batch)
            dst.executemany(sql["outbox"], entries)
            rows += len(batch) + len(entries)
        dst.execute("COMMIT")
        elapsed += time.perf_counter() - started
    # The local bookkeeping rows (case numbering, run counter): tiny, one transaction.
    local = [(t, readers[t].fetchall()) for t in LOCAL]
    started = time.perf_counter()
    dst.execute("BEGIN")
    for table, batch in local:
        dst.executemany(sql[table], batch)
        rows += len(batch)
    dst.execute("COMMIT")
    elapsed += time.perf_counter() - started
    src.close()
    dst.close()
    return elapsed, rows


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    now = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as tmp:
        env_a = resolve(data_dir=str(Path(tmp) / "a"))
        env_b = resolve(data_dir=str(Path(tmp) / "b"))
        database = open_database(env_a)
        other = open_database(env_b)  # B: migrated and seeded exactly as A was
        # Both with their local station, as the app makes on first start (not timed).
        for db in (database, other):
            with db.sessions.begin() as session:
                local = local_station(session, LOCAL_STATION).code
        other.close()
        station = demo.demo_station_code(local)
        with database.engine.connect() as conn:
            after = conn.exec_driver_sql("SELECT max(seq) FROM outbox").scalar() or 0
        started = time.perf_counter()
        created = demo.generate(database, args.tickets, args.seed, now=now)
        demo_s = time.perf_counter() - started
        database.close()
        path_a = Path(tmp) / "a" / "pakn.sqlite3"
        path_b = Path(tmp) / "b" / "pakn.sqlite3"
        raw_s, raw_rows = replay(path_a, path_b, station, after)
        tables = (*ORDER, "outbox")
        a_rows = {t: _count(path_a, t) for t in tables}
        b_rows = {t: _count(path_b, t) for t in tables}
        if a_rows != b_rows:
            print(f"row counts differ: A {a_rows} B {b_rows}", file=sys.stderr)
            return 1
    total_rows = raw_rows
    print(f"demo generate : {created:>9,} reports in {demo_s:7.2f} s "
          f"= {created / demo_s:>9,.0f} reports/s ({total_rows / demo_s:,.0f} rows/s)")  # fmt: skip
    print(f"raw executemany: {created:>9,} reports in {raw_s:7.2f} s "
          f"= {created / raw_s:>9,.0f} reports/s ({total_rows / raw_s:,.0f} rows/s)")  # fmt: skip
    print(f"rows per report (synced + outbox + local): {total_rows / max(created, 1):.2f}")
    ratio = raw_s / demo_s
    verdict = "OK" if ratio >= 0.5 else "BELOW TARGET"
    print(f"ratio demo rate / raw rate = {ratio:.2f} (target >= 0.50): {verdict}")
    # The outside reader's baseline: a bare 10-column, 2-index table, alone in its own process,
    # filled with as many rows as the demo wrote (reports and their events, outbox rows...).
    bare = measure("batch", total_rows)
    bare_ratio = (total_rows / demo_s) / bare["rows_per_s"]
    print(
        f"bare table alone in its own process: {bare['rows_per_s']:,.0f} rows/s; demo rows/s"
        f" ÷ that = {bare_ratio:.2f} (target >= 0.50):"
        f" {'OK' if bare_ratio >= 0.5 else 'BELOW TARGET'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
