"""Opening the database: engine, migrations, reference data, the local station."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from pakn_desktop.data import migrate, outbox
from pakn_desktop.data.engine import (
    make_engine,
    reach,
    session_factory,
    write_session_factory,
    writer,
)
from pakn_desktop.data.errors import ErrorCode, KnownError, classify
from pakn_desktop.data.search_indexer import SearchIndexer
from pakn_desktop.data.wal_checkpoint import WalCheckpointer
from pakn_desktop.services.environment import Environment

log = logging.getLogger(__name__)


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]
    checkpointer: WalCheckpointer | None = None
    indexer: SearchIndexer | None = None

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @property
    def writer(self) -> Engine:
        """The engine for transactions that write (``writer.begin()``): on SQLite they take
        the write lock before their first read (``data.engine.writer``)."""
        return writer(self.engine)

    @functools.cached_property
    def write_sessions(self) -> sessionmaker[Session]:
        """ORM sessions for transactions that write, with the outbox hook (see ``writer``)."""
        sessions = write_session_factory(self.engine)
        outbox.install(sessions)
        return sessions

    def close(self) -> None:
        if self.indexer is not None:
            self.indexer.stop()
            try:
                self.indexer.flush()  # a short-lived process (a CLI intake) leaves no backlog
            except Exception as error:  # the next start indexes it: searches find it meanwhile
                log.debug("search backlog left for later: %s", type(error).__name__)
        if self.checkpointer is not None:
            self.checkpointer.stop()
        self.engine.dispose()


def _claim_station(engine: Engine, env: Environment) -> None:
    """The code asked for (``--station``, ``PAKN_STATION``) given to a new database's station,
    or checked against the station it has (refused if it differs: ``StationCodeFixed``).
    The demo database keeps its own: it is never synced. A PostgreSQL database is the shared
    server (``--db postgresql://… db upgrade``), never one station's: ``PAKN_STATION`` in
    the administrator's environment must not record a station there (decision 44)."""
    from pakn_desktop.data.engine import retry_when_busy
    from pakn_desktop.data.stations import claim_station, has_station
    from pakn_desktop.services.environment import is_demo

    code = env.station
    if code is None or is_demo(env) or engine.dialect.name != "sqlite":
        return
    with session_factory(engine)() as session:  # a read: no write lock on every start
        if has_station(session):
            claim_station(session, code)  # refused if the code differs; writes nothing
            return
    sessions = write_session_factory(engine)
    outbox.install(sessions)

    def work() -> None:
        with sessions.begin() as session:
            claim_station(session, code)

    retry_when_busy(work)


def open_database(env: Environment, *, upgrade: bool = True) -> Database:
    """Connect, migrate to head (when ``upgrade``) and seed reference data.

    Environment failures come out as KnownError; the schema work runs in one transaction, so a
    failure leaves the database as it was.
    """
    engine = make_engine(env.db_url)
    # before the first connection, so every pooled connection leaves checkpoints to it
    checkpointer = WalCheckpointer.attach(engine)
    try:
        reach(engine)
        if upgrade:
            migrate.upgrade(engine)
            from pakn_desktop.data import reference

            reference.ensure(engine)
        elif migrate.needs_upgrade(engine):
            raise KnownError(ErrorCode.SCHEMA, "chạy 'pakn-desktop db upgrade'")
    except Exception as error:
        engine.dispose()
        known = classify(error)
        if known is None:
            raise
        raise known from error
    sessions = session_factory(engine)
    outbox.install(sessions)
    if env.station:
        try:
            _claim_station(engine, env)
        except Exception:
            engine.dispose()
            raise
    if checkpointer is not None:
        checkpointer.start()
    indexer = SearchIndexer.attach(engine)  # new reports indexed after their save
    if indexer is not None:
        indexer.start()
    return Database(engine=engine, sessions=sessions, checkpointer=checkpointer, indexer=indexer)
