"""The pull's SQL on this workstation's own database: apply other stations' changes by
primary key, in the server's order, and keep the pull's cursor (decision 46).

Core statements on the writer, never the ORM session: the outbox hook (``data.outbox``) sees
no flush, so a pulled change is not pushed back. The database's own triggers still run: the
tally stays exact and the search index follows (on SQLite a new report lands above the index's
mark, in the backlog that searches read and the indexer takes). Foreign keys are checked row
by row first (the server's order puts parents first); a batch that breaks one is applied
again with them checked at the commit (``deferred``), and then change by change (decision 54).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Table,
    Text,
    Uuid,
    and_,
    bindparam,
    select,
    type_coerce,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from pakn_desktop.domain.labels import SYNC_CONFLICT

from .models import Base
from .outbox import LOCAL_TABLES

CURSOR_KEY = "pull_cursor"
# Kept in step by every write, not chosen by anyone: a later change of them is no conflict.
BOOKKEEPING = frozenset({"version", "updated_at", "search_text"})
log = logging.getLogger(__name__)
_STATE = Base.metadata.tables["sync_state"]


@dataclass(frozen=True, slots=True)
class Pulled:
    """One change-log row as a station receives it (``data.sync_server.pull``)."""

    server_seq: int
    tx: int
    change_id: uuid.UUID
    table_name: str
    row_id: str
    op: str
    payload_text: str
    # Columns this station set again later on the same row: its value won on the server.
    superseded: tuple[str, ...] = ()


@dataclass
class Applied:
    """What one local transaction of the pull did, for ``services.changes.Changes``."""

    applied: int = 0
    skipped: int = 0  # not for this database (a local-only table, an unknown table or column)
    missing: int = 0  # an update or delete of a row this station does not have
    refused: int = 0  # changes this database refused (a constraint), left out
    conflicts: int = 0  # changes with columns this station changed again later (its value kept)
    # (report, pulled change, {column: the value that lost}) for the report's timeline
    lost: list[tuple[uuid.UUID, Pulled, dict[str, Any]]] = field(default_factory=list)
    created: set[uuid.UUID] = field(default_factory=set)
    updated: set[uuid.UUID] = field(default_factory=set)
    tables: set[str] = field(default_factory=set)


def read_cursor(conn: Connection) -> tuple[int, int]:
    """(tx, server_seq) of the last change applied here; (0, 0) before the first pull."""
    value = conn.scalar(select(_STATE.c.value).where(_STATE.c.key == CURSOR_KEY))
    if not value:
        return (0, 0)
    tx, seq = str(value).split(":")
    return (int(tx), int(seq))


def _store_cursor(conn: Connection, cursor: tuple[int, int]) -> None:
    value = f"{cursor[0]}:{cursor[1]}"
    insert = sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert
    stmt = insert(_STATE).values(key=CURSOR_KEY, value=value)
    conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def _coerce(column: Column[Any], value: Any) -> Any:
    """A JSON value as the column's Python type (the engine's types store it)."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, Uuid) and isinstance(value, str):
        return uuid.UUID(value)
    impl = getattr(kind, "impl", kind)
    if isinstance(impl, DateTime) and isinstance(value, str):
        return datetime.fromisoformat(value)
    if isinstance(impl, Date) and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def _row(table: Table, change: Pulled) -> dict[str, Any] | None:
    """The payload as column values, with the key from ``row_id``; None when the change does
    not fit this table (a column this version does not have, a key of another shape)."""
    payload = json.loads(change.payload_text)
    keys = change.row_id.split("|")
    pk = list(table.primary_key.columns)
    if not isinstance(payload, dict) or len(keys) != len(pk):
        return None
    if set(payload) - set(table.columns.keys()):
        return None
    payload = {k: v for k, v in payload.items() if k not in change.superseded}
    values = payload | {c.name: v for c, v in zip(pk, keys, strict=True)}
    return {name: _coerce(table.columns[name], v) for name, v in values.items()}


def _ticket_of(conn: Connection, table: Table, row: dict[str, Any]) -> uuid.UUID | None:
    """The report a change belongs to: the ticket itself, its ``ticket_id`` in the payload,
    else the row's as stored here (an update or delete names only its columns)."""
    if table.name == "ticket":
        value = row.get("id")
        return value if isinstance(value, uuid.UUID) else None
    if "ticket_id" not in table.columns:
        return None
    found = row.get("ticket_id")
    if isinstance(found, uuid.UUID):
        return found
    match = and_(*(c == row[c.name] for c in table.primary_key.columns))
    stored = conn.scalar(select(table.c.ticket_id).where(match))
    return stored if isinstance(stored, uuid.UUID) else None


