"""The search index's schema, per engine: SQLite FTS5 over ticket.search_text, PostgreSQL
pg_trgm. Created by migration 0006; the objects live outside the ORM models, so Alembic's
comparison skips them (``include_name`` / ``include_object``).

SQLite: ``ticket_fts`` is an external-content FTS5 table keyed by ticket's implicit rowid
(ticket's key is a UUID), kept in step by triggers. Since migration 0009 a new report is not
indexed inside its save (docs/decisions.md 20): the insert trigger only notes its rowid in
``ticket_fts_pending`` (the backlog), and :func:`index_pending` indexes the backlog in one
statement shortly after (``data.search_indexer``, a background thread). Searches read the
backlog too (``data.search.matches``), so no report is ever missing from one. A change or
delete of a report still in the backlog leaves the FTS table alone: an external-content
'delete' of a row that was never indexed corrupts the index.

Two traps follow from the rowid: ``VACUUM`` may renumber the rowids of a table without an
INTEGER PRIMARY KEY, and a batch migration that recreates ``ticket`` drops its triggers.
After either, call :func:`rebuild_sqlite` (it recreates the triggers, re-indexes every row and
empties the backlog).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection

FTS_TABLE = "ticket_fts"
# Named after the FTS table, so Alembic's include_name skips it like the FTS shadow tables.
PENDING_TABLE = f"{FTS_TABLE}_pending"
TRGM_INDEX = "ix_ticket_search_trgm"
EXTENSIONS = ("pg_trgm", "unaccent")
# Reports indexed per write transaction: a few ms of the write lock, so a save that comes
# meanwhile waits little; a larger backlog takes several transactions.
INDEX_BATCH = 1000

_SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "search_text, content='ticket', content_rowid='rowid', tokenize='unicode61')"
)
_PENDING_CREATE = f"CREATE TABLE {PENDING_TABLE} (id INTEGER PRIMARY KEY)"
_NOT_PENDING = f"NOT EXISTS (SELECT 1 FROM {PENDING_TABLE} WHERE id = old.rowid)"
# Only a change of search_text touches the index: status updates stay as cheap as before.
# Since 0009: an insert notes the report in the backlog (OR IGNORE: a rowid already there is
# already due to be indexed); a report still in the backlog is left out of the FTS table on
# update (the indexer reads the current text) and on delete (it was never indexed).
_SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON ticket BEGIN
  INSERT OR IGNORE INTO {PENDING_TABLE}(id) VALUES (new.rowid);
END""",
    f"""CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON ticket BEGIN
  INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
  SELECT 'delete', old.rowid, old.search_text WHERE {_NOT_PENDING};
  DELETE FROM {PENDING_TABLE} WHERE id = old.rowid;
END""",
    f"""CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF search_text ON ticket
WHEN {_NOT_PENDING} BEGIN
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
    """Migration 0009: the backlog table and the triggers that fill it. The index is complete
    at this point (the 0006 triggers kept it in step), so the backlog starts empty."""
    conn.exec_driver_sql(_PENDING_CREATE)
    _replace_triggers(conn, _SQLITE_TRIGGERS)


def drop_backlog(conn: Connection) -> None:
    """Migration 0009 down: the backlog indexed, the 0006 triggers back, the table gone."""
    index_pending(conn, limit=None)
    _replace_triggers(conn, _SQLITE_TRIGGERS_0006)
    conn.exec_driver_sql(f"DROP TABLE {PENDING_TABLE}")


def rebuild_sqlite(conn: Connection) -> None:
    """(Re)create the triggers and re-index every report from ticket.search_text (the
    backlog, if this revision has one, is then empty: 'rebuild' read every report)."""
    backlog = _has_backlog(conn)
    _replace_triggers(conn, _SQLITE_TRIGGERS if backlog else _SQLITE_TRIGGERS_0006)
    conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    if backlog:
        conn.exec_driver_sql(f"DELETE FROM {PENDING_TABLE}")


def index_pending(conn: Connection, limit: int | None = INDEX_BATCH) -> int:
    """Index the oldest ``limit`` reports of the backlog (all when None) and take them out of
    it; how many were taken out (0: the backlog is empty).

    Run it in a transaction whose first statement it is (``engine.begin()``): the INSERT then
    takes the write lock before it reads, so the DELETE that follows removes exactly the rows
    the INSERT indexed (SQLite has one writer: no save can add or change a backlog row between
    the two statements). A transaction that read first may fail with SQLITE_BUSY when another
    connection wrote meanwhile; the caller tries again later.
    """
    bound = f"(SELECT max(id) FROM {PENDING_TABLE})"
    if limit is not None:
        bound = (
            f"(SELECT max(id) FROM (SELECT id FROM {PENDING_TABLE} ORDER BY id LIMIT {int(limit)}))"
        )
    # In rowid order: FTS5 appends to its lists instead of merging.
    conn.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) SELECT t.rowid, t.search_text "
        f"FROM {PENDING_TABLE} p JOIN ticket t ON t.rowid = p.id WHERE p.id <= {bound} "
        "ORDER BY p.id"
    )
    done = conn.exec_driver_sql(f"DELETE FROM {PENDING_TABLE} WHERE id <= {bound}")
    return int(done.rowcount)


def pending_top(conn: Connection) -> int | None:
    """The newest rowid in the backlog, None when it is empty (one index read)."""
    top = conn.exec_driver_sql(f"SELECT max(id) FROM {PENDING_TABLE}").scalar()
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
    return all(f"{FTS_TABLE}_{suffix}" in names for suffix in _SUFFIXES)


@contextmanager
def bulk_insert(conn: Connection) -> Iterator[None]:
    """Index the reports inserted inside the block with one statement, not row by row.

    FTS5 flushes its pending terms at every statement savepoint, so the insert trigger made a
    4,000-row executemany about 3.5 times slower (measured: 0.86 s → 3.0 s for 20k reports);
    one INSERT … SELECT over the new rows costs a tenth of that. The insert trigger is dropped
    and recreated inside the caller's transaction: SQLite has a single writer, so no other
    connection can insert a report meanwhile, and none ever sees the trigger missing. The
    block's reports are indexed here, never put in the backlog.
    Other engines: nothing to do.
    """
    if conn.dialect.name != "sqlite" or not _has_fts(conn):
        yield
        return
    before = conn.exec_driver_sql("SELECT coalesce(max(rowid), 0) FROM ticket").scalar_one()
    conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai")
    yield
    conn.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) "
        "SELECT rowid, search_text FROM ticket WHERE rowid > ?",
        (before,),
    )
    triggers = _SQLITE_TRIGGERS if _has_backlog(conn) else _SQLITE_TRIGGERS_0006
    conn.exec_driver_sql(triggers[0])


def _has_fts(conn: Connection) -> bool:
    found = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?", (f"{FTS_TABLE}_ai",)
    )
    return found.first() is not None


def _has_backlog(conn: Connection) -> bool:
    """This database is at 0009 or later (its new reports wait in the backlog)."""
    found = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (PENDING_TABLE,)
    )
    return found.first() is not None


def _replace_triggers(conn: Connection, triggers: tuple[str, ...]) -> None:
    for suffix in _SUFFIXES:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix}")
    for trigger in triggers:
        conn.exec_driver_sql(trigger)


def drop_sqlite(conn: Connection) -> None:
    _replace_triggers(conn, ())
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {PENDING_TABLE}")
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


def include_name(name: str | None, type_: str, _parents: Any) -> bool:
    """Alembic filter: the FTS table, its shadow tables and the backlog are not models."""
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLE))


def include_object(_obj: Any, name: str | None, type_: str, _reflected: bool, _other: Any) -> bool:
    """Alembic filter: the trigram index is engine-specific, not in the models."""
    return not (type_ == "index" and name == TRGM_INDEX) and include_name(name, type_, None)
