"""PostgreSQL for tests: a fresh database per test on the server ``scripts/test.sh`` starts,
empty (``pg_url``) or a copy of a template migrated once per session (``pg_migrated_url``).

The server's URL comes from ``PAKN_TEST_PG_URL``. Without it the tests that need PostgreSQL
are skipped on a developer's machine, but fail when ``PAKN_REQUIRE_PG=1`` or ``CI=true``: a
CI run must never pass by silently skipping the PostgreSQL half.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def _new_database(template: str | None = None) -> Iterator[str]:
    """URL of a new database (``pakn_test_<uuid>``), a copy of ``template`` if given, dropped
    after the test."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = server_url()
    name = f"pakn_test_{uuid.uuid4().hex}"
    copy = f' TEMPLATE "{template}"' if template else ""
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL of a new, empty database, dropped after the test (for the migrations' own tests)."""
    with _new_database() as url:
        yield url


@pytest.fixture(scope="session")
def pg_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Name of a database migrated to head with its reference data, built once per session
    (and per xdist worker): ``CREATE DATABASE … TEMPLATE`` copies its files on the server,
    which is much cheaper than migrating and seeding a new database."""
    from sqlalchemy.engine import make_url

    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.environment import resolve

    with _new_database() as url:
        folder = tmp_path_factory.mktemp("pg-template")
        open_database(resolve(db=url, data_dir=str(folder))).close()  # no connection left
        yield str(make_url(url).database)


@pytest.fixture
def pg_migrated_url(pg_template: str) -> Iterator[str]:
    """URL of a new database, migrated and seeded (a copy of ``pg_template``), dropped after
    the test."""
    with _new_database(pg_template) as url:
        yield url


@pytest.fixture
def pg_database(pg_migrated_url: str, tmp_path: Path) -> Iterator[Any]:
    """``open_database`` on a new PostgreSQL database (migrated, reference data seeded),
    closed after the test: the PostgreSQL twin of conftest's SQLite ``database``."""
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.environment import resolve

    database = open_database(resolve(db=pg_migrated_url, data_dir=str(tmp_path / "pg")))
    yield database
    database.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    """(database, environment), once on SQLite and once on a new PostgreSQL database, both
    template copies: for a test that must hold on both engines."""
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.environment import resolve

    if request.param == "postgresql":
        url = request.getfixturevalue("pg_migrated_url")
        env = resolve(db=url, data_dir=str(tmp_path / "data"))
    else:
        env = request.getfixturevalue("migrated")(tmp_path / "data")
    database = open_database(env)
    yield database, env
    database.close()