_Shape = tuple[str, str, tuple[str, ...]]  # (table, op, columns)


_STATEMENTS: dict[tuple[str, str, str, tuple[str, ...]], Any] = {}
# Updates come in column subsets: a watcher running for months could meet many. Past this
# many shapes the cache starts again (a shape costs ~1 ms to build again).
STATEMENTS_KEPT = 512


def _statement(conn: Connection, table: Table, op: str, keys: tuple[str, ...]) -> Any:
    """One statement for every change of a shape, its values bound by name (``b_`` + the
    column): built once per shape and kept (a pull of new reports alternates tables change by
    change, and building an upsert's ``excluded`` costs ~1 ms: most of a pull's time)."""
    key = (conn.dialect.name, table.name, op, keys)
    found = _STATEMENTS.get(key)
    if found is None:
        if len(_STATEMENTS) >= STATEMENTS_KEPT:
            _STATEMENTS.clear()
        found = _STATEMENTS[key] = _build_statement(conn, table, op, keys)
    return found


def _build_statement(conn: Connection, table: Table, op: str, keys: tuple[str, ...]) -> Any:
    pk = [c.name for c in table.primary_key.columns]
    match = and_(*(table.c[k] == bindparam(f"b_{k}") for k in pk))
    if op == "delete":
        return table.delete().where(match)
    cols = [k for k in keys if k not in pk]
    if op == "update":
        return table.update().where(match).values({k: bindparam(f"b_{k}") for k in cols})
    insert = sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert
    stmt = insert(table).values({k: bindparam(f"b_{k}") for k in keys})
    if not cols:
        return stmt.on_conflict_do_nothing(index_elements=pk)
    # An upsert: a replayed insert, or a row this station already had.
    excluded = stmt.excluded
    return stmt.on_conflict_do_update(index_elements=pk, set_={k: excluded[k] for k in cols})


def _run(conn: Connection, table: Table, shape: _Shape, rows: list[dict[str, Any]]) -> int:
    """Rows the group found (an update or delete of a row this station lacks finds none)."""
    _, op, keys = shape
    pk = {c.name for c in table.primary_key.columns}
    if op == "update" and set(keys) <= pk:
        return len(rows)  # nothing but the key: nothing to change
    params = [{f"b_{k}": v for k, v in row.items()} for row in rows]
    done = conn.execute(_statement(conn, table, op, keys), params)
    return len(rows) if op == "insert" else max(done.rowcount, 0)


def apply(
    conn: Connection,
    changes: Sequence[Pulled],
    station_id: uuid.UUID | None = None,
    *,
    careful: bool = False,
    deferred: bool = False,
) -> Applied:
    """Apply ``changes`` in their order and move the cursor past the last one, in the
    caller's write transaction (so a crash keeps both or neither). Consecutive changes of
    one table, operation and set of columns go as one executemany.

    ``careful``: after a batch this database refused (a row that breaks a constraint here,
    such as two stations' events numbered alike on one report): each change in its own
    savepoint, foreign keys checked at once, a refused change left out and counted (it stays
    whole in the server's change log) so that one row cannot stop the pull for good.

    ``deferred``: foreign keys checked at the commit, not row by row, for a batch whose rows
    do not come parents first (the server's order normally does: each station wrote its
    rows under its own checked keys). Not the default: on SQLite the pragma expires every
    prepared statement of the connection, and re-preparing the ticket's upsert with the
    tally's triggers cost ~3.5 ms of a woken pull's ~17 (bench/README.md)."""
    done = Applied()
    if conn.dialect.name == "sqlite" and deferred and not careful:
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # reset by the commit
    shape: _Shape | None = None
    group: list[dict[str, Any]] = []
    waiting = _pending_columns(conn, changes)
    for change in changes:
        mine = waiting.get((change.table_name, change.row_id))
        if mine:  # this station's change still to push: it will be the later one
            change = replace(change, superseded=tuple(set(change.superseded) | mine))
        table = Base.metadata.tables.get(change.table_name)
        row = None if table is None or table.name in LOCAL_TABLES else _row(table, change)
        if table is None or row is None:
            done.skipped += 1
            continue
        chosen = sorted(set(change.superseded) - BOOKKEEPING)
        if chosen:
            done.conflicts += 1
            log.info(
                "sync pull: %s %s: %s kept as this station set them later",
                table.name,
                change.row_id,
                ", ".join(chosen),
            )
            ticket = _ticket_of(conn, table, row)
            if ticket is not None:
                payload = json.loads(change.payload_text)
                done.lost.append((ticket, change, {k: payload.get(k) for k in chosen}))
        here = (table.name, change.op, tuple(sorted(row)))
        if careful:
            _one(conn, table, change, here, row, done)
            continue
        if here != shape:
            _flush(conn, shape, group, done)
            shape, group = here, []
        if change.op != "insert":  # the report it belongs to, read before it is gone
            _note(done, table, change.op, _ticket_of(conn, table, row))
        group.append(row)
    _flush(conn, shape, group, done)
    if done.lost:
        _record_lost(conn, done, station_id)
    if changes:
        _store_cursor(conn, (changes[-1].tx, changes[-1].server_seq))
    return done


