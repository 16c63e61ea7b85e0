"""A transaction that read before it wrote is run again when another writer got in between."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from pakn_desktop.data.engine import retry_when_busy
from pakn_desktop.services.database import Database

from .intake_data import form


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


def _interloper(database: Database, key: str) -> str | None:
    """Another connection's write, waiting at most 0.1 s; its error, or None when it got in."""
    path = database.engine.url.database
    assert path
    other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
    try:
        other.execute("INSERT INTO sync_state (key, value) VALUES (?, 'x')", (key,))
        return None
    except sqlite3.OperationalError as error:
        return str(error)
    finally:
        other.close()


def test_a_writer_transaction_reads_and_writes_one_database(database: Database) -> None:
    """database.writer takes the write lock first: a write from elsewhere waits until the
    commit instead of breaking the transaction between its read and its write."""
    with database.writer.begin() as conn:
        conn.execute(text("SELECT count(*) FROM sync_state")).scalar_one()
        assert "locked" in (_interloper(database, "other-1") or "")
        conn.execute(text("INSERT INTO sync_state (key, value) VALUES ('mine', 'y')"))
    assert _interloper(database, "other-2") is None  # the lock went with the commit
    with database.engine.connect() as conn:
        keys = set(conn.execute(text("SELECT key FROM sync_state")).scalars())
    assert {"mine", "other-2"} <= keys and "other-1" not in keys


def test_a_reader_never_waits_on_a_writer(database: Database) -> None:
    with database.engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM sync_state")).scalar_one()
        assert _interloper(database, "while-reading") is None


def test_an_intake_save_survives_a_background_write_between_its_read_and_write(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The save reads (the caller's earlier reports) before it writes; a background writer
    (the search indexer, the alert scanner) committing in between used to fail it at once
    with "database is locked"."""
    from pakn_desktop.services.intake import store as intake_store
    from pakn_desktop.services.intake.service import IntakeService

    interlopers: list[str | None] = []
    original = intake_store.next_case_code

    def after_the_read(*args: Any, **kwargs: Any) -> Any:
        interlopers.append(_interloper(database, f"bg-{len(interlopers)}"))
        return original(*args, **kwargs)

    service = IntakeService(database)
    service.save(form(reporter_phone="0913 000 111"))  # creates the station: a write first
    monkeypatch.setattr(intake_store, "next_case_code", after_the_read)
    saved = service.save(form())
    assert saved.code and len(interlopers) == 1 and "locked" in (interlopers[0] or "")


def test_a_writer_that_cannot_get_the_lock_gets_sqlalchemy_s_error(database: Database) -> None:
    path = database.engine.url.database
    assert path
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with database.writer.connect() as conn:
            driver: Any = conn.connection.driver_connection  # no transaction: not begun yet
            driver.execute("PRAGMA busy_timeout=50")
            with pytest.raises(OperationalError, match="locked"):
                conn.begin()
            conn.invalidate()  # not back to the pool with that timeout
    finally:
        holder.rollback()
        holder.close()
    with database.writer.begin() as conn:  # the lock is free again
        conn.execute(text("INSERT INTO sync_state (key, value) VALUES ('after', 'z')"))


def test_the_writer_engine_is_made_once_and_goes_with_its_engine(tmp_path: Any) -> None:
    import gc
    import weakref

    from pakn_desktop.data.engine import make_engine, writer

    engine = make_engine(f"sqlite:///{tmp_path / 'w.sqlite3'}")
    first = writer(engine)
    assert writer(engine) is first and first is not engine
    gone = weakref.ref(engine)
    del engine, first
    gc.collect()
    assert gone() is None  # a CLI or a test that opens many databases does not keep them
