"""A transaction that read before it wrote is run again when another writer got in between."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from pakn_desktop.data.engine import retry_when_busy
from pakn_desktop.services.database import Database


def _race(database: Database, key: str, interloper: bool) -> None:
    """Read, let another connection commit a write (WAL busy snapshot), then write."""
    with database.engine.connect() as conn, conn.begin():
        conn.execute(text("SELECT count(*) FROM sync_state")).scalar_one()
        if interloper:
            with database.engine.begin() as other:
                other.execute(
                    text("INSERT INTO sync_state (key, value) VALUES (:k, 'x')"),
                    {"k": f"{key}-other"},
                )
        conn.execute(text("INSERT INTO sync_state (key, value) VALUES (:k, 'y')"), {"k": key})


def test_busy_snapshot_fails_at_once_without_retry(database: Database) -> None:
    with pytest.raises(OperationalError, match="locked"):
        _race(database, "plain", interloper=True)


def test_retry_runs_the_whole_transaction_again(database: Database) -> None:
    attempts: list[int] = []

    def work() -> None:
        attempts.append(1)
        _race(database, "retried", interloper=len(attempts) == 1)

    retry_when_busy(work)
    assert len(attempts) == 2
    with database.engine.connect() as conn:
        value = conn.execute(text("SELECT value FROM sync_state WHERE key = 'retried'"))
        assert value.scalar_one() == "y"


def test_other_errors_are_not_retried(database: Database) -> None:
    attempts: list[int] = []

    def work() -> None:
        attempts.append(1)
        with database.engine.begin() as conn:
            conn.execute(text("SELECT * FROM no_such_table"))

    with pytest.raises(OperationalError, match="no such table"):
        retry_when_busy(work)
    assert len(attempts) == 1
