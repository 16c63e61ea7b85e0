"""Opening the database once, on whichever thread first needs it."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.environment import Environment


class DatabaseOpener:
    """Calls ``open_database(env)`` on first use and hands out the same Database after.

    The GUI shows its window first and opens the database on a worker (migrations and the
    SQLAlchemy import take longer than Qt's whole start-up); ``AppServices`` holds this opener.
    A failure is raised to that caller and retried on the next call.
    """

    def __init__(self, env: Environment) -> None:
        self._env = env
        self._database: Database | None = None
        self._lock = threading.Lock()

    def __call__(self) -> Database:
        with self._lock:
            if self._database is None:
                from pakn_desktop.services.database import open_database

                self._database = open_database(self._env)
            return self._database

    @property
    def is_open(self) -> bool:
        return self._database is not None

    def close(self) -> None:
        with self._lock:
            if self._database is not None:
                self._database.close()
                self._database = None