def _pending_columns(
    conn: Connection, changes: Sequence[Pulled]
) -> dict[tuple[str, str], set[str]]:
    """The columns of the pulled rows that this station changed and has not pushed yet (its
    outbox's pending rows): pushed after the pull, they will be the later change on the
    server, so the pulled values of those columns lose here already."""
    keys = {(c.table_name, c.row_id) for c in changes if c.op != "delete"}
    if not keys:
        return {}
    outbox = Base.metadata.tables["outbox"]
    stmt = select(outbox.c.table_name, outbox.c.row_id, type_coerce(outbox.c.payload, Text)).where(
        outbox.c.pushed_at.is_(None),
        outbox.c.parked_at.is_(None),
        outbox.c.op != "delete",
        outbox.c.row_id.in_(sorted({row for _, row in keys})[:10_000]),
    )
    found: dict[tuple[str, str], set[str]] = {}
    for table_name, row_id, payload in conn.execute(stmt):
        if (table_name, row_id) in keys:
            value = json.loads(payload) if isinstance(payload, str) else payload
            if isinstance(value, dict):
                found.setdefault((table_name, row_id), set()).update(value)
    return found


def _one(
    conn: Connection,
    table: Table,
    change: Pulled,
    shape: _Shape,
    row: dict[str, Any],
    done: Applied,
) -> None:
    if change.op != "insert":
        _note(done, table, change.op, _ticket_of(conn, table, row))
    try:
        with conn.begin_nested():
            _flush(conn, shape, [row], done)
    except IntegrityError as error:
        done.refused += 1
        reason = str(getattr(error, "orig", error)).splitlines()[0]  # no values: names only
        log.warning("sync pull: %s %s not applied here: %s", table.name, change.row_id, reason)


def _flush(
    conn: Connection, shape: _Shape | None, rows: list[dict[str, Any]], done: Applied
) -> None:
    if shape is None or not rows:
        return
    table = Base.metadata.tables[shape[0]]
    found = _run(conn, table, shape, rows)
    done.applied += found
    done.missing += len(rows) - found
    done.tables.add(table.name)
    if shape[1] == "insert":
        for row in rows:
            _note(done, table, "insert", _ticket_of(conn, table, row))


def _note(done: Applied, table: Table, op: str, ticket: uuid.UUID | None) -> None:
    if ticket is None:
        return
    if table.name == "ticket" and op == "insert":
        done.created.add(ticket)
    else:
        done.updated.add(ticket)


def _record_lost(conn: Connection, done: Applied, station_id: uuid.UUID | None) -> None:
    """The values that lost, on their report's timeline: nothing is discarded silently. The
    event is this station's own write (an outbox row), so every station and the server see
    it; ``change_id`` names the pulled change, kept whole in the server's change log."""
    from .timeline import append, lock
    from .types import utcnow

    for ticket, change, values in done.lost:
        if (
            conn.scalar(
                select(Base.metadata.tables["ticket"].c.id).where(
                    Base.metadata.tables["ticket"].c.id == ticket
                )
            )
            is None
        ):
            continue  # the report is not here (deleted since)
        lock(conn, ticket)
        data = {"table": change.table_name, "change_id": str(change.change_id), "lost": values}
        append(
            conn,
            ticket,
            [(SYNC_CONFLICT, data)],
            at=utcnow(),
            actor_id=None,
            station_id=station_id,
        )
        done.updated.add(ticket)
