"""The queue use cases: paged, sorted, filtered rows and one report's read-only detail.

Every method opens its own connection, so calls may run on any worker thread (the GUI runs
them through ``ui/tasks.py``); results are frozen dataclasses, never ORM objects.

SQLAlchemy is imported on first use, not with this module: the GUI imports the service's
types on its start path, and the main window paints before the database is even opened.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from pakn_desktop.data.queue_types import (
    SORT_KEYS,
    Anchor,
    Delivery,
    Names,
    Outcome,
    QueueQuery,
    QueueRow,
    QueueShape,
    ReporterInfo,
    SortKey,
    TicketDetail,
    TimelineEvent,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from pakn_desktop.services.database import Database

__all__ = [
    "SORT_KEYS",
    "Anchor",
    "Delivery",
    "Names",
    "Outcome",
    "QueueQuery",
    "QueueRow",
    "QueueService",
    "QueueShape",
    "ReporterInfo",
    "SortKey",
    "TicketDetail",
    "TimelineEvent",
    "sort_key",
]


def sort_key(row: QueueRow, sort: str) -> SortKey:
    """The sort key of ``row`` under sort column ``sort`` (for ``page_after``)."""
    from pakn_desktop.data import queue as q

    return q.sort_key(row, sort)


class QueueService:
    """Facade over ``data.queue`` with the reference names cached (they change rarely)."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._names: Names | None = None
        self._lock = threading.Lock()

    def _engine(self) -> Engine:
        return self._database.engine

    def _connect(self) -> Any:
        return self._engine().connect()

    def connection(self) -> Connection:
        """A connection of its own, for a long read on a worker (an export's pages)."""
        return self._engine().connect()

    # --- reference names ------------------------------------------------------------------

    def names(self, conn: Connection | None = None) -> Names:
        from pakn_desktop.data import queue as q

        with self._lock:
            if self._names is None:
                if conn is None:
                    with self._connect() as own:
                        self._names = q.load_names(own)
                else:
                    self._names = q.load_names(conn)
            return self._names

    def forget_names(self) -> None:
        """Reload channel/category/unit names on next use (after an administrator edits them)."""
        with self._lock:
            self._names = None

    # --- queue ----------------------------------------------------------------------------

    def is_empty(self) -> bool:
        from pakn_desktop.data import queue as q

        with self._connect() as conn:
            return q.is_empty(conn)

    def count(self, query: QueueQuery) -> int:
        from pakn_desktop.data import queue as q

        with self._connect() as conn:
            return q.count(conn, query)

    def first_page(self, query: QueueQuery, limit: int) -> list[QueueRow]:
        from pakn_desktop.data import queue as q

        with self._connect() as conn:
            return q.first_page(conn, query, self.names(conn), limit)

    def page_after(
        self, query: QueueQuery, after: SortKey | None, limit: int, *, inclusive: bool = False
    ) -> list[QueueRow]:
        from pakn_desktop.data import queue as q

        with self._connect() as conn:
            return q.page_after(conn, query, self.names(conn), after, limit, inclusive=inclusive)

    def keys_after(
        self, query: QueueQuery, after: SortKey | None, limit: int, *, inclusive: bool = False
    ) -> list[tuple[SortKey, str]]:
        """(sort key, case code) of the rows after ``after``: a selection resolved to ids."""
        from pakn_desktop.data.queue_keys import keys_after

        with self._connect() as conn:
            return keys_after(conn, query, after, limit, inclusive=inclusive)

    def anchors(self, query: QueueQuery, every: int) -> list[Anchor]:
        from pakn_desktop.data import queue as q

        with self._connect() as conn:
            return q.anchors(conn, query, every)

    def shape(self, query: QueueQuery, every: int) -> QueueShape:
        from pakn_desktop.data import queue as q

        with self._connect() as conn, conn.begin():
            total = q.count(conn, query)
            marks = q.anchors(conn, query, every) if total else []
        return QueueShape(count=total, anchors=tuple(marks), every=every)

    def placements(
        self, query: QueueQuery, ticket_ids: Collection[uuid.UUID], every: int | None
    ) -> tuple[dict[uuid.UUID, tuple[int, QueueRow]], QueueShape | None]:
        """Where each of the reports just saved or changed stands in ``query`` with its row
        (absent: not in it), and, unless ``every`` is None, the query's new shape, read in
        one transaction so they agree."""
        from pakn_desktop.data import queue as q

        found: dict[uuid.UUID, tuple[int, QueueRow]] = {}
        with self._connect() as conn, conn.begin():
            names = self.names(conn)
            for ticket_id in ticket_ids:
                place = q.position(conn, query, names, ticket_id)
                if place is not None:
                    found[ticket_id] = place
            if every is None:
                return found, None
            total = q.count(conn, query)
            marks = q.anchors(conn, query, every) if total else []
        return found, QueueShape(count=total, anchors=tuple(marks), every=every)

    def ticket_detail(self, ticket_id: uuid.UUID) -> TicketDetail:
        """The report with its reporter and timeline; KeyError when it does not exist."""
        from pakn_desktop.data.ticket_detail import ticket_detail

        with self._connect() as conn:
            return ticket_detail(conn, self.names(conn), ticket_id)
