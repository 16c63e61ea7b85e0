"""The outbox is written in the change's own transaction; case codes come from the station."""

from __future__ import annotations

import gc
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from pakn_desktop.data import outbox
from pakn_desktop.data.engine import session_factory
from pakn_desktop.data.models import Category, Outbox, Reporter, Station
from pakn_desktop.data.stations import default_station_code, local_station, next_case_code
from pakn_desktop.services.database import Database


def _outbox(database: Database) -> list[Outbox]:
    with database.sessions() as session:
        return list(session.scalars(select(Outbox).order_by(Outbox.seq)))


def test_insert_update_delete_each_leave_one_outbox_row(database: Database) -> None:
    before = len(_outbox(database))
    with database.sessions.begin() as session:
        reporter = Reporter(full_name="Nguyễn Văn An", phone="+84912345678")
        session.add(reporter)
    with database.sessions.begin() as session:
        row = session.get(Reporter, reporter.id)
        assert row is not None
        row.full_name = "Nguyễn Văn Ân"
    with database.sessions.begin() as session:
        row = session.get(Reporter, reporter.id)
        session.delete(row)
    entries = _outbox(database)[before:]
    assert [(e.op, e.table_name, e.row_id) for e in entries] == [
        ("insert", "reporter", str(reporter.id)),
        ("update", "reporter", str(reporter.id)),
        ("delete", "reporter", str(reporter.id)),
    ]
    assert entries[0].payload["phone"] == "+84912345678"
    assert entries[0].payload["created_at"]  # defaults are in the payload, not missing
    assert entries[1].payload == {"full_name": "Nguyễn Văn Ân"}
    assert len({e.change_id for e in entries}) == 3


def test_rolled_back_change_leaves_no_outbox_row(database: Database) -> None:
    before = len(_outbox(database))
    with pytest.raises(RuntimeError), database.sessions.begin() as session:
        session.add(Category(code="admin_added", name="Do quản trị thêm"))
        session.flush()
        raise RuntimeError("the operator's machine died here")
    assert len(_outbox(database)) == before
    with database.sessions() as session:
        assert session.get(Category, "admin_added") is None


def test_no_change_no_outbox_row(database: Database) -> None:
    with database.sessions.begin() as session:
        session.add(Reporter(full_name="Trần Thị Bình"))
    before = len(_outbox(database))
    with database.sessions.begin() as session:
        row = session.scalars(select(Reporter)).first()
        assert row is not None
        row.full_name = row.full_name  # same value: nothing to sync
    assert len(_outbox(database)) == before


def test_local_station_is_created_once_and_remembered(database: Database) -> None:
    with database.sessions.begin() as session:
        first = local_station(session, "HN01")
    with database.sessions.begin() as session:
        again = local_station(session, "ZZ99")  # the stored identity wins over a new default
        assert again.id == first.id and again.code == "HN01"
        others = select(func.count()).select_from(Station).where(Station.code == "ZZ99")
        assert session.scalar(others) == 0


def test_case_codes_are_sequential_per_day_and_unique(database: Database) -> None:
    day = date(2026, 11, 24)
    with database.sessions.begin() as session:
        station = local_station(session, "HN01")
        codes = [str(next_case_code(session, station, day)) for _ in range(3)]
        other_day = str(next_case_code(session, station, date(2026, 11, 25)))
    assert codes == ["PA-261124-HN01-0001", "PA-261124-HN01-0002", "PA-261124-HN01-0003"]
    assert other_day == "PA-261125-HN01-0001"
    with database.sessions.begin() as session:
        station = local_station(session)
        assert str(next_case_code(session, station, day)) == "PA-261124-HN01-0004"


def test_default_station_code_is_stable_and_valid() -> None:
    assert default_station_code("may-tram-1") == default_station_code("may-tram-1")
    assert default_station_code("may-tram-1") != default_station_code("may-tram-2")
    assert len(default_station_code("x")) == 5


def test_datetimes_come_back_aware_utc(database: Database) -> None:
    moment = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)
    with database.sessions.begin() as session:
        reporter = Reporter(full_name="Lê Văn Cường", created_at=moment)
        session.add(reporter)
    with database.sessions() as session:
        row = session.get(Reporter, reporter.id)
        assert row is not None
        assert row.created_at == moment and row.created_at.tzinfo is not None


def test_every_sessionmaker_gets_the_outbox_hook(database: Database) -> None:
    """Installed per sessionmaker, and never skipped: ``event.contains`` once answered True
    for fresh sessionmakers whose id reused a collected one's, and their rows went missing."""
    missed = []
    for number in range(60):
        sessions = session_factory(database.engine)
        outbox.install(sessions)
        outbox.install(sessions)  # a second install must not double the rows
        with sessions.begin() as session:
            session.add(Reporter(full_name=f"Người gọi {number}"))
        with sessions() as session:
            wanted = select(func.count()).select_from(Outbox).where(Outbox.table_name == "reporter")
            if session.scalar(wanted) != number + 1:
                missed.append(number)
        del sessions, session
        gc.collect()
    assert missed == []
