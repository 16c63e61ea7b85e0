"""Migration 0017 on SQLite and on a real PostgreSQL: the parked column on both, the change
log on the server's engine only, and the pending count kept exact up and down."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from pakn_desktop.data import migrate
from pakn_desktop.data.engine import make_engine

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "postgresql":
        url: str = request.getfixturevalue("pg_url")
    else:
        url = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _pending(engine: Engine) -> int:
    with engine.connect() as conn:
        found = conn.execute(text("SELECT sum(n) FROM tally WHERE dim = 'outbox'")).scalar()
        return int(found or 0)


def _add_outbox_row(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO outbox (change_id, table_name, row_id, op, payload, created_at, "
                "attempts) VALUES (:c, 'category', 'x', 'update', '{}', :t, 0)"
            ),
            {"c": "0" * 31 + "1", "t": "2026-12-07 10:00:00"},
        )


def test_0017_parks_changes_out_of_the_pending_count_and_back(engine: Engine) -> None:
    migrate.upgrade(engine, "0016")
    _add_outbox_row(engine)
    assert _pending(engine) == 1
    migrate.upgrade(engine)
    assert "parked_at" in {c["name"] for c in inspect(engine).get_columns("outbox")}
    server = engine.dialect.name == "postgresql"
    assert ("change_log" in inspect(engine).get_table_names()) == server
    assert _pending(engine) == 1
    with engine.begin() as conn:
        conn.execute(text("UPDATE outbox SET parked_at = '2026-12-07 11:00:00'"))
    assert _pending(engine) == 0  # parked: no longer waiting to go
    migrate.downgrade(engine, "0016")
    assert "parked_at" not in {c["name"] for c in inspect(engine).get_columns("outbox")}
    assert "change_log" not in inspect(engine).get_table_names()
    assert _pending(engine) == 1  # before 0017 every unpushed row was pending
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM outbox"))
    assert _pending(engine) == 0  # the triggers 0014 made are back and count
