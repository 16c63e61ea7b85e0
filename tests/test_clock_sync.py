"""Deadlines on the server's clock for a SQLite station (decision 47), against a real
PostgreSQL sync server: a station whose clock is off by ±24 h syncs once, then saves and
forwards a report: its times and deadlines are a correct clock's, on the station and on the
server after the push; the offset survives a restart with the server away; the skew is
flagged. The station's clock is injected (``station_clock``), never the process's time."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text

from pakn_desktop.data.models import Ticket
from pakn_desktop.services.app_services import AppServices
from pakn_desktop.services.clock import SKEW_LIMIT, DeadlineClock
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.sync.errors import SyncRefused

from .db_template import MigratedEnv
from .intake_data import form
from .sync_data import station
from .workflow_data import add_unit

pytestmark = pytest.mark.postgres

DAY = timedelta(hours=24)
# The round trip to a server on this machine, and the time between two saves: far below the
# 24 h the station is off, and below SKEW_LIMIT.
CLOSE = timedelta(seconds=5)
TIMES = ("received_at", "forward_due_at", "due_at", "at_risk_at", "forward_at_risk_at")
UNREACHABLE = "postgresql+psycopg://pakn@127.0.0.1:1/pakn"  # nothing listens on port 1


def off_by(skew: timedelta) -> Callable[[], datetime]:
    """A station clock ``skew`` ahead of the real one (behind when negative)."""
    return lambda: datetime.now(UTC) + skew


def times(database: Database, ticket: object) -> dict[str, Any]:
    columns = [getattr(Ticket, name) for name in TIMES]
    with database.engine.connect() as conn:
        row = conn.execute(select(*columns).where(Ticket.id == ticket)).one()
    return dict(zip(TIMES, row, strict=True))


def server_times(url: str, ticket: object) -> dict[str, Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            sql = text(f"SELECT {', '.join(TIMES)} FROM ticket WHERE id = :id")
            row = conn.execute(sql, {"id": ticket}).one()
    finally:
        engine.dispose()
    # The server's columns hold UTC without a zone (data.types.UtcDateTime reads them so).
    return {name: v and v.replace(tzinfo=UTC) for name, v in zip(TIMES, row, strict=True)}


def close_to(a: datetime | None, b: datetime | None) -> bool:
    assert a is not None and b is not None
    return abs(a - b) < CLOSE


@pytest.mark.parametrize("skew", [DAY, -DAY], ids=["fast_24h", "slow_24h"])
def test_a_station_off_by_a_day_saves_the_deadlines_a_correct_clock_gives(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str, skew: timedelta
) -> None:
    with (
        station(migrated, tmp_path / "off", "HN01", clock=off_by(skew)) as off,
        station(migrated, tmp_path / "right", "HN02") as right,
    ):
        counts = off.sync.once(pg_migrated_url)  # the round reads the server's clock
        assert counts.clock_offset_s is not None
        assert abs(counts.clock_offset_s + skew.total_seconds()) < CLOSE.total_seconds()
        unit = add_unit(off.database, "U1")
        before = datetime.now(UTC)
        saved = off.intake.save(form())
        after = datetime.now(UTC)
        # The same report saved at the same moment by a station whose clock is right.
        reference = right.intake.save(form())
        mine, correct = times(off.database, saved.id), times(right.database, reference.id)
        assert before - CLOSE <= mine["received_at"] <= after + CLOSE
        for name in TIMES:
            assert close_to(mine[name], correct[name]), name
        # A transition's time is the server's too: the forward is stamped now, on time.
        forwarded = off.workflow.act(saved.id, "forward", "operator", None, {"lead_unit_id": unit})
        after = datetime.now(UTC)
        with off.database.engine.connect() as conn:
            stamped = conn.execute(
                select(Ticket.forwarded_at, Ticket.forward_on_time).where(Ticket.id == saved.id)
            ).one()
        assert before - CLOSE <= stamped.forwarded_at <= after + CLOSE
        assert stamped.forward_on_time is True
        assert forwarded.due_at == mine["due_at"]
        mine = times(off.database, saved.id)
        # After the push the server holds those same deadlines.
        off.sync.once(pg_migrated_url)
        assert server_times(pg_migrated_url, saved.id) == mine


def test_the_offset_survives_a_restart_while_the_server_is_away(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    clock = off_by(DAY)
    env = dataclasses.replace(migrated(tmp_path / "off"), station="HN01")
    database = open_database(env)
    try:
        AppServices(lambda: database, env, environ={}, station_clock=clock).sync.once(
            pg_migrated_url
        )
    finally:
        database.close()
    # The next start: the server cannot be reached, the station's clock is still a day fast.
    database = open_database(env)
    try:
        services = AppServices(lambda: database, env, environ={}, station_clock=clock)
        with pytest.raises(SyncRefused) as refused:
            services.sync.once(UNREACHABLE)
        assert refused.value.code == "sync_unreachable"
        assert close_to(services.clock.now(), datetime.now(UTC))
        reading = services.clock.measure()  # what the status bar's watch asks every 5 min
        assert reading.checked and reading.skewed
        before = datetime.now(UTC)
        saved = services.intake.save(form())
        assert close_to(times(database, saved.id)["received_at"], before)
    finally:
        database.close()


def test_a_station_never_synced_counts_on_its_own_clock_unchecked_and_unflagged(
    migrated: MigratedEnv, tmp_path: Path
) -> None:
    with station(migrated, tmp_path / "new", "HN01", clock=off_by(DAY)) as new:
        reading = new.clock.measure()
        assert not reading.checked and not reading.skewed
        assert reading.offset == timedelta(0)
        assert close_to(new.clock.now(), datetime.now(UTC) + DAY)
        # Intake and workflow take that one clock, not the process's own (here the right
        # one): what the station's clock says is what they stamp, until a server corrects it.
        unit = add_unit(new.database, "U1")
        saved = new.intake.save(form())
        new.workflow.act(saved.id, "forward", "operator", None, {"lead_unit_id": unit})
        with new.database.engine.connect() as conn:
            row = conn.execute(
                select(Ticket.received_at, Ticket.forwarded_at).where(Ticket.id == saved.id)
            ).one()
        assert close_to(row.received_at, datetime.now(UTC) + DAY)
        assert close_to(row.forwarded_at, datetime.now(UTC) + DAY)


@pytest.mark.parametrize(("skew", "words"), [(DAY, "nhanh 24,0 giờ"), (-DAY, "chậm 24,0 giờ")])
def test_the_skew_is_flagged_by_the_sync(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str, skew: timedelta, words: str
) -> None:
    with station(migrated, tmp_path / "off", "HN01", clock=off_by(skew)) as off:
        counts = off.sync.once(pg_migrated_url)
        assert off.clock.measure().skewed
        first, warning = counts.summary().split("\n")
        assert first == counts.summary().split("\n")[0]  # the counts' line, as before
        assert first.startswith("pushed: ") and first.endswith("parked: 0, conflicts: 0")
        assert f"Cảnh báo: đồng hồ máy trạm {words} so với máy chủ" in warning
        assert set(counts.as_json()) >= {"pushed", "pulled", "pending", "parked", "conflicts"}
    # Within the limit: counted, not flagged.
    with station(migrated, tmp_path / "ok", "HN02", clock=off_by(SKEW_LIMIT / 2)) as ok:
        counts = ok.sync.once(pg_migrated_url)
        assert "\n" not in counts.summary()
        assert not ok.clock.measure().skewed


def test_a_pusher_without_the_stations_clock_still_keeps_the_offset(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    """``sync`` from the command line has no window: what it measured is what the next
    start of the window counts with."""
    from pakn_desktop.services.sync.push import Pusher

    with station(migrated, tmp_path / "a", "HN01") as a:
        result = Pusher(a.database, pg_migrated_url).push()
        assert result.clock is not None and result.clock.checked
        kept = DeadlineClock(a.database).last
        assert kept is not None and kept.offset == result.clock.offset


def test_a_call_timed_on_a_fast_station_is_saved_on_the_servers_time(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    """The intake screen's call timer reads ``AppServices.now``: the deadline clock's time
    once built (the station's own before). On the station's own clock a day fast, the call
    would be refused as in the future by the save, which counts on the server's time."""
    from pakn_desktop.services.intake.form import IntakeInvalid

    with station(migrated, tmp_path / "off", "HN01", clock=off_by(DAY)) as off:
        assert close_to(off.now(), datetime.now(UTC) + DAY)  # not built yet: its own clock
        off.sync.once(pg_migrated_url)
        assert close_to(off.now(), datetime.now(UTC))
        started = off.now() - timedelta(minutes=3)
        saved = off.intake.save(form(call_started_at=started, call_ended_at=off.now()))
        assert close_to(times(off.database, saved.id)["received_at"], datetime.now(UTC))
        own = off_by(DAY)()
        with pytest.raises(IntakeInvalid):
            off.intake.save(form(call_started_at=own - timedelta(minutes=3), call_ended_at=own))
