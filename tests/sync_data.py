"""Stations for the sync tests: each its own SQLite file (a template copy), with a code."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, select, text

from pakn_desktop.data.models import Ticket
from pakn_desktop.services.app_services import AppServices
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.environment import Environment

from .db_template import MigratedEnv
from .intake_data import form


@contextmanager
def station(
    migrated: MigratedEnv,
    folder: Path,
    code: str,
    *,
    clock: Callable[[], datetime] | None = None,
    environ: dict[str, str] | None = None,
) -> Iterator[AppServices]:
    """A workstation's services over its own database, created with station ``code``;
    ``clock``: the station's own clock (the system's if None); ``environ``: its variables
    (``PAKN_SYNC_URL``: the server it fetches evidence files from)."""
    env = dataclasses.replace(migrated(folder), station=code)
    database = open_database(env)
    try:
        yield AppServices(
            lambda: database, env, as_login=False, environ=environ or {}, station_clock=clock
        )
    finally:
        database.close()


def take_reports(services: AppServices, count: int) -> list[uuid.UUID]:
    return [
        services.intake.save(form(content=f"Cống bị tắc ở đường Lê Lợi, lần {i}.")).id
        for i in range(count)
    ]


def ticket_ids(database: Database) -> set[uuid.UUID]:
    with database.engine.connect() as conn:
        return set(conn.scalars(select(Ticket.id)))


def outbox_rows(database: Database) -> int:
    with database.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM outbox")).scalar_one())


def server_scalar(url: str, sql: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


def server_ticket_ids(url: str) -> list[uuid.UUID]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.scalars(text("SELECT id FROM ticket")))
    finally:
        engine.dispose()


def with_station(env: Environment, code: str) -> Environment:
    return dataclasses.replace(env, station=code)


def _file(database: Database) -> Path:
    return Path(str(database.engine.url.database))


def snapshot(database: Database, to: Path) -> None:
    """A consistent copy of a station's SQLite file (its WAL included): SQLite's backup."""
    import sqlite3

    source, target = sqlite3.connect(_file(database)), sqlite3.connect(to)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def restore(database: Database, copy: Path) -> None:
    """Put ``copy`` back as the station's database, as if nothing happened since: the
    outbox the station had before a push whose acknowledgement it never heard."""
    import sqlite3

    database.engine.dispose()
    source, target = sqlite3.connect(copy), sqlite3.connect(_file(database))
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
