"""Writes by another program on this station's SQLite file (the command line, an import, a
second window): which reports they touched, for the open window's hub.

SQLite tells a connection, by ``PRAGMA data_version``, that another connection committed
since it last asked; the outbox (every local write's rows, decision 44) then names what was
written. The watch holds a connection of its own, so every commit of the program itself is
"another connection" too: the window takes away the reports it published itself. A pull
writes no outbox rows and is told by the sync; a prune only deletes.

The outbox's ``seq`` is SQLite's rowid: once a push has pruned every row, numbering starts
again from the rows left. A newest ``seq`` below the last one read means that: the rows left
(the pending ones, few) are read again whole.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

MAX_ROWS = 5_000  # read past this many new rows: too many to name, every report is read again


@dataclass(frozen=True)
class Written:
    created: frozenset[uuid.UUID]  # reports inserted
    reports: frozenset[uuid.UUID]  # every report named (created or changed)
    tables: frozenset[str]
    every_report: bool  # more rows than ``MAX_ROWS``: not named


class OtherWriters:
    """Polled from a worker (one at a time): ``poll`` is None when nothing was committed."""

    def __init__(self, path: Path) -> None:
        # Read-only, its own connection: data_version is per connection. Opened in the
        # worker that polls (check_same_thread off: the window's one lane at a time).
        self._conn = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, check_same_thread=False, timeout=1.0
        )
        self._version = self._data_version()
        self._seq = self._newest()

    def close(self) -> None:
        self._conn.close()

    def _data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def _newest(self) -> int:
        return int(self._conn.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0])

    def poll(self) -> Written | None:
        version = self._data_version()
        if version == self._version:
            return None
        self._version = version
        newest = self._newest()
        after = self._seq if newest >= self._seq else 0  # renumbered after a prune: all again
        rows = self._conn.execute(
            "SELECT table_name, row_id, op, payload FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
            (after, MAX_ROWS + 1),
        ).fetchall()
        self._seq = newest
        if not rows:
            return None
        tables = frozenset(row[0] for row in rows)
        if len(rows) > MAX_ROWS:
            return Written(frozenset(), frozenset(), tables, every_report=True)
        created = frozenset(
            uuid.UUID(row_id)
            for table, row_id, op, _ in rows
            if table == "ticket" and op == "insert"
        )
        named = {_report_of(table, row_id, payload) for table, row_id, _, payload in rows}
        reports = frozenset(r for r in named if r is not None)
        return Written(created, reports, tables, every_report=False)


def _report_of(table: str, row_id: str, payload: str | bytes) -> uuid.UUID | None:
    """The report an outbox row belongs to: the ticket itself, else its payload's
    ``ticket_id`` (an insert names it; an update of another table may not: not named)."""
    try:
        if table == "ticket":
            return uuid.UUID(row_id)
        value = json.loads(payload).get("ticket_id")
        return uuid.UUID(str(value)) if value else None
    except (ValueError, AttributeError, TypeError):
        return None
