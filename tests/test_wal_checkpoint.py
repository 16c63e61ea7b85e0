"""WAL checkpoints run on their own thread, never inside an operator's save."""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import create_engine

from pakn_desktop.data.wal_checkpoint import SAFETY_NET_PAGES, WalCheckpointer
from pakn_desktop.services.database import open_database
from pakn_desktop.services.environment import Environment


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Whether ``predicate`` turned true within ``timeout`` seconds (for background threads)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_commits_leave_checkpoints_to_the_thread(migrated_env: Environment) -> None:
    database = open_database(migrated_env)
    try:
        assert database.checkpointer is not None
        with database.engine.connect() as conn:
            threshold = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
        assert threshold == SAFETY_NET_PAGES
        with database.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE filler (x BLOB)")
            for _ in range(200):
                conn.exec_driver_sql("INSERT INTO filler VALUES (zeroblob(8000))")
        before = database.checkpointer.checkpoints
        assert wait_for(lambda: database.checkpointer.checkpoints > before + 1)
        busy, frames, copied = database.checkpointer.checkpoint()
        assert busy == 0 and frames > 0 and copied == frames
    finally:
        database.close()
    assert not database.checkpointer.running


def test_a_stopped_checkpointer_runs_no_more(migrated_env: Environment) -> None:
    database = open_database(migrated_env)
    checkpointer = database.checkpointer
    assert checkpointer is not None
    checkpointer.stop()
    done = checkpointer.checkpoints
    time.sleep(1.5)
    assert checkpointer.checkpoints == done
    database.close()


def test_only_file_backed_sqlite_gets_one() -> None:
    memory = create_engine("sqlite://")
    server = create_engine("postgresql+psycopg://u@127.0.0.1:1/x")
    assert WalCheckpointer.attach(memory) is None
    assert WalCheckpointer.attach(server) is None
