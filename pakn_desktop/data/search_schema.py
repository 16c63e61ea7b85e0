"""The search index's schema, per engine: SQLite FTS5 over ticket.search_text, PostgreSQL
pg_trgm. Created by migration 0006; the objects live outside the ORM models, so Alembic's
comparison skips them (``include_name`` / ``include_object``).

SQLite: ``ticket_fts`` is an external-content FTS5 table keyed by ticket's implicit rowid
(ticket's key is a UUID). Since migration 0009 a new report is not indexed inside its save
(docs/decisions.md 20): ``ticket_fts_indexed.upto`` is a high-water mark, every report with
a rowid at or below it is in the index, and the reports above it are the *backlog*, which
:func:`index_pending` indexes shortly after the save (``data.search_indexer``, a background
thread). There is no insert trigger at all: any trigger on ticket's insert made SQLite keep a
statement journal for the save's ~15-page row, which spilled to a temporary file (0.2 ms).
A new rowid is always above the mark (SQLite gives max(rowid) + 1; the delete trigger lowers
the mark when the newest report is deleted, so a reused rowid is above it too). Searches read
the backlog too (``data.search.matches``), so no report is ever missing from one. The update
and delete triggers leave a backlog report out of the FTS table: an external-content 'delete'
of a row that was never indexed corrupts the index.

Two traps follow from the rowid: ``VACUUM`` may renumber the rowids of a table without an
INTEGER PRIMARY KEY, and a batch migration that recreates ``ticket`` drops its triggers.
After either, call :func:`rebuild_sqlite` (it recreates the triggers, re-indexes every row and
moves the mark to the newest report).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection

FTS_TABLE = "ticket_fts"
# Named after the FTS table, so Alembic's include_name skips it like the FTS shadow tables.
MARK_TABLE = f"{FTS_TABLE}_indexed"
TRGM_INDEX = "ix_ticket_search_trgm"
EXTENSIONS = ("pg_trgm", "unaccent")
# Reports indexed per write transaction: a few ms of the write lock, so a save that comes
# meanwhile waits little; a larger backlog takes several transactions.
INDEX_BATCH = 1000

_SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "search_text, content='ticket', content_rowid='rowid', tokenize='unicode61')"
)
# One row: every report with rowid <= upto is in the index.
_MARK_CREATE = (
    f"CREATE TABLE {MARK_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), upto INTEGER NOT NULL)"
)
_UPTO = f"(SELECT upto FROM {MARK_TABLE})"
_NEWEST = "(SELECT coalesce(max(rowid), 0) FROM ticket)"
# Since 0009. Only a change of search_text touches the index: status updates stay as cheap
# as before. A report above the mark is left out of the FTS table on update (the indexer
# reads the current text) and on delete (it was never indexed); deleting the newest report
# lowers the mark to the newest left, so the rowid SQLite may give again is above it.
_SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON ticket BEGIN
  INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
  SELECT 'delete', old.rowid, old.search_text WHERE old.rowid <= {_UPTO};
  UPDATE {MARK_TABLE} SET upto = {_NEWEST} WHERE upto > {_NEWEST};
END""",
    f"""CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF search_text ON ticket
WHEN old.rowid <= {_UPTO} BEGIN
  INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
  VALUES ('delete', old.rowid, old.search_text);
  INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.rowid, new.search_text);
END""",
)
# Migrations 0006 to 0008 (and 0009's downgrade): every change indexed in its own statement.
_SQLITE_TRIGGERS_0006 = (
    f"""CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON ticket BEGIN
  INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.rowid, new.search_text);
END""",
    f"""CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON ticket BEGIN
  INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
  VALUES ('delete', old.rowid, old.search_text);
END""",
    f"""CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF search_text ON ticket BEGIN
  INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
  VALUES ('delete', old.rowid, old.search_text);
  INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.rowid, new.search_text);
END""",
)
_SUFFIXES = ("ai", "ad", "au")


def create_sqlite(conn: Connection) -> None:
    """Migration 0006: the FTS table, its triggers, every report indexed."""
    conn.exec_driver_sql(_SQLITE_CREATE)
    rebuild_sqlite(conn)


