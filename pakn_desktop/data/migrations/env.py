"""Alembic environment: always given an engine by pakn_desktop.data.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from pakn_desktop.data import search_schema
from pakn_desktop.data.engine import writer
from pakn_desktop.data.migrate import repair_tally_triggers, sqlite_rebuilds_allowed
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
    # Batch migrations rebuild a table (copy, DROP, rename): the pragmas that allows are in
    # sqlite_rebuilds_allowed; integrity is proven with foreign_key_check before committing.
    # BEGIN IMMEDIATE (data.engine.writer): a migration reads before it writes, and a
    # background writer's commit in between would fail its first write at once (busy
    # snapshot, no busy timeout) instead of making it wait.
    with writer(engine).connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        with sqlite_rebuilds_allowed(raw), connection.begin():
            _run(connection)
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
            # A rebuilt ticket table loses its search triggers and may renumber the rowids
            # the index is keyed by: re-index in the same transaction.
            if not search_schema.sqlite_index_intact(connection):
                search_schema.rebuild_sqlite(connection)
            repair_tally_triggers(connection)  # the same, for the counts' triggers
else:
    with engine.begin() as connection:
        _run(connection)
