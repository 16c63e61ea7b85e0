"""Who and where: the database in use, this station's code, the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:  # uuid: it imports platform, off the window's start path
    import uuid

    from pakn_desktop.services.database import Database


@dataclass(frozen=True)
class Workstation:
    station_code: str
    user: str
    user_id: uuid.UUID | None = None


def describe_url(url: str) -> str:
    """Short and password-free: the SQLite file name, or the PostgreSQL host and database.

    Plain string work, so the status bar can say it before SQLAlchemy is loaded.
    """
    scheme = url.split(":", 1)[0].split("+", 1)[0]
    if scheme == "sqlite":
        path = url.split(":///", 1)[-1] if ":///" in url else ":memory:"
        return PurePath(path.split("?", 1)[0] or ":memory:").name
    parts = urlsplit(url)
    hosts = parts.netloc.rpartition("@")[2]  # never the user or password
    if not hosts:  # libpq's query form: postgresql://u@/db?host=h1:p1,h2:p2 (a cluster)
        given = parse_qs(parts.query).get("host", [])
        hosts = ",".join(given) or "localhost"
    return f"PostgreSQL {hosts.split(',')[0]}{parts.path}"


def load_workstation(database: Database) -> Workstation:
    """The local station (created on first start, hence a write) and the OS user.

    Accounts come with a later version; until then the operating-system login is who works.
    """
    import getpass

    from pakn_desktop.data.engine import retry_when_busy
    from pakn_desktop.data.stations import local_station
    from pakn_desktop.data.users import local_user

    db = database
    login = getpass.getuser()

    def work() -> Workstation:
        with db.write_sessions.begin() as session:
            code = local_station(session).code
            user_id = local_user(session, login).id
        return Workstation(station_code=code, user=login, user_id=user_id)

    return retry_when_busy(work)


def local_user_id(database: Database) -> uuid.UUID:
    """The id of the user row for this OS login (a write on first use)."""
    import getpass

    from pakn_desktop.data.engine import retry_when_busy
    from pakn_desktop.data.users import local_user

    def work() -> uuid.UUID:
        with database.write_sessions.begin() as session:
            return local_user(session, getpass.getuser()).id

    return retry_when_busy(work)
