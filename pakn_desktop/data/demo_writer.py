"""Writing demo rows: bulk Core inserts, each row's outbox row in the same transaction."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Connection, Uuid, insert, update

from pakn_desktop.domain.ids import new_id_hexes

from . import search_schema
from .demo_rows import Chunk, Row
from .models import Base
from .outbox import rows_for_inserts
from .types import UtcDateTime, utcnow

_UUID, _TIME, _BOOL, _JSON = "uuid", "time", "bool", "json"
SYNCED = (
    "station",
    "unit",
    "unit_contact",
    "reporter",
    "ticket",
    "ticket_event",
    "assignment",
)
_OUTBOX_COLUMNS = ("change_id", "table_name", "row_id", "op", "payload", "created_at", "attempts")

RowMaker = Callable[[Mapping[str, Any]], tuple[Any, ...]]


def stored_time(value: str) -> str:
    """SQLAlchemy's SQLite DATETIME text (naive UTC, always 6 fraction digits) of an ISO instant
    in the JSON form ``clock.iso`` writes."""
    text = value[:-6]
    if len(text) == 19:
        return f"{text[:10]} {text[11:]}.000000"
    return f"{text[:10]} {text[11:]}"


def _column_kind(column: Column[Any]) -> str | None:
    if isinstance(column.type, Uuid):
        return _UUID
    if isinstance(column.type, UtcDateTime):
        return _TIME
    if isinstance(column.type, Boolean):
        return _BOOL
    if isinstance(column.type, JSON):
        return _JSON
    return None


def _unhyphen(value: str) -> str:
    return value.replace("-", "")


def _tuple_maker(columns: Sequence[Column[Any]]) -> RowMaker:
    """A function turning a JSON-form row into the tuple SQLite stores, one call per row.

    Built from the table's columns, so it follows the model; generated as source because a
    loop over the columns per row cost more than the insert it feeds.
    """
    fixes = {_UUID: "_unhyphen", _TIME: "_stored_time", _BOOL: "int", _JSON: "_dumps"}
    parts = []
    for column in columns:
        value = f"row[{column.name!r}]"
        kind = _column_kind(column)
        if kind is None:
            parts.append(value)
        elif column.nullable:
            parts.append(f"(None if (v := {value}) is None else {fixes[kind]}(v))")
        else:
            parts.append(f"{fixes[kind]}({value})")
    source = f"def make(row):\n    return ({', '.join(parts)},)\n"
    scope: dict[str, Any] = {
        "_unhyphen": _unhyphen,
        "_stored_time": stored_time,
        "_dumps": json.dumps,
    }
    exec(compile(source, f"<demo row maker {columns[0].table}>", "exec"), scope)
    maker: RowMaker = scope["make"]
    return maker


class Writer:
    """Inserts JSON-ready rows (the outbox payload form) with their outbox rows.

    Rows are built once, as the outbox payload must carry them (``outbox.to_json`` forms:
    dashed UUIDs, aware ISO instants); each engine's writer turns them into what it binds.
    """

    def insert(self, conn: Connection, name: str, rows: list[Row]) -> None:
        raise NotImplementedError

    def write_chunk(
        self, conn: Connection, chunk: Chunk, station_uuid: uuid.UUID, known_days: set[date]
    ) -> None:
        """A chunk's rows in FK order, then this database's case numbering."""
        self.insert(conn, "unit", chunk.units)
        self.insert(conn, "unit_contact", chunk.unit_contacts)
        self.insert(conn, "reporter", chunk.reporters)
        with search_schema.bulk_insert(conn):  # one FTS statement per chunk, not per row
            self.insert(conn, "ticket", chunk.tickets)
        self.insert(conn, "ticket_event", chunk.events)
        self.insert(conn, "assignment", chunk.assignments)
        # case_sequence is local (not synced): it only keeps this database's numbering going.
        table = Base.metadata.tables["case_sequence"]
        for day, last in sorted(chunk.days.items()):
            if day in known_days:
                conn.execute(
                    update(table)
                    .where(table.c.station_id == station_uuid, table.c.day == day)
                    .values(last_seq=last)
                )
            else:
                conn.execute(insert(table).values(station_id=station_uuid, day=day, last_seq=last))
                known_days.add(day)


class SqliteWriter(Writer):
    """Binds the text the ORM's types store on SQLite (32-hex UUIDs, naive UTC
    ``YYYY-MM-DD HH:MM:SS.ffffff``, 0/1, JSON text) as tuples straight to the driver's
    executemany: SQLAlchemy's per-row parameter processing cost more than the insert itself.
    ``test_demo`` reads the rows back through the ORM to prove the stored values identical."""

    def __init__(self, conn: Connection) -> None:
        quote = conn.dialect.identifier_preparer.quote
        self.sql: dict[str, str] = {}
        self.makers: dict[str, RowMaker] = {}
        for name in SYNCED:
            columns = list(Base.metadata.tables[name].columns)
            self.sql[name] = self._sql(quote, name, [c.name for c in columns])
            self.makers[name] = _tuple_maker(columns)
        self.sql["outbox"] = self._sql(quote, "outbox", list(_OUTBOX_COLUMNS))

    @staticmethod
    def _sql(quote: Callable[[str], str], name: str, columns: list[str]) -> str:
        names = ", ".join(quote(c) for c in columns)
        marks = ", ".join("?" for _ in columns)
        return f"INSERT INTO {quote(name)} ({names}) VALUES ({marks})"

    def insert(self, conn: Connection, name: str, rows: list[Row]) -> None:
        if not rows:
            return
        conn.exec_driver_sql(self.sql[name], list(map(self.makers[name], rows)))
        # The outbox rows ``outbox.rows_for_inserts`` would give, bound as SQLite stores them.
        # The rows are JSON-ready already (payload = the row itself, row_id = its dashed id),
        # so neither a copy of each row nor a uuid.UUID per change id is needed.
        stamp = stored_time(utcnow().isoformat())
        dumps = json.dumps
        conn.exec_driver_sql(
            self.sql["outbox"],
            [
                (change_id, name, row["id"], "insert", dumps(row), stamp, 0)
                for change_id, row in zip(new_id_hexes(len(rows)), rows, strict=True)
            ],
        )


class TypedWriter(Writer):
    """Any other engine: Python values through the typed tables (engine-neutral Core)."""

    def __init__(self) -> None:
        self.fixes = {
            name: [
                (c.name, kind)
                for c in Base.metadata.tables[name].columns
                if (kind := _column_kind(c)) in (_UUID, _TIME)
            ]
            for name in SYNCED
        }

    def insert(self, conn: Connection, name: str, rows: list[Row]) -> None:
        if not rows:
            return
        fixes = self.fixes[name]
        params = []
        for row in rows:
            values = dict(row)
            for key, kind in fixes:
                value = values[key]
                if value is not None:
                    values[key] = (
                        uuid.UUID(value) if kind == _UUID else datetime.fromisoformat(value)
                    )
            params.append(values)
        conn.execute(insert(Base.metadata.tables[name]), params)
        conn.execute(insert(Base.metadata.tables["outbox"]), rows_for_inserts(name, rows))


def writer_for(conn: Connection) -> Writer:
    return SqliteWriter(conn) if conn.dialect.name == "sqlite" else TypedWriter()
