"""Alembic migrations on SQLite and on a real PostgreSQL: up, down, up, and no drift."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from pakn_desktop.data import migrate, search_schema
from pakn_desktop.data.engine import make_engine
from pakn_desktop.data.models import Base

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database of each backend."""
    if request.param == "postgresql":
        url: str = request.getfixturevalue("pg_url")
    else:
        url = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def _drift(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        opts = {
            "compare_type": True,
            "include_name": search_schema.include_name,
            "include_object": search_schema.include_object,
        }
        context = MigrationContext.configure(conn, opts=opts)
        return list(compare_metadata(context, Base.metadata))


def test_single_head_and_linear_history() -> None:
    scripts = ScriptDirectory(str(migrate.MIGRATIONS))
    assert len(scripts.get_heads()) == 1, f"several heads: {scripts.get_heads()}"
    assert len(scripts.get_bases()) == 1, f"several bases: {scripts.get_bases()}"
    revisions = list(scripts.walk_revisions())
    assert revisions, "no migrations found"
    assert all(not rev.is_merge_point for rev in revisions)


def test_empty_to_head(engine: Engine) -> None:
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert _tables(engine) >= set(Base.metadata.tables), "migrations miss model tables"
    assert not migrate.needs_upgrade(engine)


def test_upgrading_at_the_head_runs_no_migration_and_no_integrity_scan(engine: Engine) -> None:
    """Every start upgrades; at the head that must not read every row (the foreign key check
    after a migration took seconds at 1M reports)."""
    migrate.upgrade(engine)
    statements: list[str] = []

    def capture(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        migrate.upgrade(engine)
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
    assert statements, "the revision is still read"
    assert not [s for s in statements if "foreign_key_check" in s]
    assert not [
        s
        for s in statements
        if s.lstrip().upper().startswith(("INSERT", "UPDATE", "CREATE", "DROP"))
    ]


def test_no_drift_between_models_and_migrations(engine: Engine) -> None:
    migrate.upgrade(engine)
    diff = _drift(engine)
    assert diff == [], "models and migrations differ:\n" + "\n".join(map(str, diff))


def test_downgrade_to_base_and_upgrade_again(engine: Engine) -> None:
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    assert _tables(engine) == set(), f"downgrade left tables behind: {_tables(engine)}"
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            leftovers = conn.execute(
                text(
                    "SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
                    " WHERE n.nspname = 'public' AND t.typtype = 'e'"
                )
            ).all()
        assert leftovers == [], f"downgrade left enum types behind: {leftovers}"
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert _drift(engine) == []


def test_0002_keeps_numbers_as_given_and_makes_phone_e164(engine: Engine) -> None:
    """Rows from before 0002 held the number as given in ``phone``."""
    migrate.upgrade(engine, "0001")
    reporter = sa.table(
        "reporter",
        sa.column("id", sa.Uuid()),
        sa.column("full_name", sa.String()),
        sa.column("phone", sa.String()),
        sa.column("created_at", sa.DateTime()),
    )
    given = ["0912 345 678", "(+84) 912345678", "+842838221234", "không rõ", None]
    at = datetime(2026, 11, 24, 8, 30)
    with engine.begin() as conn:
        conn.execute(
            reporter.insert(),
            [
                {"id": uuid.uuid4(), "full_name": "Nguyễn Văn An", "phone": p, "created_at": at}
                for p in given
            ],
        )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(text("SELECT phone, phone_raw FROM reporter"))]
    assert sorted(rows, key=str) == sorted(
        [
            ("+84912345678", "0912 345 678"),
            ("+84912345678", "(+84) 912345678"),
            ("+842838221234", "+842838221234"),
            (None, "không rõ"),
            (None, None),
        ],
        key=str,
    )
    migrate.downgrade(engine, "0001")
    assert "phone_raw" not in {c["name"] for c in inspect(engine).get_columns("reporter")}


@pytest.mark.postgres
def test_cli_db_upgrade_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "pakn_desktop.cli",
        "--data-dir",
        str(tmp_path / "data"),
        "--db",
        pg_url,
        "db",
        "upgrade",
    ]
    for _ in range(2):  # the second run finds the schema current and changes nothing
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        assert migrate.head_revision() in done.stdout
    engine = make_engine(pg_url)
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert _drift(engine) == []
    finally:
        engine.dispose()
