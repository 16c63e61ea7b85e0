"""The push's SQL on the shared PostgreSQL server (decision 44).

A change is applied only if its ``change_id`` is new to ``change_log`` (INSERT … ON CONFLICT
DO NOTHING, in the transaction that applies it), so a batch replayed after a crash, a timeout
or a lost COMMIT reply changes nothing the second time. Applying is the server's own
conversion of the JSON payload into the table's row type (``jsonb_populate_recordset``):
an upsert of the payload's columns by primary key for an insert, an UPDATE of them for an
update, a DELETE for a delete; consecutive changes of one shape go as one statement.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table

from .models import Base
from .outbox import LOCAL_TABLES
from .sync_apply import Pulled
from .sync_local import Change

# Tables in foreign-key order (parents first): the COPY path inserts one table at a time.
_ORDER = {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}


class MissingRow(Exception):
    """An update for a row the server does not have (applied per change: parked)."""


@dataclass(frozen=True, slots=True)
class ServerStation:
    id: uuid.UUID
    code: str


def revision(conn: Connection) -> str | None:
    found = conn.exec_driver_sql(
        "SELECT to_regclass('alembic_version') IS NOT NULL, to_regclass('change_log') IS NOT NULL"
    ).one()
    if not found[0] or not found[1]:
        return None
    value = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return None if value is None else str(value)


def lock_station(conn: Connection, station_id: uuid.UUID) -> None:
    """One push per station at a time (a second process waits): two pushes of the same
    changes cannot both find them new."""
    conn.exec_driver_sql(
        "SELECT pg_advisory_xact_lock(hashtextextended(%s, 43))", (str(station_id),)
    )


# One push transaction on the server at a time, its lock taken before its first write: a
# transaction id is assigned at the first write, so the ids then follow the commits, and the
# change log's order (tx, server_seq) is the order in which two pushes wrote one row (the
# server's row holds the later; every station applying in log order ends with the same). A
# push that lost its station mid-transaction lets go after IDLE_IN_PUSH (the server ends it);
# one waiting gives up after WAIT_FOR_PUSH and tries again at the next round (decision 52).
PUSH_ORDER_KEY = 0x70616B6E  # "pakn"
IDLE_IN_PUSH = "30s"
WAIT_FOR_PUSH = "60s"


def lock_push(conn: Connection) -> None:
    """In a push's transaction, before it writes: the server's one push at a time."""
    conn.exec_driver_sql(
        "SELECT set_config('idle_in_transaction_session_timeout', %s, true), "
        "set_config('lock_timeout', %s, true), pg_advisory_xact_lock(%s)",
        (IDLE_IN_PUSH, WAIT_FOR_PUSH, PUSH_ORDER_KEY),
    )


def register_station(
    conn: Connection, station_id: uuid.UUID, code: str, name: str, created_at: datetime
) -> ServerStation:
    """Record the station (code ↔ id) if new; the station now holding ``code`` (another id
    when a second station took the same code), else this id's record (another code): the
    caller refuses either."""
    conn.exec_driver_sql(
        "INSERT INTO station (id, code, name, created_at) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT DO NOTHING",
        (station_id, code, name, created_at.replace(tzinfo=None)),
    )
    row = conn.exec_driver_sql("SELECT id, code FROM station WHERE code = %s", (code,)).first()
    if row is None:  # this id is on the server under another code
        row = conn.exec_driver_sql(
            "SELECT id, code FROM station WHERE id = %s", (station_id,)
        ).one()
    return ServerStation(row[0], row[1])


def problem(change: Change) -> str | None:
    """Why a change cannot be applied whatever the server holds (a bad payload), or None."""
    table = Base.metadata.tables.get(change.table_name)
    if table is None or change.table_name in LOCAL_TABLES:
        return f"bảng {change.table_name!r} không đồng bộ lên máy chủ"
    try:
        payload = json.loads(change.payload_text)
    except ValueError:
        return "nội dung thay đổi không phải JSON"
    if not isinstance(payload, dict):
        return "nội dung thay đổi không phải một đối tượng JSON"
    unknown = sorted(set(payload) - set(table.columns.keys()))
    if unknown:
        return f"bảng {change.table_name} không có cột {', '.join(unknown)}"
    if len(change.row_id.split("|")) != len(table.primary_key.columns):
        return "khoá của hàng không khớp bảng"
    if change.op == "insert" and not payload:
        return "thay đổi thêm hàng không có cột nào"
    return None


def ticket_of(change: Change, payload: dict[str, Any]) -> uuid.UUID | None:
    """The report a change belongs to (for row-level security by unit, later)."""
    raw = change.row_id if change.table_name == "ticket" else payload.get("ticket_id")
    try:
        return uuid.UUID(str(raw)) if raw else None
    except ValueError:
        return None


def log_changes(
    conn: Connection, station_id: uuid.UUID, changes: Sequence[Change]
) -> set[uuid.UUID]:
    """Record ``changes`` in the change log, in their order; the change ids that were new
    (the others were applied before: a replay)."""
    payloads = [c.payload for c in changes]
    rows = conn.exec_driver_sql(
        "INSERT INTO change_log (change_id, station_id, table_name, row_id, op, payload, "
        "ticket_id) SELECT u.c, %s, u.t, u.r, u.o, u.p::jsonb, u.k FROM unnest("
        "%s::uuid[], %s::text[], %s::text[], %s::text[], %s::text[], %s::uuid[]) "
        "WITH ORDINALITY AS u(c, t, r, o, p, k, n) ORDER BY u.n "
        "ON CONFLICT (change_id) DO NOTHING RETURNING change_id",
        (
            station_id,
            [c.change_id for c in changes],
            [c.table_name for c in changes],
            [c.row_id for c in changes],
            [c.op for c in changes],
            [c.payload_text for c in changes],
            [ticket_of(c, p) for c, p in zip(changes, payloads, strict=True)],
        ),
    )
    return {row[0] for row in rows}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _with_key(table: Table, change: Change, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with the primary key's values from ``row_id`` (an update carries only
    the columns it changed)."""
    values = change.row_id.split("|")
    return payload | {c.name: v for c, v in zip(table.primary_key.columns, values, strict=True)}


