"""The server's wake-up call for watching stations (decision 46): every transaction that adds
to the change log NOTIFYs channel ``pakn_sync`` at its commit (migration 0018's trigger),
the payload the pushing station's id and nothing else.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from sqlalchemy import Connection, Engine

CHANNEL = "pakn_sync"
DRAIN_S = 0.0  # those already read: a wait here would delay every wake-up by it


class Listener:
    """One autocommit connection LISTENing on the channel; :meth:`wait` returns the stations
    that pushed (possibly none: the timeout)."""

    def __init__(self, engine: Engine) -> None:
        """Owns ``engine`` from here: :meth:`close` disposes of it."""
        self._engine = engine
        self._conn: Connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        self._conn.exec_driver_sql(f"LISTEN {CHANNEL}")
        self._raw: Any = self._conn.connection.driver_connection

    def wait(self, timeout: float) -> set[uuid.UUID | None]:
        """Wait up to ``timeout`` seconds for a notification; then take the others already
        arrived. The stations named (None: a payload that is not an id)."""
        found: set[uuid.UUID | None] = set()
        for note in self._raw.notifies(timeout=max(timeout, 0.0), stop_after=1):
            found.add(_station(note.payload))
        if found:  # those already queued (pushes close together): one round for them all
            for note in self._raw.notifies(timeout=DRAIN_S):
                found.add(_station(note.payload))
        return found

    def close(self) -> None:
        with contextlib.suppress(Exception):  # the server already gone: nothing to release
            self._conn.close()
        self._engine.dispose()


def _station(payload: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(payload)
    except ValueError:
        return None
