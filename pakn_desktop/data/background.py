"""Upkeep on a daemon thread, every few seconds, off the operator's path.

Used by the WAL checkpointer (``data.wal_checkpoint``) and the search indexer
(``data.search_indexer``): each owns a :class:`Periodic` that calls its pass between
``start()`` and ``stop()``. A pass that raises (a locked or vanished file) is logged and the
next one tries again: upkeep that fails now is simply done later.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy import Engine

log = logging.getLogger(__name__)


def file_backed_sqlite(engine: Engine) -> bool:
    """An SQLite engine on a file: the engines that get background upkeep (PostgreSQL does its
    own; an in-memory database lives only as long as its connection)."""
    database = engine.url.database or ""
    return engine.dialect.name == "sqlite" and database not in ("", ":memory:")


class Periodic:
    """``work()`` every ``interval`` seconds on a daemon thread named ``name``."""

    def __init__(self, name: str, interval: float, work: Callable[[], object]) -> None:
        self._interval = interval
        self._work = work
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread; the pass it is in finishes first (``timeout`` at the most)."""
        self._stopping.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def pause(self, seconds: float) -> bool:
        """Wait inside a pass (to let other writers in); True when the thread is stopping."""
        return self._stopping.wait(seconds)

    def _run(self) -> None:
        while not self._stopping.wait(self._interval):
            try:
                self._work()
            except Exception as error:  # try again next time
                log.debug("%s: pass skipped: %s", self._thread.name, type(error).__name__)
