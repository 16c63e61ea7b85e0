"""``data.writes``: the prepared Core inserts store exactly what SQLAlchemy's own insert does."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from pakn_desktop.data.models import Base, Outbox
from pakn_desktop.data.writes import insert_rows, insert_tables
from pakn_desktop.domain.ids import new_id
from pakn_desktop.services.database import Database

from .pg import pg_database, pg_url  # noqa: F401  (fixtures)


def _reporter(name: str | None) -> dict[str, Any]:
    return {
        "id": new_id(),
        "full_name": name,
        "phone": "+84912345678",
        "phone_raw": "0912 345 678",
        "email": None,
        "address": "12 Lê Lợi, Phường Bến Thành",
        "created_at": datetime(2026, 2, 16, 9, 30, 15, 123456, tzinfo=UTC),
    }


def _stored(database: Database, key: uuid.UUID) -> tuple[Any, ...]:
    """The row as the database holds it (driver values, not ORM objects)."""
    table = Base.metadata.tables["reporter"]
    with database.engine.connect() as conn:
        return tuple(conn.execute(select(table).where(table.c.id == key)).one())


def _same_as_sqlalchemy(database: Database) -> None:
    ours, theirs = _reporter("Nguyễn Văn An"), _reporter(None)
    with database.engine.begin() as conn:
        insert_rows(conn, "reporter", [ours])
        conn.execute(insert(Base.metadata.tables["reporter"]), [theirs])
    mine, reference = _stored(database, ours["id"]), _stored(database, theirs["id"])
    differing = [i for i, (a, b) in enumerate(zip(mine, reference, strict=True)) if a != b]
    assert differing == [0, 1]  # the id and the name, nothing else
    assert mine[1] == "Nguyễn Văn An" and mine[0] == ours["id"]
    with database.sessions() as session:
        change = session.scalars(select(Outbox).where(Outbox.row_id == str(ours["id"]))).one()
    assert change.op == "insert" and change.table_name == "reporter"
    assert change.payload["created_at"] == "2026-02-16T09:30:15.123456+00:00"
    assert change.payload["full_name"] == "Nguyễn Văn An"


def test_sqlite_stores_what_sqlalchemy_stores(database: Database) -> None:
    _same_as_sqlalchemy(database)


def test_postgresql_stores_what_sqlalchemy_stores(pg_database: Database) -> None:  # noqa: F811
    _same_as_sqlalchemy(pg_database)


def test_a_row_without_a_defaulted_column_is_refused(database: Database) -> None:
    row = _reporter("An")
    del row["created_at"]  # has a Python-side default the prepared insert would not run
    with database.engine.begin() as conn, pytest.raises(AssertionError, match="created_at"):
        insert_tables(conn, [("reporter", [row], "id")])


def _refused_twice(database: Database) -> None:
    """A driver error comes out as SQLAlchemy's (callers catch those), and nothing is kept."""
    row = _reporter("An")
    with database.engine.begin() as conn:
        insert_rows(conn, "reporter", [row])
    for rows in ([row], [_reporter("Bình"), row]):  # one row (execute), several (executemany)
        with pytest.raises(IntegrityError), database.engine.begin() as conn:
            insert_rows(conn, "reporter", rows)
    with database.engine.connect() as conn:
        table = Base.metadata.tables["reporter"]
        assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(Outbox)).scalar_one() == 1


def test_sqlite_driver_errors_are_sqlalchemy_errors(database: Database) -> None:
    _refused_twice(database)


def test_postgresql_driver_errors_are_sqlalchemy_errors(pg_database: Database) -> None:  # noqa: F811
    _refused_twice(pg_database)


def test_json_columns_write_ids_and_times_as_strings_and_refuse_other_objects() -> None:
    from decimal import Decimal

    from pakn_desktop.data.types import json_dumps

    key = uuid.UUID("01a21446-66ce-7cfd-b705-956d698435fd")
    at = datetime(2026, 2, 16, 9, 30, tzinfo=UTC)
    assert json.loads(json_dumps({"id": key, "at": at, "day": at.date(), "n": 1})) == {
        "id": str(key),
        "at": "2026-02-16T09:30:00+00:00",
        "day": "2026-02-16",
        "n": 1,
    }
    with pytest.raises(TypeError, match="Decimal"):
        json_dumps({"amount": Decimal("1.5")})


def test_json_columns_write_the_text_json_dumps_writes() -> None:
    """The C encoder made once (data.types) writes what ``json.dumps`` with the same default
    writes: non-ASCII escaped, floats, nested lists, int keys, None, top-level scalars."""
    from pakn_desktop.data.types import _json_default, json_dumps

    at = datetime(2026, 2, 16, 9, 30, 5, 120, tzinfo=UTC)
    values: list[object] = [
        {"content": "Phản ánh “ngập” \n\t\\ \u2028 đường", "n": 1.5, "big": 10**30, "no": None},
        {"nested": [{"id": uuid.UUID(int=7), "at": at}, [True, False, -0.0, 1e300]], 3: "int key"},
        "Đường",
        12,
        None,
        [],
        {},
    ]
    for value in values:
        assert json_dumps(value) == json.dumps(value, default=_json_default)
