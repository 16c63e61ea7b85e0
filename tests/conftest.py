"""Shared fixtures: a fresh data dir and migrated SQLite database per test, offscreen Qt."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before any Qt import: tests never need a display unless marked xvfb.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("PAKN_DB_URL", None)
os.environ.pop("PAKN_DATA_DIR", None)

from pakn_desktop.services.database import Database, open_database  # noqa: E402
from pakn_desktop.services.environment import Environment, resolve  # noqa: E402

pytest_plugins = [
    "tests.pg",  # pg_url: a fresh PostgreSQL database per test
    "tests.evidence_fixtures",  # store, evidence, ticket
]


@pytest.fixture
def env(tmp_path: Path) -> Environment:
    """A fresh data dir with the default embedded SQLite database inside it."""
    return resolve(data_dir=str(tmp_path / "data"))


@pytest.fixture
def database(env: Environment) -> Iterator[Database]:
    """The migrated, reference-seeded SQLite database of ``env``."""
    db = open_database(env)
    yield db
    db.close()
