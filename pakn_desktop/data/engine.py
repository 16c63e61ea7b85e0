"""Engines for the embedded SQLite default and for PostgreSQL."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .db_url import parse_db_url
from .errors import ErrorCode, KnownError
from .settings.station import PG_CONNECT_TIMEOUT
from .types import json_dumps

BUSY_TIMEOUT_MS = 5000
# A server machine that vanishes (power, network: a cluster's primary lost) sends no reset.
# Without these, a push waits on its socket for TCP's retransmissions (many minutes), or for
# ever while it awaits a reply with nothing unacknowledged; the failover then never reaches
# the station. libpq's probes after 10 s of silence, every 5 s, and 30 s of unacknowledged
# data end the connection (decision 48). A slow statement is not cut: its server's TCP still
# acknowledges. Where the system lacks TCP_USER_TIMEOUT, libpq ignores it.
PG_DEAD_PEER: dict[str, int] = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": 30_000,  # milliseconds
}
T = TypeVar("T")


def default_sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'pakn.sqlite3'}"


def parse_url(url: str) -> URL:
    """The URL checked and normalised (``data.db_url``); KnownError(BAD_URL) if refused."""
    return parse_db_url(url)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    # FULL: an intake that said "saved" survives a power cut, not only a process crash.
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA journal_mode=WAL")
    # A write statement inside a transaction keeps a statement journal of the pages it
    # changes; past 64 KiB SQLite spills it to a temporary file. A save's ticket insert with
    # its indexes and the tally's trigger (data.tally) passes that, and a file created and
    # written per save cost milliseconds on a busy disk. In memory it stays a few pages.
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def make_engine(url: str, *, echo: bool = False, password: str | None = None) -> Engine:
    """Build an engine; for a file-backed SQLite URL the parent folder must already exist.
    ``password``: for a PostgreSQL URL without one (the sync's, from the keyring); it goes
    into the URL object only, never into a string that could be logged."""
    parsed = parse_url(url)
    if password and parsed.password is None and parsed.get_backend_name() != "sqlite":
        parsed = parsed.set(password=password)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if not database.startswith("file:"):
            # As SQLite will open it: pysqlite does not expand "~".
            parent = Path(database).resolve().parent
            if not parent.is_dir():
                raise KnownError(ErrorCode.BAD_URL, f"thư mục {parent} không tồn tại")
        engine = create_engine(
            parsed,
            echo=echo,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
            json_serializer=json_dumps,
            hide_parameters=True,  # no reporter's name in an error's message: see below
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's implicit BEGIN breaks SAVEPOINT and transactional DDL; let SQLAlchemy
        # emit BEGIN itself (the documented pysqlite recipe).
        event.listen(engine, "begin", _sqlite_begin)
        _disable_pysqlite_autobegin(engine)
        return engine
    timeout = PG_CONNECT_TIMEOUT.from_env_or_default()
    connect_args = {"connect_timeout": timeout, **PG_DEAD_PEER}
    return create_engine(
        parsed,
        echo=echo,
        pool_pre_ping=True,
        connect_args=connect_args,
        json_serializer=json_dumps,
        # A failed statement's message (logged with its traceback) would otherwise carry the
        # values it was given: a denouncer's name and number among them.
        hide_parameters=True,
    )


_WRITE_OPTION = "pakn_write"
_WRITER_ATTRIBUTE = "_pakn_writer"


def _sqlite_begin(conn: Connection) -> None:
    sql = "BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE_OPTION) else "BEGIN"
    # On the driver itself: exec_driver_sql's execution context cost 15 µs, on every
    # transaction. A driver error is raised as SQLAlchemy's, as exec_driver_sql would.
    driver: Any = conn.connection.driver_connection
    try:
        driver.execute(sql)
    except sqlite3.Error as error:
        raise DBAPIError.instance(sql, (), error, sqlite3.Error) from error


def writer(engine: Engine) -> Engine:
    """``engine`` for transactions that write (``writer(engine).begin()``, or a Session
    bound to it): on SQLite they open with ``BEGIN IMMEDIATE``.

    A deferred transaction that reads before it writes fails at once, without the busy
    timeout, when another connection commits in between (WAL's busy snapshot): with the
    search indexer, the alert scanner and the notification dispatcher writing in the
    background, a save or a workflow step could fail with "database is locked". IMMEDIATE
    takes the write lock first, waiting up to the busy timeout, so the read and the write see
    the same database. Readers keep plain ``engine.connect()`` and never wait on a writer.
    Other engines: the same engine, unchanged.
    """
    if engine.dialect.name != "sqlite":
        return engine
    # Kept on the engine itself: a weak-keyed table would never let it go, since the writer
    # refers to its engine. The cycle goes with the engine.
    found: Engine | None = getattr(engine, _WRITER_ATTRIBUTE, None)
    if found is None:
        found = engine.execution_options(**{_WRITE_OPTION: True})
        setattr(engine, _WRITER_ATTRIBUTE, found)
    return found


def _disable_pysqlite_autobegin(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _no_autobegin(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def write_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose transactions write (see :func:`writer`)."""
    return sessionmaker(writer(engine), expire_on_commit=False)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def retry_when_busy(work: Callable[[], T], attempts: int = 5) -> T:
    """Run ``work`` (one whole transaction) again when SQLite reports the database busy.

    A deferred transaction that read before writing fails at once, without the busy timeout,
    when another connection committed a write in between (WAL's busy snapshot). Rare start-up
    writes (the station, the station's user) taken from several workers can meet that; the
    whole transaction is simply run again.
    """
    for attempt in range(attempts):
        try:
            return work()
        except OperationalError as error:
            if "locked" not in str(error.orig).lower() or attempt == attempts - 1:
                raise
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")


def reach(engine: Engine) -> None:
    """One round trip: the file opens (or the server answers) before any schema work, so a
    bad path or an unreachable server is the error, not a migration's."""
    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