def create_backlog(conn: Connection) -> None:
    """Migration 0009: the mark at the newest report (the 0006 triggers kept the index
    complete) and the triggers that respect it; no insert trigger any more."""
    conn.exec_driver_sql(_MARK_CREATE)
    conn.exec_driver_sql(f"INSERT INTO {MARK_TABLE}(id, upto) VALUES (1, {_NEWEST})")
    _replace_triggers(conn, _SQLITE_TRIGGERS)


def drop_backlog(conn: Connection) -> None:
    """Migration 0009 down: the backlog indexed, the 0006 triggers back, the mark gone."""
    index_pending(conn, limit=None)
    _replace_triggers(conn, _SQLITE_TRIGGERS_0006)
    conn.exec_driver_sql(f"DROP TABLE {MARK_TABLE}")


def rebuild_sqlite(conn: Connection) -> None:
    """(Re)create the triggers and re-index every report from ticket.search_text (at 0009 and
    later the mark then stands at the newest report: 'rebuild' read every one)."""
    backlog = _has_backlog(conn)
    _replace_triggers(conn, _SQLITE_TRIGGERS if backlog else _SQLITE_TRIGGERS_0006)
    conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    if backlog:
        conn.exec_driver_sql(f"UPDATE {MARK_TABLE} SET upto = {_NEWEST}")


def backlog_sql(columns: str) -> str:
    """``SELECT columns FROM ticket`` over the backlog (a rowid range: one index seek)."""
    return f"SELECT {columns} FROM ticket WHERE rowid > {_UPTO}"


def index_pending(conn: Connection, limit: int | None = INDEX_BATCH) -> int:
    """Index the oldest ``limit`` reports of the backlog (all when None) and move the mark
    past them; how many were indexed (0: the backlog is empty).

    Run it in a write transaction (``data.engine.writer(engine).begin()``, or one whose first
    statement it is): the lock is then taken before anything is read, so the UPDATE that
    follows sees the very rows the INSERT indexed (SQLite has one writer: no save can add a
    report in between), and no other commit can make the transaction fail with SQLITE_BUSY.
    """
    # In rowid order: FTS5 appends to its lists instead of merging.
    limited = "" if limit is None else f" LIMIT {int(limit)}"
    done = conn.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) "
        + backlog_sql("rowid, search_text")
        + f" ORDER BY rowid{limited}"
    )
    if done.rowcount:
        batch = backlog_sql("rowid") + f" ORDER BY rowid{limited}"
        conn.exec_driver_sql(f"UPDATE {MARK_TABLE} SET upto = (SELECT max(rowid) FROM ({batch}))")
    return int(done.rowcount)


def newest_pending(conn: Connection) -> int | None:
    """The newest report's rowid when the backlog holds any, else None (two index reads)."""
    top = conn.exec_driver_sql(f"SELECT max(rowid) FROM ticket WHERE rowid > {_UPTO}").scalar()
    return None if top is None else int(top)


def sqlite_index_intact(conn: Connection) -> bool:
    """False when the index exists but a trigger is gone (a table rebuild dropped it)."""
    names = {
        row[0]
        for row in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE name LIKE ?", (f"{FTS_TABLE}%",)
        )
    }
    if FTS_TABLE not in names:
        return True  # no index at this revision: nothing to keep in step
    suffixes = ("ad", "au") if MARK_TABLE in names else _SUFFIXES
    return all(f"{FTS_TABLE}_{suffix}" in names for suffix in suffixes)


@contextmanager
def bulk_insert(conn: Connection) -> Iterator[None]:
    """Index the reports inserted inside the block (and any backlog older than them) with
    one statement at its end, in the caller's transaction.

    Without it the demo's million reports would wait for the indexer thread. (Before 0009 the
    insert trigger indexed them row by row: FTS5 flushes at every statement savepoint, which
    made a 4,000-row executemany 3.5 times slower than one INSERT … SELECT.)
    Other engines: nothing to do.
    """
    yield
    if conn.dialect.name == "sqlite" and _has_backlog(conn):
        index_pending(conn, limit=None)


def _has_backlog(conn: Connection) -> bool:
    """This database is at 0009 or later (new reports wait above the mark)."""
    found = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MARK_TABLE,)
    )
    return found.first() is not None


