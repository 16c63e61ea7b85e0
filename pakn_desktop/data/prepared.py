"""Statements on the intake save's path, compiled once per dialect and run on the driver's cursor.

SQLAlchemy's ``conn.execute`` spends 15–20 µs a statement (cache key, execution context, result
set-up) around a driver call that takes 2–50 µs; the save runs seven, on every call an operator
takes. A :class:`Prepared` holds the compiled SQL and the columns' own bind and result
processors, so it sends and reads exactly what ``conn.execute`` would (tests/test_writes.py
compares them), inside the caller's transaction. Driver errors are raised as SQLAlchemy's
(IntegrityError, OperationalError…), which callers catch and retry on.

Use it only where a statement runs on every save; anything else reads better as plain Core.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import ClauseElement

from .models import Base

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class Prepared:
    """One compiled statement: its SQL, its parameters in the driver's order with their bind
    processors (and the defaults of the literals it holds), and its result processors."""

    sql: str
    names: tuple[str, ...]
    pairs: tuple[tuple[str, Processor], ...]
    literals: Mapping[str, Any]
    positional: bool
    results: tuple[Processor, ...]

    def parameters(self, rows: Sequence[Mapping[str, Any]]) -> list[Any]:
        """Driver parameters for ``rows`` (values by bind name; the literals are filled in)."""
        out: list[Any] = []
        for row in rows:
            source = {**self.literals, **row} if self.literals else row
            done = [
                v if p is None or v is None else p(v) for n, p in self.pairs for v in (source[n],)
            ]
            out.append(tuple(done) if self.positional else dict(zip(self.names, done, strict=True)))
        return out

    def run(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        """Execute for each of ``rows`` in ``conn``'s transaction; the result rows of a single
        execution (a SELECT, or DML with RETURNING), processed like SQLAlchemy's."""
        parameters = self.parameters(rows)
        driver = conn.connection.driver_connection
        assert driver is not None
        dbapi = conn.dialect.loaded_dbapi
        cursor = driver.cursor()
        try:
            if len(parameters) == 1:
                cursor.execute(self.sql, parameters[0])
                fetched = cursor.fetchall() if self.results else []
            else:
                cursor.executemany(self.sql, parameters)
                fetched = []
        except dbapi.Error as error:
            raise DBAPIError.instance(self.sql, parameters, error, dbapi.Error) from error
        finally:
            cursor.close()
        if not any(self.results):
            return [tuple(r) for r in fetched]
        processors = self.results
        return [
            tuple(v if p is None or v is None else p(v) for p, v in zip(processors, r, strict=True))
            for r in fetched
        ]


# Keyed by the dialect instance, one per engine: bounded, so the many short-lived engines
# of the CLI and the tests do not keep their compiled statements alive.
@functools.lru_cache(maxsize=256)
def prepared(statement: ClauseElement, dialect: Dialect) -> Prepared:
    """``statement`` (a module-level constant: the cache holds it) compiled for ``dialect``."""
    compiled: Any = statement.compile(dialect=dialect)
    return _from_compiled(compiled, dialect, getattr(statement, "exported_columns", ()))


@functools.lru_cache(maxsize=256)
def prepared_insert(table_name: str, keys: frozenset[str], dialect: Dialect) -> Prepared:
    """An INSERT into ``table_name`` of exactly the columns ``keys``."""
    table = Base.metadata.tables[table_name]
    compiled: Any = insert(table).compile(dialect=dialect, column_keys=list(keys))
    found = _from_compiled(compiled, dialect, ())
    if set(found.names) != keys:  # a Python-side default the rows left out, or no such column
        raise AssertionError(
            f"{table_name}: give exactly {sorted(set(found.names))}, not {sorted(keys)}"
        )
    return found


def _from_compiled(compiled: Any, dialect: Dialect, columns: Any) -> Prepared:
    positional = bool(dialect.positional)
    names = tuple(compiled.positiontup or ()) if positional else tuple(compiled.params)
    pairs = tuple(
        (n, compiled.binds[n].type.dialect_impl(dialect).bind_processor(dialect)) for n in names
    )
    # Binds the statement holds a value for (the 1 of ``last_seq + 1``); the rest come per row.
    literals = {n: b.value for n in names if (b := compiled.binds[n]).value is not None}
    results = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns)
    return Prepared(compiled.string, names, pairs, literals, positional, results)
