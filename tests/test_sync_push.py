"""The push (decision 44), against a real PostgreSQL server database: two stations, each its
own SQLite file, push to one server; every report arrives exactly once, a replay adds
nothing, a refused change is parked with its reason while the rest goes."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from pakn_desktop.data import sync_local
from pakn_desktop.services.sync.errors import SyncRefused
from pakn_desktop.services.sync.push import Pusher

from .db_template import MigratedEnv
from .sync_data import (
    outbox_rows,
    restore,
    server_scalar,
    server_ticket_ids,
    snapshot,
    station,
    take_reports,
    ticket_ids,
)

pytestmark = pytest.mark.postgres


def test_two_stations_every_report_arrives_once_and_again_adds_nothing(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02") as b,
    ):
        mine = {"a": take_reports(a, 7), "b": take_reports(b, 5)}
        for services in (a, b):
            result = Pusher(services.database, pg_migrated_url, batch_size=10).push()
            assert result.parked == 0 and result.pushed > 0 and result.batches > 1
            assert outbox_rows(services.database) == 0  # pruned once acknowledged
        arrived = server_ticket_ids(pg_migrated_url)
        assert sorted(arrived) == sorted(mine["a"] + mine["b"])  # each exactly once
        log_rows = server_scalar(pg_migrated_url, "SELECT count(*) FROM change_log")
        stations = server_scalar(pg_migrated_url, "SELECT count(*) FROM station")
        assert stations == 2
        # Pushing twice adds nothing: the outbox is empty, and so is what the server gets.
        for services in (a, b):
            again = Pusher(services.database, pg_migrated_url).push()
            assert (again.pushed, again.replayed, again.parked) == (0, 0, 0)
        assert server_scalar(pg_migrated_url, "SELECT count(*) FROM change_log") == log_rows
        assert len(server_ticket_ids(pg_migrated_url)) == 12
        # The server's counts (its own tally triggers) agree with its rows.
        tallied = "SELECT coalesce(sum(n), 0) FROM tally WHERE dim = 'st'"
        assert server_scalar(pg_migrated_url, tallied) == 12


def test_a_batch_applied_whose_commit_reply_was_lost_is_not_applied_again(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    """The server committed, the station never heard (its outbox not pruned): the same
    changes sent again change nothing."""
    with station(migrated, tmp_path / "a", "HN01") as a:
        take_reports(a, 4)
        kept = tmp_path / "before-push.sqlite3"
        snapshot(a.database, kept)  # the outbox as it was before the server's COMMIT
        first = Pusher(a.database, pg_migrated_url).push()
        assert first.pushed > 0
        log_rows = server_scalar(pg_migrated_url, "SELECT count(*) FROM change_log")
        restore(a.database, kept)  # as if the prune never happened
        assert outbox_rows(a.database) == first.pushed
        replay = Pusher(a.database, pg_migrated_url).push()
        assert (replay.pushed, replay.replayed) == (0, first.pushed)
        assert outbox_rows(a.database) == 0
        assert server_scalar(pg_migrated_url, "SELECT count(*) FROM change_log") == log_rows
        assert len(server_ticket_ids(pg_migrated_url)) == 4


def _poison(services_db: object, kind: str) -> int:
    """An outbox row the server must refuse; its seq."""
    from pakn_desktop.data.outbox import outbox_row

    database = services_db
    if kind == "integrity":  # an event of a report nobody has, without its time
        payload = {"id": str(uuid.uuid4()), "ticket_id": str(uuid.uuid4()), "seq": 1}
        row = outbox_row("ticket_event", payload["id"], "insert", payload)
    else:  # a payload naming a column the table does not have
        row = outbox_row("category", "xa_hoi", "update", {"no_such_column": 1})
    from pakn_desktop.data.models import Base

    with database.writer.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(Base.metadata.tables["outbox"].insert(), [row])
        return int(conn.execute(text("SELECT max(seq) FROM outbox")).scalar_one())


def test_refused_changes_are_parked_with_their_reason_and_the_rest_arrives(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    with station(migrated, tmp_path / "a", "HN01") as a:
        before = take_reports(a, 3)
        bad_fk = _poison(a.database, "integrity")
        bad_column = _poison(a.database, "column")
        after = take_reports(a, 3)
        result = Pusher(a.database, pg_migrated_url, batch_size=1000).push()
        assert result.parked == 2
        assert sorted(server_ticket_ids(pg_migrated_url)) == sorted(before + after)
        with a.database.engine.connect() as conn:
            parked = sync_local.parked_rows(conn)
            assert sync_local.pending_count(conn) == 0
            assert sync_local.parked_count(conn) == 2
        assert [p[0] for p in parked] == [bad_fk, bad_column]
        assert "Máy chủ từ chối (235" in parked[0][3] and "ticket_event" in parked[0][3]
        assert "no_such_column" in parked[1][3]
        assert outbox_rows(a.database) == 2  # only the parked ones are left
        # Parked changes are not sent again by the next push.
        again = Pusher(a.database, pg_migrated_url).push()
        assert (again.pushed, again.parked) == (0, 0)


def test_a_second_station_with_the_same_code_is_refused_and_sends_nothing(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN01") as b,
    ):
        take_reports(a, 2)
        take_reports(b, 2)
        Pusher(a.database, pg_migrated_url).push()
        log_rows = server_scalar(pg_migrated_url, "SELECT count(*) FROM change_log")
        pending = outbox_rows(b.database)
        with pytest.raises(SyncRefused) as refused:
            Pusher(b.database, pg_migrated_url).push()
        assert refused.value.code == "sync_station_code_taken"
        assert "HN01" in refused.value.message and "máy trạm khác" in refused.value.message
        assert server_scalar(pg_migrated_url, "SELECT count(*) FROM change_log") == log_rows
        assert len(server_ticket_ids(pg_migrated_url)) == 2
        assert outbox_rows(b.database) == pending  # nothing pruned, nothing lost


def test_an_unreachable_server_is_a_vietnamese_refusal_and_the_outbox_stays(
    migrated: MigratedEnv, tmp_path: Path
) -> None:
    with station(migrated, tmp_path / "a", "HN01") as a:
        take_reports(a, 1)
        pending = outbox_rows(a.database)
        url = "postgresql://nguoidung:matkhau-bi-mat@127.0.0.1:9/pakn"  # nothing listens
        with pytest.raises(SyncRefused) as refused:
            Pusher(a.database, url).push()
        assert refused.value.code == "sync_unreachable"
        assert "Không đồng bộ được" in refused.value.message
        assert "matkhau-bi-mat" not in refused.value.message
        assert outbox_rows(a.database) == pending


def test_a_server_without_the_schema_is_refused(
    migrated: MigratedEnv, tmp_path: Path, pg_url: str
) -> None:
    with station(migrated, tmp_path / "a", "HN01") as a:
        take_reports(a, 1)
        with pytest.raises(SyncRefused) as refused:
            Pusher(a.database, pg_url).push()
        assert refused.value.code == "sync_server_schema"
        assert "db upgrade" in refused.value.message


def test_a_kept_connection_reads_the_schema_again_after_a_while(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server's schema is read once per connection and ``SCHEMA_RECHECK_S`` (it was two
    round trips of every woken pull): a server upgraded meanwhile is refused at the next
    reading, the outbox kept."""
    from sqlalchemy import create_engine

    from pakn_desktop.data import migrate
    from pakn_desktop.services.sync import push as push_module

    admin = create_engine(pg_migrated_url)

    def server_revision(value: str) -> None:
        with admin.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": value})

    with station(migrated, tmp_path / "a", "HN01") as a:
        pusher = Pusher(a.database, pg_migrated_url, keep_connection=True)
        try:
            take_reports(a, 1)
            assert pusher.push().pushed > 0
            server_revision("9999_upgraded_elsewhere")
            take_reports(a, 1)
            assert pusher.push().pushed > 0  # read a moment ago on this connection
            monkeypatch.setattr(push_module, "SCHEMA_RECHECK_S", 0.0)
            take_reports(a, 1)
            pending = outbox_rows(a.database)
            with pytest.raises(SyncRefused) as refused:
                pusher.push()
            assert refused.value.code == "sync_server_schema"
            assert outbox_rows(a.database) == pending
        finally:
            server_revision(migrate.head_revision())
            pusher.close()
            admin.dispose()


