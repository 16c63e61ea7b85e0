"""Search: the reports matching what the operator typed, newest first (see ``data.search``).

The same service answers the GUI's search and ``pakn-desktop search``; each call opens its
own connection, so it may run on a worker thread. Results are the queue's frozen rows.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from pakn_desktop.data.queue_types import Names, QueueRow

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database


class SearchService:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._names: Names | None = None
        self._lock = threading.Lock()

    def _load_names(self, conn: Any) -> Names:
        with self._lock:
            if self._names is None:
                from pakn_desktop.data.queue import load_names

                self._names = load_names(conn)
            return self._names

    def search(self, query: str, limit: int = 50) -> tuple[QueueRow, ...]:
        from pakn_desktop.data import search

        with self._database.engine.connect() as conn:
            rows = search.search(conn, query, self._load_names(conn), limit)
            return tuple(_protected_masked(conn, rows))

    def ids(self, query: str, limit: int | None = None) -> list[uuid.UUID]:
        """Ids of the matches, newest first; all of them when ``limit`` is None."""
        from pakn_desktop.data import search

        with self._database.engine.connect() as conn:
            return search.search_ids(conn, query, limit)

    def count(self, query: str) -> int:
        from pakn_desktop.data import search

        with self._database.engine.connect() as conn:
            return search.count(conn, query)


def _protected_masked(conn: Any, rows: Sequence[QueueRow]) -> list[QueueRow]:
    """``rows`` with the summary of each protected report (a denunciation, or a reporter who
    asked for confidentiality) masked like a unit's notification: the caller may have said
    their name or number in it, and a search result is read by whoever searched."""
    from pakn_desktop.data.protected import withheld
    from pakn_desktop.domain.publication import mask_personal

    found = withheld(conn, [r.id for r in rows])
    return [
        replace(r, summary=mask_personal(r.summary, found[r.id])) if r.id in found else r
        for r in rows
    ]


def as_json(rows: Sequence[QueueRow]) -> list[dict[str, Any]]:
    """The stable JSON form of search results (``pakn-desktop search --json``)."""
    return [
        {
            "id": str(r.id),
            "code": r.code,
            "received_at": r.received_at.isoformat(),
            "status": r.status,
            "summary": r.summary,
            "channel": r.channel_code,
            "category": r.category_code,
            "kind": r.kind_code,
            "commune": r.commune_code,
            "unit": r.unit,
            "due_at": r.due_at.isoformat() if r.due_at else None,
        }
        for r in rows
    ]
