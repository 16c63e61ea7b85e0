"""WAL checkpoints on a background thread, so an operator's save never pays for one.

SQLite's default copies the write-ahead log back into the database file inside the commit
that pushes the log past 1,000 pages. A save writes about 30 pages (the ticket, its queue
indexes, the search index, the outbox), so every 25th or so save took twice as long: that
checkpoint was the save's p99 (measured: spikes every 26 saves in ``bench/bench_intake.py``).

Here each connection of a file-backed SQLite engine checkpoints by itself only as a safety
net, past ``SAFETY_NET_PAGES``; a daemon thread runs a PASSIVE checkpoint (it never blocks
readers or writers, and it leaves frames still in use by a reader for later) every
``interval`` seconds on its own connection. PostgreSQL and in-memory SQLite need none.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event

from .background import Periodic, file_backed_sqlite

# ~40 MB of log: reached only if the thread is not running (a one-shot CLI process that
# writes a lot) or falls far behind. The commit that crosses it checkpoints, as SQLite does.
SAFETY_NET_PAGES = 10_000
DEFAULT_INTERVAL_S = 1.0


def _raise_autocheckpoint(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.execute(f"PRAGMA wal_autocheckpoint={SAFETY_NET_PAGES}")


class WalCheckpointer:
    """Checkpoints ``engine``'s WAL every ``interval`` seconds between ``start()`` and
    ``stop()``.

    ``attach`` returns None for engines that need no checkpointing; call it before the
    engine's first connection (connections opened earlier keep SQLite's default threshold),
    and ``start`` once the database has opened well: nothing touches a file that failed to.
    """

    def __init__(self, engine: Engine, interval: float) -> None:
        self._engine = engine
        self._runner = Periodic("wal-checkpoint", interval, self.checkpoint)
        self.checkpoints = 0  # completed passes, for tests and benchmarks

    @classmethod
    def attach(cls, engine: Engine, interval: float = DEFAULT_INTERVAL_S) -> WalCheckpointer | None:
        if not file_backed_sqlite(engine):
            return None
        event.listen(engine, "connect", _raise_autocheckpoint)
        return cls(engine, interval)

    def start(self) -> None:
        self._runner.start()

    @property
    def running(self) -> bool:
        return self._runner.running

    def checkpoint(self) -> tuple[int, int, int]:
        """One PASSIVE checkpoint now: (busy, frames in the log, frames copied back)."""
        with self._engine.connect() as conn:
            row = conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
            conn.commit()
        self.checkpoints += 1
        return int(row[0]), int(row[1]), int(row[2])

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread (it finishes the pass it is in); closing the last connection then
        checkpoints whatever is left, as SQLite always does."""
        self._runner.stop(timeout)
