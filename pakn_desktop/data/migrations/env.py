"""Alembic environment: always given an engine by pakn_desktop.data.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from pakn_desktop.data import search_schema
from pakn_desktop.data.models import Base

config = context.config
engine = config.attributes["engine"]


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # The search index's objects are per engine and not models (data.search_schema).
        include_name=search_schema.include_name,
        include_object=search_schema.include_object,
    )
    context.run_migrations()


if engine.dialect.name == "sqlite":
    # Batch migrations rebuild a table (copy, DROP, rename); with foreign keys enforced the DROP
    # of a referenced table fails as soon as any row points at it. SQLite's documented
    # procedure: enforcement off (only possible outside a transaction), migrate, then prove
    # integrity with foreign_key_check before committing.
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                _run(connection)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
                # A rebuilt ticket table loses its search triggers and may renumber the
                # rowids the index is keyed by: re-index in the same transaction.
                if not search_schema.sqlite_index_intact(connection):
                    search_schema.rebuild_sqlite(connection)
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
else:
    with engine.begin() as connection:
        _run(connection)
