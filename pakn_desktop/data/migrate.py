"""Alembic migrations, run programmatically on start and by ``pakn-desktop db upgrade``."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


@functools.cache
def head_revision() -> str:
    """The newest migration; read once (the scripts do not change under a running program,
    and reading them is ~50 ms: every sync round asks)."""
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate to ``revision``. Already at the head (every start but the first after an
    update), Alembic is not run: its SQLite run ends with ``PRAGMA foreign_key_check`` over
    every row, 3–5 s at 1M reports, which every start paid before the queue's first rows.
    Only the search index's and the tally's triggers are checked then (a table rebuilt by
    hand drops them)."""
    if revision == "head" and not needs_upgrade(engine):
        _repair_search_index(engine)
        _repair_tally(engine)
        return
    command.upgrade(alembic_config(engine), revision)


def _repair_search_index(engine: Engine) -> None:
    from . import search_schema
    from .engine import writer

    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        intact = search_schema.sqlite_index_intact(conn)
    if not intact:
        with writer(engine).begin() as conn:
            search_schema.rebuild_sqlite(conn)


def _repair_tally(engine: Engine) -> None:
    """A missing tally trigger (SQLite drops a table's triggers with the table): triggers
    made again and every count read again from the tables, so the counts are exact again."""
    from . import tally
    from .engine import writer

    with engine.connect() as conn:
        intact = tally.intact(conn)
    if not intact:
        with writer(engine).begin() as conn:
            tally.create(conn)
            tally.rebuild(conn)


@contextmanager
def sqlite_rebuilds_allowed(raw: Any) -> Iterator[None]:
    """Pragmas for rebuilding tables on a raw SQLite connection (outside a transaction: SQLite
    ignores both inside one), as Alembic's batch mode does (copy, DROP, rename):
    - foreign keys off: the DROP of a referenced table fails as soon as a row points at it
      (SQLite's documented procedure; the caller proves integrity with foreign_key_check);
    - legacy_alter_table on: since SQLite 3.26 a RENAME re-checks every trigger of the
      schema, and the tally's triggers on other tables name ``ticket``, which does not
      exist between the DROP and the rename: "error in trigger … no such table". The
      legacy rename leaves other tables' triggers as they are, which is what a rebuild
      under the same name wants."""
    raw.execute("PRAGMA foreign_keys=OFF")
    raw.execute("PRAGMA legacy_alter_table=ON")
    try:
        yield
    finally:
        raw.execute("PRAGMA legacy_alter_table=OFF")
        raw.execute("PRAGMA foreign_keys=ON")


def repair_tally_triggers(conn: Connection) -> None:
    """Inside a migration's transaction: a tally whose triggers a rebuild dropped gets them
    back, and its counts read again (nothing to do before the tally's migration)."""
    from . import tally

    has_tally = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tally'"
    ).first()
    if has_tally is not None and not tally.intact(conn):
        tally.create(conn)
        tally.rebuild(conn)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def needs_upgrade(engine: Engine) -> bool:
    return current_revision(engine) != head_revision()