def _replace_triggers(conn: Connection, triggers: tuple[str, ...]) -> None:
    for suffix in _SUFFIXES:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix}")
    for trigger in triggers:
        conn.exec_driver_sql(trigger)


def drop_sqlite(conn: Connection) -> None:
    _replace_triggers(conn, ())
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {MARK_TABLE}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def create_postgresql(conn: Connection) -> None:
    """Extensions and the trigram index; a clear error when the server cannot have them."""
    from pakn_desktop.data.errors import ErrorCode, KnownError

    available = {
        row[0]
        for row in conn.exec_driver_sql(
            "SELECT name FROM pg_available_extensions WHERE name IN ('pg_trgm', 'unaccent')"
        )
    }
    missing = [e for e in EXTENSIONS if e not in available]
    if missing:
        raise KnownError(
            ErrorCode.SCHEMA,
            f"máy chủ PostgreSQL thiếu extension {', '.join(missing)} (gói postgresql-contrib)",
        )
    for extension in EXTENSIONS:
        savepoint = conn.begin_nested()
        try:
            conn.exec_driver_sql(f"CREATE EXTENSION IF NOT EXISTS {extension}")
            savepoint.commit()
        except Exception as error:
            savepoint.rollback()
            raise KnownError(
                ErrorCode.SCHEMA,
                f"không tạo được extension {extension} ({error.__class__.__name__}); quản trị "
                f"viên cơ sở dữ liệu chạy: CREATE EXTENSION {extension};",
            ) from error
    conn.exec_driver_sql(
        f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON ticket USING gin (search_text gin_trgm_ops)"
    )


def drop_postgresql(conn: Connection) -> None:
    # The extensions stay: other objects of the database may use them.
    conn.exec_driver_sql(f"DROP INDEX IF EXISTS {TRGM_INDEX}")


def remask_protected(conn: Connection) -> int:
    """Recompute ``search_text`` of every protected report (a denunciation, or a reporter who
    asked for confidentiality) so that it names no reporter (``domain.search_text``); how many
    changed. Both engines; on SQLite the update trigger re-indexes the changed rows."""
    from sqlalchemy import Table, bindparam, or_, select, update

    from pakn_desktop.domain.search_text import search_text

    from .models import Reporter, Ticket

    rows = conn.execute(
        select(
            Ticket.id,
            Ticket.code,
            Ticket.summary,
            Ticket.content,
            Ticket.address,
            Ticket.search_text,
            Reporter.full_name,
            Reporter.phone,
            Reporter.phone_raw,
            Reporter.email,
            Reporter.address,
            Ticket.intake_meta,
        )
        .outerjoin(Reporter, Reporter.id == Ticket.reporter_id)
        .where(or_(Ticket.identity_protected.is_(True), Ticket.confidential.is_(True)))
    ).all()
    changes = []
    for row in rows:
        text = search_text(
            code=row[1],
            summary=row[2],
            content=row[3],
            address=row[4],
            reporter_name=row[6],
            phone=row[7],
            phone_raw=row[8],
            reporter_email=row[9],
            reporter_address=row[10],
            sender_name=(row[11] if isinstance(row[11], dict) else {}).get("sender_name"),
            protected=True,
        )
        if text != row[5]:
            changes.append({"key": row[0], "text": text})
    if changes:
        table = Ticket.__table__
        assert isinstance(table, Table)
        conn.execute(
            update(table)
            .where(table.c.id == bindparam("key"))
            .values(search_text=bindparam("text")),
            changes,
        )
    return len(changes)


# The shared server's own tables (migrations 0017, 0021): made on PostgreSQL only, not models.
SERVER_TABLES = frozenset({"change_log", "blob_upload", "blob_chunk"})


def include_name(name: str | None, type_: str, _parents: Any) -> bool:
    """Alembic filter: the FTS table, its shadow tables and its mark are not models, nor are
    the server's own tables."""
    if type_ == "table" and name in SERVER_TABLES:
        return False
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLE))


def include_object(_obj: Any, name: str | None, type_: str, _reflected: bool, _other: Any) -> bool:
    """Alembic filter: the trigram index is engine-specific, not in the models."""
    return not (type_ == "index" and name == TRGM_INDEX) and include_name(name, type_, None)
