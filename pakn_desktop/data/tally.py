"""Maintained counts (table ``tally``): triggers add and subtract, in the writing transaction.

Every write that changes a report, an outbox row or an evidence row — intake, workflow
steps, bulk actions, merges, the demo, migrations, later the sync — goes through the
database's own triggers, so no writer can forget the tally and it stays exact: the saved
views, the queue's total, the dashboard and ``stats`` read a few rows (``data.tally_read``)
instead of counting every report (1.0 s for the queue's count at 1M reports, issue 14).

A row is (dim, status, a, b) → n. Each report contributes one row per dimension that applies
to it (``_DIMS``); an UPDATE takes the old row's contributions away and adds the new ones in
one statement, grouped so a key that does not change is not written. Deadline states change
with time, not only with writes, so the due time, the at-risk moment and the receipt of open
reports are tallied per UTC day, hour and minute: a count "before now" is a sum of whole
days, hours of today and minutes of this hour, plus the few reports of the current minute
counted on the ticket table (``data.tally_read``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection

from pakn_desktop.domain.enums import OPEN_STATUSES

OPEN_SQL = ", ".join(f"'{s.value}'" for s in sorted(OPEN_STATUSES))
# Columns whose change can move a report between tally rows: an UPDATE of any other column
# (the version, the search text, an answer) fires nothing.
TICKET_COLUMNS = (
    "status",
    "channel_code",
    "kind",
    "category_code",
    "lead_unit_id",
    "station_id",
    "received_at",
    "due_at",
    "at_risk_at",
    "paused_at",
    "closed_at",
    "forward_on_time",
)
TIME_LEVELS = ("d", "h", "m")  # UTC day, hour, minute: key lengths 10, 13, 16


@dataclass(frozen=True)
class _Sql:
    """The few expressions the two engines spell differently."""

    cut: Callable[[str, str], str]  # (timestamp, level) → 'YYYY-MM-DD[ HH[:MI]]'
    local_day: Callable[[str], str]  # the office day (+7 h) of a timestamp
    uuid: Callable[[str], str]  # 32 hex digits, as SQLite stores a Uuid
    least: str
    epoch: Callable[[str], str]  # seconds since 1970, as data.deadline_sql.epoch compiles it
    whole: Callable[[str], str]  # an integer part (of a non-negative number)
    differ: str  # NULL-safe "is not"


_LENGTHS = {"d": 10, "h": 13, "m": 16}
_PG_FORMATS = {"d": "YYYY-MM-DD", "h": "YYYY-MM-DD HH24", "m": "YYYY-MM-DD HH24:MI"}

SQLITE = _Sql(
    cut=lambda x, level: f"substr({x}, 1, {_LENGTHS[level]})",
    local_day=lambda x: f"date({x}, '+7 hours')",
    uuid=lambda x: x,
    least="min",
    epoch=lambda x: f"((julianday({x}) - 2440587.5) * 86400.0)",
    whole=lambda x: f"CAST({x} AS INTEGER)",
    differ="IS NOT",
)
POSTGRESQL = _Sql(
    cut=lambda x, level: f"to_char({x}, '{_PG_FORMATS[level]}')",
    local_day=lambda x: f"to_char({x} + interval '7 hours', 'YYYY-MM-DD')",
    uuid=lambda x: f"replace(CAST({x} AS text), '-', '')",
    least="least",
    epoch=lambda x: f"EXTRACT(EPOCH FROM {x})",
    whole=lambda x: f"CAST(floor({x}) AS INTEGER)",
    differ="IS DISTINCT FROM",
)


def dialect_sql(name: str) -> _Sql:
    return SQLITE if name == "sqlite" else POSTGRESQL


Dim = tuple[str, str, str, str, str | None]  # (dim, status, a, b, condition) as SQL
FORWARD_CAP_MIN = 30  # forward times tallied per whole minute up to this, then together


def _forward_key(first: str, received: str, s: _Sql) -> str:
    """A report's forward time (receipt → first assignment) as a key: its whole minutes,
    '-1' below zero, FORWARD_CAP_MIN and over together. The minutes are the dashboard's own
    expression (``deadline_sql.forward_minutes_of``), so a bin edge at a whole minute splits
    the keys exactly as it splits the reports."""
    m = f"(({s.epoch(first)} - {s.epoch(received)}) / 60.0)"
    whole = s.whole(m)
    cap = FORWARD_CAP_MIN
    return f"CAST(CASE WHEN {m} >= {cap} THEN {cap} WHEN {m} < 0 THEN -1 ELSE {whole} END AS TEXT)"


def _ticket_dims(r: str, s: _Sql) -> list[Dim]:
    """What a ticket row ``r`` (NEW, OLD or a table alias) contributes: per dimension, the
    key expressions and the condition for it to count (None: always)."""
    open_ = f"{r}.status IN ({OPEN_SQL})"
    running = f"({r}.paused_at IS NULL OR {r}.due_at < {r}.paused_at)"
    timed = f"{open_} AND {r}.due_at IS NOT NULL AND {running}"
    # The at-risk moment as counted: never after the due time (data.tally_read explains).
    risk = f"{s.least}(COALESCE({r}.at_risk_at, {r}.due_at), {r}.due_at)"
    unit = s.uuid(f"{r}.lead_unit_id")
    closed = (
        f"{r}.closed_at IS NOT NULL AND {r}.lead_unit_id IS NOT NULL AND {r}.due_at IS NOT NULL"
    )
    rows = [
        ("st", f"{r}.status", "''", "''", None),  # the total and per status: ~13 rows
        ("ck", f"{r}.status", f"{r}.channel_code", f"{r}.kind", None),
        ("cat", f"{r}.status", f"{r}.category_code", "''", None),
        ("unit", f"{r}.status", f"COALESCE({unit}, '')", "''", None),
        ("stn", f"{r}.status", s.uuid(f"{r}.station_id"), "''", None),
        ("recv", "''", s.cut(f"{r}.received_at", "h"), f"{r}.channel_code", None),
        ("recv_day", "''", s.local_day(f"{r}.received_at"), f"{r}.channel_code", None),
        ("nodue", "''", "''", "''", f"{open_} AND {r}.due_at IS NULL"),
        ("paused", "''", "''", "''", f"{open_} AND {r}.due_at IS NOT NULL AND NOT {running}"),
        ("unit_day", "''", s.local_day(f"{r}.received_at"), unit, closed),
        (
            "unit_ok",
            "''",
            s.local_day(f"{r}.received_at"),
            unit,
            f"{closed} AND {r}.closed_at <= {r}.due_at",
        ),
        (
            "fwd",
            "''",
            s.local_day(f"{r}.received_at"),
            f"CASE WHEN {r}.forward_on_time THEN '1' ELSE '0' END",
            f"{r}.forward_on_time IS NOT NULL",
        ),
    ]
    first = f"(SELECT min(x.assigned_at) FROM assignment AS x WHERE x.ticket_id = {r}.id)"
    fwd = _forward_key(first, f"{r}.received_at", s)
    rows.append(("fwd_min", "''", s.local_day(f"{r}.received_at"), fwd, f"{first} IS NOT NULL"))
    for level in TIME_LEVELS:
        rows.append((f"due_{level}", "''", s.cut(f"{r}.due_at", level), "''", timed))
        rows.append((f"risk_{level}", "''", s.cut(risk, level), "''", timed))
        rows.append((f"open_{level}", "''", s.cut(f"{r}.received_at", level), "''", open_))
    return rows


def _ticket_rows(r: str, sign: int, s: _Sql, source: str = "") -> list[str]:
    """SELECTs of (dim, status, a, b, n) a ticket row ``r`` contributes, ``n`` = ``sign``;
    a WHERE leaves out dimensions that do not apply. With ``source`` (a statement's
    transition table), every row of it, as ``r``."""
    out = []
    rows = f" FROM {source} AS {r}" if source else ""
    for dim, status, a, b, where in _ticket_dims(r, s):
        select = f"SELECT '{dim}' AS dim, {status} AS status, {a} AS a, {b} AS b, {sign} AS n"
        out.append(select + rows + (f" WHERE {where}" if where else ""))
    return out


def _upsert(parts: list[str]) -> str:
    """One statement adding the grouped contributions: a key whose +1 and −1 cancel (the
    report's channel when only its status changed) is not written at all. Grouping also
    keeps PostgreSQL's ON CONFLICT from touching one row twice in a statement, and the
    order makes two concurrent writers lock shared rows in the same order (no deadlock)."""
    union = " UNION ALL ".join(parts)
    return (
        "INSERT INTO tally (dim, status, a, b, n) "
        f"SELECT dim, status, a, b, SUM(n) FROM ({union}) AS c "
        "GROUP BY dim, status, a, b HAVING SUM(n) <> 0 ORDER BY dim, status, a, b "
        "ON CONFLICT (dim, status, a, b) DO UPDATE SET n = tally.n + excluded.n"
    )


def _one_row(dim: str, r: str, sign: int, where: str, source: str = "") -> str:
    rows = f" FROM {source} AS {r}" if source else ""
    return f"SELECT '{dim}' AS dim, '' AS status, '' AS a, '' AS b, {sign} AS n{rows} WHERE {where}"


# Other tables: (table, dim, condition on the row, columns whose update matters).
# Pending outbox rows: neither pushed nor parked (a change the server refused, migration 0017).
Simple = tuple[tuple[str, str, str, tuple[str, ...]], ...]
_PENDING = "{r}.pushed_at IS NULL AND {r}.parked_at IS NULL"
_SIMPLE: Simple = (
    ("outbox", "outbox", _PENDING, ("pushed_at", "parked_at")),
    ("evidence", "evidence", "{r}.detached_at IS NULL", ("detached_at",)),
)
# Before migration 0017 (no parked changes): what its downgrade puts back.
SIMPLE_0014: Simple = (
    ("outbox", "outbox", "{r}.pushed_at IS NULL", ("pushed_at",)),
    _SIMPLE[1],
)


def _assignment_parts(s: _Sql) -> dict[str, list[str]]:
    """A report's forward time moves when its first assignment does: an assignment added
    before the others, the first one removed or re-timed. Before and after are that report's
    first assignment time (the others read from the table, the row itself from OLD/NEW)."""

    def others(r: str) -> str:
        return (
            "(SELECT min(x.assigned_at) FROM assignment AS x "
            f"WHERE x.ticket_id = {r}.ticket_id AND x.id <> {r}.id)"
        )

    def with_row(r: str) -> str:
        o = others(r)
        return f"(CASE WHEN {o} IS NULL OR {r}.assigned_at < {o} THEN {r}.assigned_at ELSE {o} END)"

    def moved(sign: int, first: str, other: str, r: str) -> str:
        received = f"(SELECT t.received_at FROM ticket AS t WHERE t.id = {r}.ticket_id)"
        key = _forward_key(first, received, s)
        cond = f"{first} IS NOT NULL AND {first} {s.differ} {other}"
        return _select(("fwd_min", "''", s.local_day(received), key, None), sign, cond)

    pairs = {
        "insert": (others("NEW"), with_row("NEW"), "NEW"),
        "update": (with_row("OLD"), with_row("NEW"), "NEW"),
        "delete": (with_row("OLD"), others("OLD"), "OLD"),
    }
    return {
        op: [moved(-1, before, after, r), moved(1, after, before, r)]
        for op, (before, after, r) in pairs.items()
    }


def _statements(table: str, s: _Sql, simple: Simple) -> dict[str, str]:
    """The trigger statement per operation (insert, update, delete) for ``table``."""
    if table == "assignment":
        return {op: _upsert(parts) for op, parts in _assignment_parts(s).items()}
    if table == "ticket":

        def rows(r: str, sign: int) -> list[str]:
            return _ticket_rows(r, sign, s)
    else:
        dim, cond = next((d, c) for t, d, c, _ in simple if t == table)

        def rows(r: str, sign: int) -> list[str]:
            return [_one_row(dim, r, sign, cond.format(r=r))]

    return {
        "insert": _upsert(rows("NEW", 1)),
        "update": _upsert(rows("OLD", -1) + rows("NEW", 1)),
        "delete": _upsert(rows("OLD", -1)),
    }


# PostgreSQL counts a statement's rows at once, from its transition tables: a report
# pushed or pulled by the thousand costs one grouped upsert per statement instead of one per
# row (a sync push spent ~75 % of its server time in the per-row function), and each
# statement takes the shared tally rows' locks once. The assignment keeps its per-row
# trigger: its first-assignment rule compares a row with the others of its report.
PER_STATEMENT = ("ticket", "outbox", "evidence")
_OLD, _NEW = "tally_old", "tally_new"  # transition tables
_REFERENCING = {
    "insert": ("INSERT", f"REFERENCING NEW TABLE AS {_NEW}"),
    "update": ("UPDATE", f"REFERENCING OLD TABLE AS {_OLD} NEW TABLE AS {_NEW}"),
    "delete": ("DELETE", f"REFERENCING OLD TABLE AS {_OLD}"),
}


def _statement_level(table: str, s: _Sql, simple: Simple) -> dict[str, str]:
    """``_statements`` over a statement's transition tables (aliases o and n)."""
    if table == "ticket":

        def rows(r: str, sign: int, source: str) -> list[str]:
            return _ticket_rows(r, sign, s, source)
    else:
        dim, cond = next((d, c) for t, d, c, _ in simple if t == table)

        def rows(r: str, sign: int, source: str) -> list[str]:
            return [_one_row(dim, r, sign, cond.format(r=r), source)]

    return {
        "insert": _upsert(rows("n", 1, _NEW)),
        "update": _upsert(rows("o", -1, _OLD) + rows("n", 1, _NEW)),
        "delete": _upsert(rows("o", -1, _OLD)),
    }


def _watched(table: str, simple: Simple) -> tuple[str, ...]:
    if table == "ticket":
        return TICKET_COLUMNS
    if table == "assignment":
        return ("assigned_at",)  # a forward is never moved to another report
    return next(cols for t, _, _, cols in simple if t == table)


def _sqlite_statements(table: str, simple: Simple) -> dict[str, str]:
    """SQLite's trigger bodies: one upsert of the UNION of every dimension that applies.
    Measured per inserted ticket: this ~65 µs; the grouped statement PostgreSQL runs ~1.3 ms
    (it sorts the union); one upsert per dimension ~500 µs (each write statement after the
    first in a trigger opens a statement journal). An UPDATE writes a dimension only when the
    row's key or condition there changed, so a status change touches the status rows only."""
    if table == "assignment":
        return {op: _union_upsert(parts) for op, parts in _assignment_parts(SQLITE).items()}
    if table == "ticket":
        old, new = _ticket_dims("OLD", SQLITE), _ticket_dims("NEW", SQLITE)
    else:
        dim, cond = next((d, c) for t, d, c, _ in simple if t == table)
        old = [(dim, "''", "''", "''", cond.format(r="OLD"))]
        new = [(dim, "''", "''", "''", cond.format(r="NEW"))]
    parts: dict[str, list[str]] = {"insert": [], "update": [], "delete": []}
    for o, n in zip(old, new, strict=True):
        o_cond, n_cond = (f"coalesce(({x[4]}), 0)" if x[4] else "1" for x in (o, n))
        same = " AND ".join(f"{o[i]} IS {n[i]}" for i in (1, 2, 3))
        changed = f"NOT ({same} AND {o_cond} IS {n_cond})"
        parts["insert"].append(_select(n, 1, n_cond))
        parts["delete"].append(_select(o, -1, o_cond))
        parts["update"].append(_select(o, -1, f"{o_cond} AND {changed}"))
        parts["update"].append(_select(n, 1, f"{n_cond} AND {changed}"))
    return {op: _union_upsert(selects) for op, selects in parts.items()}


def _union_upsert(selects: list[str]) -> str:
    return (
        "INSERT INTO tally (dim, status, a, b, n) SELECT * FROM ("
        + " UNION ALL ".join(selects)
        + ") WHERE true ON CONFLICT (dim, status, a, b) DO UPDATE SET n = n + excluded.n"
    )


def _select(dim: Dim, sign: int, where: str) -> str:
    name, status, a, b, _ = dim
    return (
        f"SELECT '{name}' AS dim, {status} AS status, {a} AS a, {b} AS b, {sign} AS n WHERE {where}"
    )


TABLES = ("ticket", "assignment", "outbox", "evidence")
_SQLITE_TIMING = {"insert": "INSERT", "update": "UPDATE OF {cols}", "delete": "DELETE"}


def trigger_names() -> list[str]:
    return [f"tally_{table}_{op}" for table in TABLES for op in ("insert", "update", "delete")]


def create(conn: Connection, simple: Simple = _SIMPLE, *, per_statement: bool = True) -> None:
    """Create the triggers (replacing any) for this connection's engine (``simple``: an
    older migration's conditions on the outbox and evidence; ``per_statement`` False: the
    per-row triggers PostgreSQL had before migration 0019)."""
    drop_triggers(conn)
    s = dialect_sql(conn.dialect.name)
    for table in TABLES:
        cols = ", ".join(_watched(table, simple))
        if conn.dialect.name == "sqlite":
            for op, body in _sqlite_statements(table, simple).items():
                timing = _SQLITE_TIMING[op].format(cols=cols)
                conn.exec_driver_sql(
                    f"CREATE TRIGGER tally_{table}_{op} AFTER {timing} ON {table} BEGIN {body}; END"
                )
            continue
        if per_statement and table in PER_STATEMENT:
            for op, body in _statement_level(table, s, simple).items():
                event, referencing = _REFERENCING[op]
                conn.exec_driver_sql(
                    f"CREATE OR REPLACE FUNCTION tally_{table}_{op}() RETURNS trigger "
                    f"LANGUAGE plpgsql AS $$ BEGIN {body}; RETURN NULL; END $$"
                )
                conn.exec_driver_sql(
                    f"CREATE TRIGGER tally_{table}_{op} AFTER {event} ON {table} {referencing} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION tally_{table}_{op}()"
                )
            continue
        statements = _statements(table, s, simple)
        conn.exec_driver_sql(
            f"CREATE OR REPLACE FUNCTION tally_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF TG_OP = 'INSERT' THEN {statements['insert']}; "
            f"ELSIF TG_OP = 'UPDATE' THEN {statements['update']}; "
            f"ELSE {statements['delete']}; END IF; RETURN NULL; END $$"
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER tally_{table}_update AFTER UPDATE OF {cols} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION tally_{table}()"
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER tally_{table}_insert AFTER INSERT OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION tally_{table}()"
        )


def drop_triggers(conn: Connection) -> None:
    pg = conn.dialect.name != "sqlite"
    for table in TABLES:
        for op in ("insert", "update", "delete"):
            on = f" ON {table}" if pg else ""
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS tally_{table}_{op}{on}")
            if pg:
                conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS tally_{table}_{op}()")
        if pg:
            conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS tally_{table}()")


REBUILD_CHUNK = 50_000  # reports copied at a time: a bounded temporary table in memory


def rebuild(conn: Connection, simple: Simple = _SIMPLE) -> None:
    """Count everything again from the tables (migration 0014, repaired triggers), in the
    caller's transaction. The counted columns of a chunk of reports are copied into a small
    temporary table, and each dimension is grouped there: one pass over the reports' wide
    rows instead of one per dimension, in bounded memory (SQLite keeps temporary tables in
    memory, see data.engine). PostgreSQL takes the reports in one chunk."""
    s = dialect_sql(conn.dialect.name)
    conn.exec_driver_sql("DELETE FROM tally")
    parts = [_from(d, "tally_source") for d in _ticket_dims("t", s)]
    sqlite = conn.dialect.name == "sqlite"
    last = int(conn.exec_driver_sql("SELECT max(rowid) FROM ticket").scalar() or 0) if sqlite else 0
    low = 0
    while True:
        conn.exec_driver_sql("DROP TABLE IF EXISTS tally_source")
        chunk = f" WHERE rowid > {low} AND rowid <= {low + REBUILD_CHUNK}" if sqlite else ""
        conn.exec_driver_sql(
            "CREATE TEMPORARY TABLE tally_source AS "
            f"SELECT id, {', '.join(TICKET_COLUMNS)} FROM ticket{chunk}"
        )
        _add(conn, parts)
        low += REBUILD_CHUNK
        if not sqlite or low >= last:
            break
    conn.exec_driver_sql("DROP TABLE tally_source")
    _add(conn, [_from((d, "''", "''", "''", c.format(r="t")), t) for t, d, c, _ in simple])


def _add(conn: Connection, parts: list[str]) -> None:
    for part in parts:
        conn.exec_driver_sql(
            "INSERT INTO tally (dim, status, a, b, n) SELECT dim, status, a, b, SUM(n) "
            f"FROM ({part}) AS c WHERE true GROUP BY dim, status, a, b "
            "ON CONFLICT (dim, status, a, b) DO UPDATE SET n = tally.n + excluded.n"
        )


def _from(dim: Dim, table: str) -> str:
    """A dimension's contribution read from ``table`` (alias t) instead of a trigger's row."""
    name, status, a, b, where = dim
    select = f"SELECT '{name}' AS dim, {status} AS status, {a} AS a, {b} AS b, 1 AS n"
    return f"{select} FROM {table} AS t" + (f" WHERE {where}" if where else "")


def intact(conn: Connection) -> bool:
    """False when a trigger is gone (a table rebuilt by hand or by a batch migration drops
    its triggers on SQLite): the tally would drift from then on."""
    if conn.dialect.name == "sqlite":
        found = {
            row[0]
            for row in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tally%'"
            )
        }
        return set(trigger_names()) <= found
    return True
