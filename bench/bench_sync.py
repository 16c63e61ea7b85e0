"""The push (decision 44): rows/s of a first push ÷ a raw COPY of the same rows, and the
station's SQLite file in bytes per report before and after the push prunes its outbox.

    .venv/bin/python bench/bench_sync.py --server postgresql://postgres@127.0.0.1:55432/postgres
        [--tickets 3000] [--seed 1]

``--server`` is an administrator's URL: three databases are made there (migrated, as
``db upgrade`` makes them) and dropped after. One station's database gets ``--tickets`` demo
reports; it is copied (SQLite's backup) so that each run starts from the same outbox:
1. the push as ``sync --once`` runs it (COPY past 5,000 pending inserts, batches after);
2. the same push in batches of 500 only (the COPY path off);
3. a raw COPY of the same rows straight into their tables (psycopg ``cursor.copy``, one
   table at a time, parents first): no change log, no staging, no outbox.
Each on a fresh server database: the server's triggers (tally, search) run in all three.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from pakn_desktop.data.models import Base  # noqa: E402
from pakn_desktop.services.database import Database, open_database  # noqa: E402
from pakn_desktop.services.demo import generate  # noqa: E402
from pakn_desktop.services.environment import resolve  # noqa: E402
from pakn_desktop.services.sync.push import Pusher  # noqa: E402


@contextmanager
def server_database(admin_url: str, folder: Path) -> Iterator[str]:
    name = f"pakn_bench_{uuid.uuid4().hex}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        open_database(resolve(db=url, data_dir=str(folder))).close()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def file_bytes(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return path.stat().st_size


def backup(source: Path, target: Path) -> None:
    a, b = sqlite3.connect(source), sqlite3.connect(target)
    try:
        a.backup(b)
    finally:
        a.close()
        b.close()


def station_copy(template: Path, folder: Path) -> Database:
    folder.mkdir(parents=True)
    backup(template, folder / "pakn.sqlite3")
    return open_database(resolve(data_dir=str(folder)))


def timed_push(template: Path, folder: Path, admin: str, **options: Any) -> tuple[int, float]:
    database = station_copy(template, folder / "station")
    try:
        with server_database(admin, folder / "server") as url:
            started = time.perf_counter()
            result = Pusher(database, url, **options).push()
            seconds = time.perf_counter() - started
            assert result.parked == 0, result
            return result.pushed, seconds
    finally:
        database.close()


def raw_copy(
    template: Path, folder: Path, admin: str, *, triggers: bool = True
) -> tuple[int, float]:
    """The same rows COPYed into their tables: the floor under any push. ``triggers``
    False: the server's triggers (tally, search, foreign keys) off, to see their share."""
    conn = sqlite3.connect(template)
    rows = conn.execute("SELECT table_name, payload FROM outbox ORDER BY seq").fetchall()
    conn.close()
    by_table: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for table, payload in rows:
        by_table[table].append(json.loads(payload))
    order = [t.name for t in Base.metadata.sorted_tables if t.name in by_table]
    with server_database(admin, folder / "raw-server") as url:
        engine = create_engine(url)
        try:
            with engine.begin() as sa_conn:
                raw: Any = sa_conn.connection.driver_connection
                if not triggers:
                    sa_conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
                started = time.perf_counter()
                with raw.cursor() as cursor:
                    for table in order:
                        columns = sorted({k for row in by_table[table] for k in row})
                        names = ", ".join(f'"{c}"' for c in columns)
                        with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                            for row in by_table[table]:
                                copy.write_row([_text(row.get(c)) for c in columns])
            seconds = time.perf_counter() - started  # the commit included
        finally:
            engine.dispose()
    return len(rows), seconds


def _text(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", default=os.environ.get("PAKN_TEST_PG_URL", ""))
    parser.add_argument("--tickets", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not args.server:
        parser.error("--server URL (an administrator's PostgreSQL URL) is needed")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = resolve(data_dir=str(root / "template"), station="BENCH")
        database = open_database(env)
        generate(database, tickets=args.tickets, seed=args.seed)
        database.close()
        template = env.data_dir / "pakn.sqlite3"
        conn = sqlite3.connect(template)
        pending = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
        reports = conn.execute("SELECT count(*) FROM ticket").fetchone()[0]
        conn.close()
        before = file_bytes(template)

        pushed, seconds = timed_push(template, root / "push", args.server)
        batched, batch_seconds = timed_push(
            template, root / "batches", args.server, copy_threshold=10**12
        )
        copied, copy_seconds = raw_copy(template, root / "raw", args.server)
        _, bare_seconds = raw_copy(template, root / "bare", args.server, triggers=False)

        pruned = root / "push" / "station" / "pakn.sqlite3"
        after = file_bytes(pruned)
        conn = sqlite3.connect(pruned)
        conn.execute("VACUUM")
        conn.close()
        vacuumed = file_bytes(pruned)

    assert pushed == batched == copied == pending, (pushed, batched, copied, pending)
    push_rate, batch_rate, copy_rate = (
        pending / seconds,
        pending / batch_seconds,
        pending / copy_seconds,
    )
    print(f"{reports} reports, {pending} outbox rows (changes)")
    print(
        f"SQLite file: {before / reports:.0f} B/report before the push, "
        f"{after / reports:.0f} after push + prune (free pages kept), "
        f"{vacuumed / reports:.0f} after VACUUM"
    )
    print(f"push (sync --once, COPY path):  {push_rate:,.0f} rows/s ({seconds:.2f} s)")
    print(f"push in batches of 500 only:     {batch_rate:,.0f} rows/s ({batch_seconds:.2f} s)")
    print(f"raw COPY of the same rows:       {copy_rate:,.0f} rows/s ({copy_seconds:.2f} s)")
    print(
        f"raw COPY, server triggers off:   {pending / bare_seconds:,.0f} rows/s "
        f"({bare_seconds:.2f} s; information: the triggers' share of the floor)"
    )
    print(f"ratio push ÷ raw COPY: {push_rate / copy_rate:.2f}")
    print(f"ratio batches ÷ raw COPY: {batch_rate / copy_rate:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
