"""Demo data never mixes with real data: which database the program opens when started.

With no database of its own yet (the default SQLite file ``pakn.sqlite3`` absent from the
data folder), the program opens a separate demo database, ``demo.sqlite3``, fills it with
demo reports and says so on screen. "Start a real workstation" creates ``pakn.sqlite3``
empty; from then on the program opens that one. A database named by ``--db`` or
``PAKN_DB_URL`` is opened as it is and never filled with demo data on its own: only the
``demo`` command puts demo reports into it.

On the GUI's start path: imports nothing heavy (no SQLAlchemy until a database is created).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from pakn_desktop.services.environment import DEMO_FILE, SQLITE_FILE, Environment, is_demo

__all__ = ["DEMO_FILE", "Start", "choose", "create_real_database", "is_default", "is_demo"]


@dataclass(frozen=True)
class Start:
    env: Environment
    demo: bool  # the demo database: banner shown, filled with demo reports when empty


def _sqlite_url(env: Environment, name: str) -> str:
    return f"sqlite:///{env.data_dir / name}"  # the form environment.resolve writes


def is_default(env: Environment) -> bool:
    """True when no database was named: the data folder's own ``pakn.sqlite3``."""
    return env.db_url == _sqlite_url(env, SQLITE_FILE)


def demo_environment(env: Environment) -> Environment:
    return dataclasses.replace(env, db_url=_sqlite_url(env, DEMO_FILE))


def real_environment(env: Environment) -> Environment:
    return dataclasses.replace(env, db_url=_sqlite_url(env, SQLITE_FILE))


def choose(env: Environment) -> Start:
    """The database a GUI start opens: the real one when it exists or was named, else the
    demo database (created on first use)."""
    if is_demo(env):
        return Start(env, True)
    if not is_default(env) or (env.data_dir / SQLITE_FILE).exists():
        return Start(env, False)
    return Start(demo_environment(env), True)


def create_real_database(env: Environment) -> Environment:
    """Create the data folder's real database, empty (schema and reference lists only), and
    return its environment; the demo database is left as it is. Runs on a worker."""
    from pakn_desktop.services.database import open_database

    real = real_environment(env)
    open_database(real).close()
    return real
