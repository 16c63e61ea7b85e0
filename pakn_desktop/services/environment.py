"""Where things live: the data directory and the database URL, from options, env or defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pakn_desktop.data.errors import ErrorCode, KnownError
from pakn_desktop.data.settings.station import DATA_DIR, DB_URL, STATION_CODE

SQLITE_FILE = "pakn.sqlite3"
DEMO_FILE = "demo.sqlite3"  # the demo database (services.first_start)


@dataclass(frozen=True)
class Environment:
    data_dir: Path
    db_url: str
    # The station code asked for (``--station`` or ``PAKN_STATION``): given to the station
    # when its database is created, checked against it after (``data.stations``).
    station: str | None = None

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"


def is_demo(env: Environment) -> bool:
    """The data folder's demo database: never given a station code, never synced."""
    return env.db_url == f"sqlite:///{env.data_dir / DEMO_FILE}"


def default_data_dir() -> Path:
    import platformdirs  # only needed when no folder is given

    return Path(platformdirs.user_data_dir("pakn-desktop", appauthor=False))


def ensure_writable_dir(path: Path) -> Path:
    """Create ``path`` if needed and prove it can be written; KnownError(DATA_DIR) if not."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        # A plain probe file, not tempfile: that module costs a few ms on the GUI start path.
        probe = path / f".probe-{os.getpid()}"
        os.close(os.open(probe, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
        probe.unlink()
    except OSError as error:
        raise KnownError(ErrorCode.DATA_DIR, f"{path}: {error.strerror or error}") from error
    return path


def _expanded(folder: str) -> Path:
    try:
        return Path(folder).expanduser()
    except RuntimeError:  # "~someone" with no such user (or no home at all)
        user = folder.split("/", 1)[0]
        raise KnownError(
            ErrorCode.DATA_DIR, f"{folder}: không tìm thấy thư mục riêng của người dùng {user}"
        ) from None


def resolve(
    db: str | None = None, data_dir: str | None = None, station: str | None = None
) -> Environment:
    """Options beat environment variables, which beat the per-user defaults."""
    folder = data_dir or DATA_DIR.from_env()
    path = _expanded(folder) if folder else default_data_dir()
    ensure_writable_dir(path)
    url = db or DB_URL.from_env()
    if url:
        # data.engine loads SQLAlchemy (~0.2 s), so only a given URL pays for it here, to fail
        # early and clearly; the GUI's start path with the default database does not.
        from pakn_desktop.data.engine import parse_url

        parse_url(url)
    else:
        url = f"sqlite:///{path / SQLITE_FILE}"  # = data.engine.default_sqlite_url(path)
    if station:
        problem = STATION_CODE.problem(station)
        if problem is not None:
            raise KnownError(ErrorCode.INVALID, f"--station {station!r}: {problem}")
    code = station or STATION_CODE.from_env()
    return Environment(data_dir=path, db_url=url, station=code or None)
