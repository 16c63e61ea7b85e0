"""``data.prepared``: statements run on the driver's cursor give what ``conn.execute`` gives."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from pakn_desktop.data.models import Base, CaseSequence, Reporter
from pakn_desktop.data.prepared import prepared, prepared_insert
from pakn_desktop.data.stations import local_station, next_case_code
from pakn_desktop.data.writes import insert_rows
from pakn_desktop.services.database import Database

from .pg import pg_database, pg_url  # noqa: F401  (fixtures)
from .test_writes import _reporter

_BY_PHONE = (
    select(Reporter.id, Reporter.full_name, Reporter.created_at)
    .where(Reporter.phone == bindparam("phone"))
    .order_by(Reporter.created_at.desc())
)
_SEQUENCE = Base.metadata.tables[CaseSequence.__tablename__]
_BUMP = (
    update(_SEQUENCE)
    .where(_SEQUENCE.c.station_id == bindparam("b_station"), _SEQUENCE.c.day == bindparam("b_day"))
    .values(last_seq=_SEQUENCE.c.last_seq + 7)  # a literal the statement carries
    .returning(_SEQUENCE.c.last_seq, _SEQUENCE.c.station_id)
)


def _same_as_execute(database: Database) -> None:
    first, second = _reporter("Nguyễn Văn An"), _reporter(None)
    with database.engine.begin() as conn:
        insert_rows(conn, "reporter", [first, second])
        ours = prepared(_BY_PHONE, conn.dialect).run(conn, [{"phone": "+84912345678"}])
        theirs = [tuple(r) for r in conn.execute(_BY_PHONE, {"phone": "+84912345678"})]
        assert ours == theirs and len(ours) == 2
        assert isinstance(ours[0][0], uuid.UUID) and ours[0][2].tzinfo is not None
        assert prepared(_BY_PHONE, conn.dialect).run(conn, [{"phone": "+84900000000"}]) == []

        with database.sessions(bind=conn) as session:
            station = local_station(session)
            session.flush()
        day = date(2026, 2, 17)  # Tết: the sequence starts at 1 on any day
        codes = [next_case_code(conn, station, day).seq for _ in range(3)]
        assert codes == [1, 2, 3]
        values = {"b_station": station.id, "b_day": day}
        bumped = prepared(_BUMP, conn.dialect).run(conn, [values])
        assert bumped == [(10, station.id)]
        assert [tuple(r) for r in conn.execute(_BUMP, values)] == [(17, station.id)]
        assert (
            prepared(_BUMP, conn.dialect).run(conn, [{**values, "b_day": date(2026, 1, 1)}]) == []
        )


def test_sqlite_prepared_equals_execute(database: Database) -> None:
    _same_as_execute(database)


def test_postgresql_prepared_equals_execute(pg_database: Database) -> None:  # noqa: F811
    _same_as_execute(pg_database)


def test_an_insert_must_name_every_column_it_writes(database: Database) -> None:
    with pytest.raises(AssertionError, match="created_at"):
        prepared_insert("reporter", frozenset({"id", "full_name"}), database.engine.dialect)


def test_a_driver_error_is_sqlalchemy_s(database: Database) -> None:
    row = _reporter("An")
    with database.engine.begin() as conn:
        insert_rows(conn, "reporter", [row])
    with pytest.raises(IntegrityError), database.engine.begin() as conn:
        prepared_insert("reporter", frozenset(row), conn.dialect).run(conn, [row])


def test_an_insert_refuses_a_key_that_is_no_column(database: Database) -> None:
    row = {**_reporter("An"), "nickname": "Bé"}
    with pytest.raises(AssertionError, match="nickname"):
        prepared_insert("reporter", frozenset(row), database.engine.dialect)
