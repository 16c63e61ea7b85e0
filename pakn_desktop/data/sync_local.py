"""The push's SQL on this workstation's own database: read the outbox in order, prune what the
server acknowledged, park what it refused (decision 44).

Pruned rows are deleted, and parked rows stop being pending, through the outbox's tally
triggers (``data.tally``): the pending count stays exact without counting.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Text, bindparam, delete, func, select, type_coerce, update

from .models import Base
from .tally_read import pending

_OUTBOX = Base.metadata.tables["outbox"]


@dataclass(frozen=True, slots=True)
class Change:
    """One outbox row as the server receives it. ``payload_text``: the stored JSON."""

    seq: int
    change_id: uuid.UUID
    table_name: str
    row_id: str
    op: str
    payload_text: str

    @property
    def payload(self) -> dict[str, Any]:
        value = json.loads(self.payload_text)
        return value if isinstance(value, dict) else {}


@dataclass(frozen=True, slots=True)
class Parked:
    seq: int
    reason: str


_COLUMNS = (
    _OUTBOX.c.seq,
    _OUTBOX.c.change_id,
    _OUTBOX.c.table_name,
    _OUTBOX.c.row_id,
    _OUTBOX.c.op,
    type_coerce(_OUTBOX.c.payload, Text).label("payload"),  # the JSON as stored
)


def _change(row: Any) -> Change:
    payload = row.payload if isinstance(row.payload, str) else json.dumps(row.payload)
    return Change(row.seq, row.change_id, row.table_name, row.row_id, row.op, payload)


def last_seq(conn: Connection) -> int:
    """The newest outbox row now: a push goes up to it, so it ends while saves go on."""
    return int(conn.scalar(select(func.max(_OUTBOX.c.seq))) or 0)


def read_batch(conn: Connection, after: int, upto: int, limit: int) -> list[Change]:
    """Pending changes after ``after`` up to ``upto``, in local (seq) order; parked ones
    are left where they are."""
    stmt = (
        select(*_COLUMNS)
        .where(_OUTBOX.c.seq > after, _OUTBOX.c.seq <= upto, _OUTBOX.c.parked_at.is_(None))
        .order_by(_OUTBOX.c.seq)
        .limit(limit)
    )
    return [_change(row) for row in conn.execute(stmt)]


def leading_inserts(conn: Connection, after: int, upto: int, limit: int) -> list[Change]:
    """The run of pending inserts from ``after`` on, each row once (a second change to a row
    ends it): what one INSERT … SELECT per table can apply in the COPY path."""
    stmt = (
        select(*_COLUMNS)
        .where(_OUTBOX.c.seq > after, _OUTBOX.c.seq <= upto, _OUTBOX.c.parked_at.is_(None))
        .order_by(_OUTBOX.c.seq)
        .limit(limit)
    )
    run: list[Change] = []
    seen: set[tuple[str, str]] = set()
    for row in conn.execute(stmt):
        key = (row.table_name, row.row_id)
        if row.op != "insert" or key in seen:
            break
        seen.add(key)
        run.append(_change(row))
    return run


def prune(conn: Connection, seqs: Sequence[int]) -> None:
    """Delete the changes the server acknowledged (the tally's trigger takes them off the
    pending count), in the caller's write transaction."""
    stmt = delete(_OUTBOX).where(_OUTBOX.c.seq.in_(bindparam("seqs", expanding=True)))
    for start in range(0, len(seqs), 10_000):  # SQLite's limit on bound values
        conn.execute(stmt, {"seqs": list(seqs[start : start + 10_000])})


def park(conn: Connection, parked: Iterable[Parked], now: datetime) -> None:
    """Keep refused changes with the server's reason; they are no longer pending."""
    rows = [{"b_seq": p.seq, "b_reason": p.reason} for p in parked]
    if rows:
        stmt = (
            update(_OUTBOX)
            .where(_OUTBOX.c.seq == bindparam("b_seq"))
            .values(
                parked_at=now, last_error=bindparam("b_reason"), attempts=_OUTBOX.c.attempts + 1
            )
        )
        conn.execute(stmt, rows)


def pending_count(conn: Connection) -> int:
    return pending(conn, "outbox")


def parked_count(conn: Connection) -> int:
    stmt = select(func.count()).select_from(_OUTBOX).where(_OUTBOX.c.parked_at.is_not(None))
    return int(conn.scalar(stmt) or 0)


def parked_rows(conn: Connection) -> list[tuple[int, str, str, str]]:
    """(seq, table, op, reason) of every parked change, oldest first."""
    stmt = (
        select(_OUTBOX.c.seq, _OUTBOX.c.table_name, _OUTBOX.c.op, _OUTBOX.c.last_error)
        .where(_OUTBOX.c.parked_at.is_not(None))
        .order_by(_OUTBOX.c.seq)
    )
    return [(r.seq, r.table_name, r.op, r.last_error or "") for r in conn.execute(stmt)]
