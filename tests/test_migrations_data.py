"""Migrations on a database that holds data: rebuilt tables keep every row and reference."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from pakn_desktop.data import migrate
from pakn_desktop.services.database import Database
from pakn_desktop.services.demo import generate

TABLES = ("ticket", "reporter", "ticket_event", "assignment", "outbox")


def _counts(database: Database) -> dict[str, int]:
    with database.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


@pytest.mark.parametrize("back_to", ["0001", "0002", "0003"])
def test_down_and_up_again_with_referencing_rows(database: Database, back_to: str) -> None:
    # Batch migrations on SQLite copy a table, DROP the old one and rename; with foreign keys
    # enforced, the DROP failed as soon as a row pointed at the table (duplicate_of, events).
    generate(database, 150, seed=4)
    with database.engine.connect() as conn:
        linked = conn.execute(
            text("SELECT count(*) FROM ticket WHERE duplicate_of_id IS NOT NULL")
        ).scalar_one()
    assert linked > 0, "the demo must hold duplicate links for this test to mean anything"
    before = _counts(database)

    migrate.downgrade(database.engine, back_to)
    assert migrate.current_revision(database.engine) == back_to
    migrate.upgrade(database.engine)

    assert migrate.current_revision(database.engine) == migrate.head_revision()
    assert _counts(database) == before
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