def _statement(table: Table, op: str, keys: Sequence[str]) -> str:
    t = _q(table.name)
    pk = [c.name for c in table.primary_key.columns]
    source = f"jsonb_populate_recordset(NULL::{t}, %s::jsonb) AS r"
    match = " AND ".join(f"t.{_q(k)} = r.{_q(k)}" for k in pk)
    if op == "delete":
        return f"DELETE FROM {t} AS t USING {source} WHERE {match}"
    cols = [k for k in keys if k not in pk]
    if op == "update":
        sets = ", ".join(f"{_q(c)} = r.{_q(c)}" for c in cols)
        return f"UPDATE {t} AS t SET {sets} FROM {source} WHERE {match}"
    names = ", ".join(_q(k) for k in keys)
    picked = ", ".join(f"r.{_q(k)}" for k in keys)
    return f"INSERT INTO {t} ({names}) SELECT {picked} FROM {source} {_on_conflict(pk, cols)}"


def _on_conflict(pk: Sequence[str], cols: Sequence[str]) -> str:
    target = ", ".join(_q(k) for k in pk)
    if not cols:
        return f"ON CONFLICT ({target}) DO NOTHING"
    sets = ", ".join(f"{_q(c)} = EXCLUDED.{_q(c)}" for c in cols)
    return f"ON CONFLICT ({target}) DO UPDATE SET {sets}"


def apply(conn: Connection, changes: Sequence[Change]) -> None:
    """Apply ``changes`` in their order. Consecutive changes of one table, operation and set
    of columns go as one statement, unless one row comes twice (an upsert may touch a row
    once per statement). An update that finds fewer rows than it names is MissingRow."""
    group: list[dict[str, Any]] = []
    shape: tuple[str, str, tuple[str, ...]] | None = None
    rows: set[str] = set()
    for change in changes:
        table = Base.metadata.tables[change.table_name]
        payload = _with_key(table, change, change.payload)
        here = (change.table_name, change.op, tuple(sorted(payload)))
        if here != shape or change.row_id in rows:
            _flush(conn, shape, group)
            group, shape, rows = [], here, set()
        group.append(payload)
        rows.add(change.row_id)
    _flush(conn, shape, group)