def test_a_large_first_push_goes_through_copy_once_and_a_replay_adds_nothing(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    """COPY into a staging table and one INSERT … SELECT per table (the threshold lowered
    from 5,000 so the test stays small): every row arrives, a replay adds nothing, and the
    pending count read from the tally equals the outbox rows left."""
    from pakn_desktop.services.demo import generate

    with station(migrated, tmp_path / "a", "HN01") as a:
        generate(a.database, tickets=300, seed=3)
        take_reports(a, 2)  # ORM changes after the bulk inserts: they go in batches
        local_tickets = ticket_ids(a.database)
        kept = tmp_path / "before-push.sqlite3"
        snapshot(a.database, kept)
        pending = outbox_rows(a.database)
        assert pending > 1_000
        first = Pusher(a.database, pg_migrated_url, copy_threshold=1_000).push()
        assert first.copied > 1_000 and first.parked == 0
        assert first.pushed == pending
        assert set(server_ticket_ids(pg_migrated_url)) == local_tickets
        for table in ("ticket", "reporter", "ticket_event", "unit"):
            here = _local_count(a.database, table)
            assert server_scalar(pg_migrated_url, f"SELECT count(*) FROM {table}") >= here
        with a.database.engine.connect() as conn:
            assert sync_local.pending_count(conn) == outbox_rows(a.database) == 0
        log_rows = server_scalar(pg_migrated_url, "SELECT count(*) FROM change_log")
        assert log_rows == pending
        restore(a.database, kept)  # the server committed, this station never heard
        replay = Pusher(a.database, pg_migrated_url, copy_threshold=1_000).push()
        assert (replay.pushed, replay.replayed) == (0, pending)
        assert server_scalar(pg_migrated_url, "SELECT count(*) FROM change_log") == log_rows
        assert len(server_ticket_ids(pg_migrated_url)) == len(local_tickets)


def test_the_pending_tally_equals_the_outbox_after_pruning_and_parking(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    with station(migrated, tmp_path / "a", "HN01") as a:
        take_reports(a, 3)
        _poison(a.database, "column")
        take_reports(a, 2)
        Pusher(a.database, pg_migrated_url, batch_size=7).push()
        take_reports(a, 1)  # saved after the push: pending
        with a.database.engine.connect() as conn:
            waiting = _local_count(a.database, "outbox") - sync_local.parked_count(conn)
            assert sync_local.pending_count(conn) == waiting > 0
            counted = conn.execute(
                text("SELECT count(*) FROM outbox WHERE pushed_at IS NULL AND parked_at IS NULL")
            ).scalar_one()
            assert sync_local.pending_count(conn) == counted


def _local_count(database: object, table: str) -> int:
    with database.engine.connect() as conn:  # type: ignore[attr-defined]
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_pushes_at_the_same_time_apply_each_change_once(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    """Two stations, and this station twice (a second process started by a scheduler while
    the first still runs): the per-station lock keeps every change applied once."""
    from concurrent.futures import ThreadPoolExecutor

    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02") as b,
    ):
        mine = take_reports(a, 6) + take_reports(b, 6)
        changes = outbox_rows(a.database) + outbox_rows(b.database)
        pushers = [Pusher(db, pg_migrated_url, batch_size=5) for db in (a.database,) * 2]
        pushers.append(Pusher(b.database, pg_migrated_url, batch_size=5))
        with ThreadPoolExecutor(max_workers=3) as pool:
            results = list(pool.map(lambda p: p.push(), pushers))
        assert sum(r.pushed for r in results) == changes
        assert sum(r.parked for r in results) == 0
        assert sorted(server_ticket_ids(pg_migrated_url)) == sorted(mine)
        assert server_scalar(pg_migrated_url, "SELECT count(*) FROM change_log") == changes
        assert outbox_rows(a.database) == outbox_rows(b.database) == 0
        with a.database.engine.connect() as conn:
            assert sync_local.pending_count(conn) == 0
