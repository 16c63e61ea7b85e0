"""Shared fixtures: a fresh data dir and migrated SQLite database per test, offscreen Qt.

The database is a copy of a template migrated once per session (``tests/db_template.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

# Property tests draw the same examples on every run (a CI failure is reproducible, never one
# run in twenty), and a machine busy with other work does not fail them for being slow.
settings.register_profile(
    "pakn", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("pakn")

# Before any Qt import: tests never need a display unless marked xvfb.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("PAKN_DB_URL", None)
os.environ.pop("PAKN_DATA_DIR", None)

from pakn_desktop.services.database import Database, open_database  # noqa: E402
from pakn_desktop.services.environment import Environment, resolve  # noqa: E402

if TYPE_CHECKING:  # imported by pytest as a plugin: importing it here first would stop that
    from .db_template import MigratedEnv

pytest_plugins = [
    "tests.db_template",  # migrated: copies of a SQLite template migrated once per session
    "tests.pg",  # pg_url: a fresh PostgreSQL database per test
    "tests.evidence_fixtures",  # store, evidence, ticket
    "tests.qt_helpers",  # no_thread_leaks, applied to every Qt test
]


@pytest.fixture
def env(tmp_path: Path) -> Environment:
    """A fresh, empty data dir; the default embedded SQLite database will live inside it."""
    return resolve(data_dir=str(tmp_path / "data"))


@pytest.fixture
def migrated_env(env: Environment, migrated: MigratedEnv) -> Environment:
    """``env`` with its SQLite database already migrated and seeded (a template copy)."""
    return migrated(env.data_dir)


@pytest.fixture
def database(migrated_env: Environment) -> Iterator[Database]:
    """The migrated, reference-seeded SQLite database of ``env``."""
    db = open_database(migrated_env)
    yield db
    db.close()
