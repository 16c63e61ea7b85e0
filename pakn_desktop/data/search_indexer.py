"""New reports reach the full-text index shortly after their save, on a background thread.

An intake save does nothing for the search index on SQLite (``search_schema``, docs/
decisions.md 20): the report lands above the index's high-water mark, in the backlog. This
thread indexes the backlog with one statement per batch (:func:`search_schema.index_pending`)
while searches read the backlog too, so a report is found from the moment it is saved.

Every ``interval`` seconds it reads the backlog's newest rowid (two index reads, no write
transaction); it indexes once the backlog has stopped growing since the previous look (the
writers are quiet: a burst of saves is not interrupted by an indexer taking the write lock
from them) or after ``PATIENCE`` looks at the most. Only file-backed SQLite engines get one,
and not read-only ones (``mode=ro``): there is nothing they could write.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from . import search_schema
from .background import Periodic, file_backed_sqlite
from .engine import writer

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 0.5
PATIENCE = 6  # looks: a backlog that keeps growing is indexed anyway after ~3 s
_BETWEEN_BATCHES_S = 0.02  # a large backlog: saves get the write lock between two batches


class SearchIndexer:
    """Indexes ``engine``'s search backlog between ``start()`` and ``stop()``."""

    def __init__(self, engine: Engine, interval: float) -> None:
        self._engine = engine
        self._runner = Periodic("search-index", interval, self.run_once)
        self._seen: int | None = None  # the backlog's newest rowid at the previous look
        self._looks = 0  # looks since the backlog was last found empty
        self._read_only = False
        self.indexed = 0  # reports indexed, for tests and benchmarks
        self.writes = 0  # write transactions

    @classmethod
    def attach(cls, engine: Engine, interval: float = DEFAULT_INTERVAL_S) -> SearchIndexer | None:
        if not file_backed_sqlite(engine) or engine.url.query.get("mode") == "ro":
            return None
        return cls(engine, interval)

    def start(self) -> None:
        self._runner.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread (it finishes the batch it is in); the backlog stays for later."""
        self._runner.stop(timeout)

    @property
    def running(self) -> bool:
        return self._runner.running

    def flush(self) -> int:
        """Index the backlog now if it holds anything (``Database.close`` after ``stop``: a
        short-lived process leaves none behind; one batch at the most once stopped)."""
        if self._read_only or self._pending_top() is None:
            return 0
        return self.index_all()

    def run_once(self) -> int:
        """One look; the number of reports indexed (0 when it waited or had nothing)."""
        if self._read_only:
            return 0
        top = self._pending_top()
        if top is None:
            self._seen, self._looks = None, 0
            return 0
        quiet = top == self._seen
        self._seen, self._looks = top, self._looks + 1
        if not quiet and self._looks < PATIENCE:
            return 0
        done = self.index_all()
        self._seen, self._looks = None, 0
        return done

    def index_all(self) -> int:
        """Index the whole backlog now, a batch per write transaction; stops early when the
        thread is stopping or the database is read-only."""
        total = 0
        while not self._read_only:
            try:
                with writer(self._engine).begin() as conn:  # the write lock first
                    done = search_schema.index_pending(conn)
            except OperationalError as error:
                if "readonly" not in str(error.orig).lower():
                    raise  # busy, locked: the next look tries again
                log.info("search index: database is read-only, new reports stay unindexed")
                self._read_only = True
                break
            self.writes += 1
            total += done
            self.indexed += done
            if done < search_schema.INDEX_BATCH or self._runner.pause(_BETWEEN_BATCHES_S):
                break
        return total

    def _pending_top(self) -> int | None:
        with self._engine.connect() as conn:
            top = search_schema.newest_pending(conn)
            conn.rollback()  # end the read: a write transaction must not start from it
        return top
