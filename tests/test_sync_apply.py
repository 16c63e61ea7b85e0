"""What the server does with each kind of change (decision 44): an insert upserts the
payload's columns, an update changes only its columns, a delete deletes; an update of a row
the server lacks is parked, not half-inserted. And the station's code as given at creation."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from pakn_desktop.data import sync_local
from pakn_desktop.data.models import Reporter
from pakn_desktop.data.stations import StationCodeFixed, has_station, local_station
from pakn_desktop.services.database import open_database
from pakn_desktop.services.environment import resolve
from pakn_desktop.services.first_start import create_real_database, demo_environment
from pakn_desktop.services.sync.push import Pusher

from .db_template import MigratedEnv
from .sync_data import station


def _server_rows(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_inserts_updates_and_deletes_arrive_as_they_were_made(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    with station(migrated, tmp_path / "a", "HN01") as a:
        sessions = a.database.write_sessions
        with sessions.begin() as session:
            kept, gone = Reporter(full_name="Nguyễn Văn An"), Reporter(full_name="Trần Thị Bình")
            session.add_all([kept, gone])
        Pusher(a.database, pg_migrated_url).push()  # the inserts first, in their own push
        with sessions.begin() as session:
            row = session.get(Reporter, kept.id)
            assert row is not None
            row.full_name, row.phone = "Nguyễn Văn Ân", "+84912345678"
            session.delete(session.get(Reporter, gone.id))
        with sessions.begin() as session:
            row = session.get(Reporter, kept.id)
            assert row is not None
            row.phone = "+84987654321"  # a second update of the same row, later
        result = Pusher(a.database, pg_migrated_url).push()
        assert (result.pushed, result.parked) == (3, 0)  # two updates, a delete
        rows = _server_rows(pg_migrated_url, "SELECT id, full_name, phone FROM reporter")
        assert rows == [(kept.id, "Nguyễn Văn Ân", "+84987654321")]


@pytest.mark.postgres
def test_an_update_of_a_row_the_server_lacks_is_parked(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    with station(migrated, tmp_path / "a", "HN01") as a:
        sessions = a.database.write_sessions
        with sessions.begin() as session:
            reporter = Reporter(full_name="Lê Văn Cường")
            session.add(reporter)
        with a.database.writer.begin() as conn:  # its insert lost: only the update is left
            conn.execute(text("DELETE FROM outbox WHERE table_name = 'reporter'"))
        with sessions.begin() as session:
            row = session.get(Reporter, reporter.id)
            assert row is not None
            row.full_name = "Lê Văn Cường (sửa)"
        result = Pusher(a.database, pg_migrated_url).push()
        assert result.parked == 1
        with a.database.engine.connect() as conn:
            parked = sync_local.parked_rows(conn)
        assert [(p[1], p[2]) for p in parked] == [("reporter", "update")]
        assert "chưa có trên máy chủ" in parked[0][3]
        assert _server_rows(pg_migrated_url, "SELECT id FROM reporter") == []


def test_the_station_code_comes_from_the_environment_at_creation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAKN_STATION", "DN05")
    env = resolve(data_dir=str(tmp_path / "data"))
    assert env.station == "DN05"
    real = create_real_database(env)  # "start a real workstation" keeps the code
    database = open_database(real)
    try:
        with database.sessions() as session:
            assert local_station(session).code == "DN05"
    finally:
        database.close()
    demo = open_database(demo_environment(env))  # the demo database keeps its own
    try:
        with demo.sessions() as session:
            assert not has_station(session)
    finally:
        demo.close()
    with pytest.raises(StationCodeFixed) as refused:
        open_database(dataclasses.replace(real, station="DN06"))
    assert "thuộc máy trạm DN05" in refused.value.message
