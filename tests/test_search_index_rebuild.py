"""The search index survives a migration that rebuilds the ticket table."""

from __future__ import annotations

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from pakn_desktop.data import migrate, search_schema, tally
from pakn_desktop.data import search as search_data
from pakn_desktop.services.database import Database
from pakn_desktop.services.demo import generate


def _rebuild_ticket_table(database: Database) -> None:
    """What any batch migration touching ``ticket`` does on SQLite: copy, drop, rename."""
    with database.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        with migrate.sqlite_rebuilds_allowed(raw), conn.begin():  # as a migration runs
            ops = Operations(MigrationContext.configure(conn))
            with ops.batch_alter_table("ticket", recreate="always"):
                pass


def _set_text(database: Database, code: str, words: str) -> None:
    with database.engine.begin() as conn:
        conn.execute(
            text("UPDATE ticket SET search_text = :t WHERE code = :c"), {"t": words, "c": code}
        )


def test_migrating_after_a_table_rebuild_restores_triggers_and_index(database: Database) -> None:
    generate(database, 80, seed=9)
    with database.engine.connect() as conn:
        first, second = conn.execute(text("SELECT code FROM ticket ORDER BY code LIMIT 2")).all()
    _rebuild_ticket_table(database)
    with database.engine.connect() as conn:
        assert not search_schema.sqlite_index_intact(conn)  # the rebuild dropped the triggers
        assert not tally.intact(conn)  # the counts' on ticket too

    migrate.upgrade(database.engine)  # nothing to migrate, but the index is put right

    with database.engine.connect() as conn:
        assert search_schema.sqlite_index_intact(conn)
        assert tally.intact(conn)
    # Changes after the repair reach the index again (the triggers are back) …
    _set_text(database, first.code, "zzyzx cong ngam")
    # … and rows indexed before it are found under their current rowids.
    _set_text(database, second.code, "qwxv den duong")
    with database.engine.connect() as conn:
        found_first = search_data.search_ids(conn, "zzyzx")
        found_second = search_data.search_ids(conn, "qwxv")
        ids = dict(conn.execute(text("SELECT code, id FROM ticket")).all())
    assert [str(i).replace("-", "") for i in found_first] == [str(ids[first.code]).replace("-", "")]
    assert [str(i).replace("-", "") for i in found_second] == [
        str(ids[second.code]).replace("-", "")
    ]
