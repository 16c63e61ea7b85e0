"""Core writes that carry their outbox rows, for services that bypass the ORM's flush hook."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, insert, update

from pakn_desktop.domain.ids import new_id

from .models import Base
from .outbox import rows_for_inserts, to_json
from .types import utcnow

_OUTBOX = Base.metadata.tables["outbox"]


def insert_rows(
    conn: Connection, table_name: str, rows: Sequence[Mapping[str, Any]], key: str = "id"
) -> None:
    """Insert ``rows`` (every column given) and their outbox rows, in the caller's transaction."""
    if not rows:
        return
    table = Base.metadata.tables[table_name]
    missing = [c.key for c in table.columns if c.key not in rows[0]]
    if missing:  # a column added later must still reach the outbox payload
        raise AssertionError(f"{table_name}: no value for {missing}")
    conn.execute(insert(table), list(rows))
    conn.execute(insert(_OUTBOX), rows_for_inserts(table_name, rows, key=key))


def update_row(
    conn: Connection,
    table_name: str,
    row_id: uuid.UUID,
    values: Mapping[str, Any],
    key: str = "id",
) -> int:
    """Update one row by key and record the changed columns in the outbox; the row count."""
    table = Base.metadata.tables[table_name]
    done = conn.execute(update(table).where(table.c[key] == row_id).values(**values))
    if done.rowcount:
        conn.execute(
            insert(_OUTBOX),
            {
                "change_id": new_id(),
                "table_name": table_name,
                "row_id": str(row_id),
                "op": "update",
                "payload": {k: to_json(v) for k, v in values.items()},
                "created_at": utcnow(),
                "attempts": 0,
            },
        )
    return int(done.rowcount)
