"""Core writes that carry their outbox rows, for services that bypass the ORM's flush hook."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect, Insert, insert, update
from sqlalchemy.exc import DBAPIError

from pakn_desktop.domain.ids import new_id

from .models import Base
from .outbox import rows_for_inserts, to_json
from .types import utcnow


@functools.cache
def _insert_into(table_name: str) -> Insert:
    # Built once per table: building the statement on every save cost as much as running it.
    return insert(Base.metadata.tables[table_name])


@dataclass(frozen=True)
class _PreparedInsert:
    """An INSERT of every column, compiled once per table and dialect, with the columns' own
    bind processors: the same SQL and stored values as ``conn.execute(insert(t), rows)``,
    without SQLAlchemy's per-execution compile-cache lookup and parameter set-up, which was
    half of an intake save's Python time (measured with cProfile in ``bench_intake.py``)."""

    sql: str
    columns: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]
    positional: bool

    def parameters(self, rows: Sequence[Mapping[str, Any]]) -> list[Any]:
        pairs = tuple(zip(self.columns, self.processors, strict=True))
        if self.positional:
            return [
                tuple(v if p is None or v is None else p(v) for c, p in pairs for v in (row[c],))
                for row in rows
            ]
        return [
            {c: (v if p is None or v is None else p(v)) for c, p in pairs for v in (row[c],)}
            for row in rows
        ]


@functools.cache
def _prepared(table_name: str, keys: frozenset[str], dialect: Dialect) -> _PreparedInsert:
    table = Base.metadata.tables[table_name]
    compiled = insert(table).compile(
        dialect=dialect, column_keys=[c.key for c in table.columns if c.key in keys]
    )
    positional = bool(dialect.positional)
    columns = tuple(compiled.positiontup or ()) if positional else tuple(compiled.params)
    if set(columns) != keys:  # a column with a Python-side default the rows left out
        raise AssertionError(f"{table_name}: give every value of {sorted(set(columns) - keys)}")
    processors = tuple(
        table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns
    )
    return _PreparedInsert(compiled.string, columns, processors, positional)


def _execute_insert(conn: Connection, table_name: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Run the prepared INSERT on the driver's own cursor, in ``conn``'s transaction.

    ``exec_driver_sql`` cost ~14 µs a statement in SQLAlchemy's execution context (measured:
    3% of an intake save for its four inserts); a driver error is still raised as
    SQLAlchemy's (IntegrityError, OperationalError…), which callers catch and retry on.
    """
    prepared = _prepared(table_name, frozenset(rows[0]), conn.dialect)
    parameters = prepared.parameters(rows)
    driver = conn.connection.driver_connection
    assert driver is not None
    dbapi = conn.dialect.loaded_dbapi
    cursor = driver.cursor()
    try:
        if len(parameters) == 1:
            cursor.execute(prepared.sql, parameters[0])
        else:
            cursor.executemany(prepared.sql, parameters)
    except dbapi.Error as error:
        raise DBAPIError.instance(prepared.sql, parameters, error, dbapi.Error) from error
    finally:
        cursor.close()


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
        table = Base.metadata.tables[table_name]
        missing = [c.key for c in table.columns if c.key not in rows[0]]
        if missing:  # a column added later must still reach the outbox payload
            raise AssertionError(f"{table_name}: no value for {missing}")
        _execute_insert(conn, table_name, rows)
        outbox += rows_for_inserts(table_name, rows, key=key)
    if outbox:
        _execute_insert(conn, "outbox", outbox)


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
