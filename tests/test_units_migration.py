"""0013 moves each unit's single contact into ``unit_contact`` (and back on downgrade), on
SQLite and on a real PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, text

from pakn_desktop.data import migrate
from pakn_desktop.data.engine import make_engine

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "postgresql":
        url: str = request.getfixturevalue("pg_url")
    else:
        url = f"sqlite:///{tmp_path / 'units.sqlite3'}"
    engine = make_engine(url)
    yield engine
    engine.dispose()


def test_0013_moves_unit_contacts_and_back(engine: Engine) -> None:
    migrate.upgrade(engine, "0012")
    unit = sa.table(
        "unit",
        *(sa.column(n, sa.Uuid()) for n in ("id",)),
        *(sa.column(n, sa.String()) for n in ("code", "name", "kind")),
        *(sa.column(n, sa.String()) for n in ("contact_name", "contact_phone", "contact_email")),
        sa.column("active", sa.Boolean()),
    )
    with_contact, bare = uuid.uuid4(), uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            unit.insert(),
            [
                {"id": with_contact, "code": "A", "name": "UBND phường A", "kind": "ubnd_xa",
                 "contact_name": "Trần Thị Liên", "contact_phone": "0283 822 1234",
                 "contact_email": "a@example.org", "active": True},
                {"id": bare, "code": "B", "name": "UBND phường B", "kind": "ubnd_xa",
                 "contact_name": None, "contact_phone": None, "contact_email": None,
                 "active": True},
            ],
        )  # fmt: skip

    migrate.upgrade(engine)

    with engine.connect() as conn:
        contacts = conn.execute(
            text(
                "SELECT unit_id, name, phone, email, receives_sms, receives_email FROM unit_contact"
            )
        ).all()
        legacy = conn.execute(
            text("SELECT contact_name, contact_phone, contact_email FROM unit")
        ).all()
    [(unit_id, name, phone, email, sms, mail)] = contacts
    assert uuid.UUID(str(unit_id)) == with_contact
    assert (name, phone, email, bool(sms), bool(mail)) == (
        "Trần Thị Liên", "0283 822 1234", "a@example.org", True, True,
    )  # fmt: skip
    assert set(legacy) == {(None, None, None)}, "moved, not copied"

    migrate.downgrade(engine, "0012")
    with engine.connect() as conn:
        back = conn.execute(
            text("SELECT code, contact_name, contact_phone, contact_email FROM unit ORDER BY code")
        ).all()
    assert [tuple(r) for r in back] == [
        ("A", "Trần Thị Liên", "0283 822 1234", "a@example.org"),
        ("B", None, None, None),
    ]
