"""PostgreSQL for tests: a fresh database per test on the server ``scripts/test.sh`` starts.

The server's URL comes from ``PAKN_TEST_PG_URL``. Without it the tests that need PostgreSQL
are skipped on a developer's machine, but fail when ``PAKN_REQUIRE_PG=1`` or ``CI=true``: a
CI run must never pass by silently skipping the PostgreSQL half.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ENV_URL = "PAKN_TEST_PG_URL"


def pg_required() -> bool:
    return os.environ.get("PAKN_REQUIRE_PG") == "1" or os.environ.get("CI", "").lower() == "true"


def server_url() -> str:
    """The test server's URL; skips (or fails, when PostgreSQL is required) without one."""
    url = os.environ.get(ENV_URL, "")
    if not url:
        reason = f"{ENV_URL} is not set: bash scripts/test.sh starts a PostgreSQL server"
        if pg_required():
            pytest.fail(reason)
        pytest.skip(reason)
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL of a new, empty database (``pakn_test_<uuid>``), dropped after the test."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = server_url()
    name = f"pakn_test_{uuid.uuid4().hex}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def pg_database(pg_url: str, tmp_path: Path) -> Iterator[Any]:
    """``open_database`` on a new PostgreSQL database (migrated, reference data seeded),
    closed after the test: the PostgreSQL twin of conftest's SQLite ``database``."""
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.environment import resolve

    database = open_database(resolve(db=pg_url, data_dir=str(tmp_path / "pg")))
    yield database
    database.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    """(database, environment), once on SQLite and once on a new PostgreSQL database: for a
    test that must hold on both engines."""
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.environment import resolve

    if request.param == "postgresql":
        env = resolve(db=request.getfixturevalue("pg_url"), data_dir=str(tmp_path / "data"))
    else:
        env = resolve(data_dir=str(tmp_path / "data"))
    database = open_database(env)
    yield database, env
    database.close()