def _flush(
    conn: Connection, shape: tuple[str, str, tuple[str, ...]] | None, group: list[dict[str, Any]]
) -> None:
    if shape is None or not group:
        return
    name, op, keys = shape
    table = Base.metadata.tables[name]
    if op == "update" and len(keys) == len(table.primary_key.columns):
        return  # nothing but the key: nothing to change
    sql = _statement(table, op, keys)
    done = conn.exec_driver_sql(sql, (json.dumps(group),))
    if op == "update" and done.rowcount < len(group):
        raise MissingRow(f"{len(group) - done.rowcount} hàng chưa có trên máy chủ")


# --- the COPY path: a large first push -----------------------------------------------------

_STAGE = (
    "CREATE TEMPORARY TABLE sync_stage (n bigint, change_id uuid, table_name text, "
    "row_id text, payload jsonb, keys text, ticket_id uuid) ON COMMIT DROP"
)


def copy_inserts(conn: Connection, station_id: uuid.UUID, changes: Sequence[Change]) -> int:
    """Apply a run of inserts (each row once) through COPY into a staging table, then one
    INSERT … SELECT … ON CONFLICT per table and set of columns, parents first. Changes the
    change log already has are dropped from the stage first: idempotent like the batches.
    Returns the number of changes that were new."""
    conn.exec_driver_sql(_STAGE)
    raw: Any = conn.connection.driver_connection
    with (
        raw.cursor() as cursor,
        cursor.copy(
            "COPY sync_stage (n, change_id, table_name, row_id, payload, keys, ticket_id) "
            "FROM STDIN"
        ) as copy,
    ):
        for n, change in enumerate(changes):
            payload = change.payload
            keys = ",".join(sorted(payload))
            ticket = ticket_of(change, payload)
            copy.write_row(
                (n, change.change_id, change.table_name, change.row_id, change.payload_text)
                + (keys, ticket)
            )
    new = conn.exec_driver_sql(
        "WITH new AS (INSERT INTO change_log (change_id, station_id, table_name, row_id, op, "
        "payload, ticket_id) SELECT change_id, %s, table_name, row_id, 'insert', payload, "
        "ticket_id FROM sync_stage ORDER BY n ON CONFLICT (change_id) DO NOTHING "
        "RETURNING change_id) "
        "DELETE FROM sync_stage AS s WHERE NOT EXISTS "
        "(SELECT 1 FROM new WHERE new.change_id = s.change_id)",
        (station_id,),
    )
    stale = new.rowcount
    groups = conn.exec_driver_sql("SELECT DISTINCT table_name, keys FROM sync_stage").all()
    for name, keys in sorted(groups, key=lambda g: (_ORDER[g[0]], g[1])):
        table = Base.metadata.tables[name]
        columns = keys.split(",")
        pk = [c.name for c in table.primary_key.columns]
        t = _q(name)
        conn.exec_driver_sql(
            f"INSERT INTO {t} ({', '.join(_q(c) for c in columns)}) "
            f"SELECT {', '.join('r.' + _q(c) for c in columns)} FROM sync_stage AS s "
            f"CROSS JOIN LATERAL jsonb_populate_record(NULL::{t}, s.payload) AS r "
            f"WHERE s.table_name = %s AND s.keys = %s ORDER BY s.n "
            + _on_conflict(pk, [c for c in columns if c not in pk]),
            (name, keys),
        )
    return len(changes) - stale


# --- the pull (decision 46) ------------------------------------------------------------------


def pull(
    conn: Connection, station_id: uuid.UUID, after: tuple[int, int], limit: int
) -> list[Pulled]:
    """What the server gives ``station_id`` after its cursor (tx, server_seq): the server's
    ``sync_pull`` decides (other stations' changes, committed below the oldest transaction
    still running, in their order)."""
    rows = conn.exec_driver_sql(
        "SELECT server_seq, tx, change_id, table_name, row_id, op, payload, superseded "
        "FROM sync_pull(%s, %s::xid8, %s, %s)",
        (station_id, str(after[0]), after[1], limit),
    )
    return [Pulled(r[0], int(r[1]), r[2], r[3], r[4], r[5], r[6], tuple(r[7] or ())) for r in rows]
