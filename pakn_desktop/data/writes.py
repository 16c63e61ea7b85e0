"""Core writes that carry their outbox rows, for services that bypass the ORM's flush hook."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Insert, insert, update

from pakn_desktop.domain.ids import new_id

from .models import Base
from .outbox import rows_for_inserts, to_json
from .prepared import prepared_insert
from .types import utcnow


@functools.cache
def _insert_into(table_name: str) -> Insert:
    # Built once per table: building the statement on every save cost as much as running it.
    return insert(Base.metadata.tables[table_name])


@functools.cache
def _columns(table_name: str) -> frozenset[str]:
    return frozenset(c.key for c in Base.metadata.tables[table_name].columns)


def insert_rows(
    conn: Connection, table_name: str, rows: Sequence[Mapping[str, Any]], key: str = "id"
) -> None:
    """Insert ``rows`` (every column given) and their outbox rows, in the caller's transaction."""
    insert_tables(conn, [(table_name, rows, key)])


def insert_tables(
    conn: Connection, batches: Sequence[tuple[str, Sequence[Mapping[str, Any]], str]]
) -> None:
    """Insert several tables' rows, in order (parents first), and all their outbox rows in
    one statement: a save that writes five tables pays for one outbox insert, not five.

    ``batches`` holds (table name, rows with every column given, key column).
    """
    outbox: list[dict[str, Any]] = []
    for table_name, rows, key in batches:
        if not rows:
            continue
        keys, columns = frozenset(rows[0]), _columns(table_name)
        if keys != columns:  # a column added later must still reach the outbox payload
            lacking, unknown = sorted(columns - keys), sorted(keys - columns)
            raise AssertionError(f"{table_name}: no value for {lacking}, no column {unknown}")
        prepared_insert(table_name, keys, conn.dialect).run(conn, rows)
        outbox += rows_for_inserts(table_name, rows, key=key)
    if outbox:
        prepared_insert("outbox", frozenset(outbox[0]), conn.dialect).run(conn, outbox)


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
            _insert_into("outbox"),
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
