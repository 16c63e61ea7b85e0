"""Who and where: the database in use, this station's code, the signed-in user."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path

from pakn_desktop.data.stations import local_station

from .database import Database


@dataclass(frozen=True)
class Workstation:
    station_code: str
    user: str


def describe_database(database: Database) -> str:
    """Short and password-free: the SQLite file name, or the PostgreSQL host and database."""
    url = database.engine.url
    if url.get_backend_name() == "sqlite":
        return Path(url.database or ":memory:").name
    host = url.host or "localhost"
    port = f":{url.port}" if url.port else ""
    return f"PostgreSQL {host}{port}/{url.database or ''}"


def load_workstation(database: Database) -> Workstation:
    """The local station (created on first start, hence a write) and the OS user.

    Accounts come with a later version; until then the operating-system login is who works.
    """
    with database.sessions.begin() as session:
        code = local_station(session).code
    return Workstation(station_code=code, user=getpass.getuser())
