"""The migrated SQLite template: built once per session, copied into each test's data dir.

Migrating and seeding a new database costs 0.7–0.9 s; reopening one that is already at head
costs 0.06 s. So the migrated, reference-seeded file is built once per session (per xdist
worker: each has its own session) and tests get a file copy of it. The PostgreSQL twin,
``CREATE DATABASE … TEMPLATE``, is in ``tests/pg.py``. Tests of the migrations themselves
still start from an empty database (conftest's ``env`` alone, or ``pg_url``).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from pakn_desktop.services.database import open_database
from pakn_desktop.services.environment import SQLITE_FILE, Environment, resolve

MigratedEnv = Callable[[Path], Environment]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head with its reference data, built once per session."""
    env = resolve(data_dir=str(tmp_path_factory.mktemp("template")))
    open_database(env).close()
    path = env.data_dir / SQLITE_FILE
    # Everything into the main file, so that one file copy is the whole database.
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    assert not path.with_name(SQLITE_FILE + "-wal").exists()
    return path


@pytest.fixture(scope="session")
def migrated(sqlite_template: Path) -> MigratedEnv:
    """``migrated(folder)``: the Environment of ``folder`` holding a copy of the template
    database, as if the program had already run there once (module-scoped fixtures use it)."""

    def copy(folder: Path) -> Environment:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sqlite_template, folder / SQLITE_FILE)
        return resolve(data_dir=str(folder))

    return copy
