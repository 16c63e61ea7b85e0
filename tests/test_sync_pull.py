"""The pull (decision 46), against a real PostgreSQL server database: reports made on one
station arrive in another's database exactly once, without outbox rows, with exact counts and
searchable; a transaction that commits late is never passed by the cursor."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from pakn_desktop.data import search_schema, sync_apply, sync_local, sync_server, tally
from pakn_desktop.data.engine import writer
from pakn_desktop.data.models import Ticket, TicketEvent, Unit
from pakn_desktop.data.outbox import without_outbox
from pakn_desktop.data.types import utcnow
from pakn_desktop.services.app_services import AppServices
from pakn_desktop.services.changes import Topic
from pakn_desktop.services.database import Database
from pakn_desktop.services.sync.pull import Puller, PullResult
from pakn_desktop.services.sync.push import Pusher

from .db_template import MigratedEnv
from .sync_data import outbox_rows, station, take_reports, ticket_ids

pytestmark = pytest.mark.postgres


def _sync(services: AppServices, url: str) -> tuple[int, PullResult]:
    pusher = Pusher(services.database, url)
    pusher.push()
    result = Puller(pusher, batch_size=7).pull()
    return result.pulled, result


def _tallied(database: Database) -> tuple[int, int]:
    """(reports by the tally, reports counted) on a station's database."""
    with database.engine.connect() as conn:
        tally = conn.execute(text("SELECT coalesce(sum(n), 0) FROM tally WHERE dim = 'st'"))
        count = conn.execute(text("SELECT count(*) FROM ticket"))
        return int(tally.scalar_one()), int(count.scalar_one())


def test_reports_made_on_a_arrive_in_b_once_without_outbox_rows_and_searchable(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02") as b,
    ):
        made_on_a = take_reports(a, 6)
        made_on_b = take_reports(b, 2)
        _sync(a, pg_migrated_url)
        pending_before = outbox_rows(b.database)
        pulled, result = _sync(b, pg_migrated_url)
        assert pulled > len(made_on_a)  # the reports, their reporters, events, the station
        assert result.batches > 1 and result.skipped == result.missing == 0
        assert ticket_ids(b.database) == set(made_on_a) | set(made_on_b)
        assert result.changes.created == frozenset(made_on_a)
        # Nothing pulled goes back: B's own changes were pushed (pruned), none were added.
        assert pending_before > 0 and outbox_rows(b.database) == 0
        with b.database.engine.connect() as conn:
            assert sync_local.pending_count(conn) == 0  # the tally's outbox count too
        assert _tallied(b.database) == (8, 8)
        with b.database.engine.connect() as conn:
            assert tally.intact(conn)
        # Searchable at once (the backlog), and after the indexer's pass (the FTS table).
        assert set(made_on_a) <= {r.id for r in b.search.search("Lê Lợi")}
        with writer(b.database.engine).begin() as conn:
            search_schema.index_pending(conn, None)
        assert set(made_on_a) <= {r.id for r in b.search.search("Lê Lợi")}
        # Again: nothing new, nothing applied twice; A receives B's reports.
        again, result = _sync(b, pg_migrated_url)
        assert again == 0 and not result.changes
        assert _tallied(b.database) == (8, 8)
        _sync(a, pg_migrated_url)
        assert ticket_ids(a.database) == set(made_on_a) | set(made_on_b)
        assert outbox_rows(a.database) == 0


def test_updates_and_units_arrive_as_typed_changes(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02") as b,
    ):
        (report,) = take_reports(a, 1)
        with a.database.write_sessions.begin() as session:
            session.add(Unit(code="TNMT", name="Phòng Tài nguyên", kind="phong"))
        _sync(a, pg_migrated_url)
        _, first = _sync(b, pg_migrated_url)
        assert first.changes.has(Topic.UNITS)
        with a.database.write_sessions.begin() as session:
            unit = session.scalars(select(Unit).where(Unit.code == "TNMT")).one()
            unit.name = "Phòng Tài nguyên (mới)"
            unit_id = unit.id
            ticket = session.get(Ticket, report)
            assert ticket is not None
            ticket.lead_unit_id = unit_id  # a column the tally counts by
        _sync(a, pg_migrated_url)
        _, result = _sync(b, pg_migrated_url)
        assert Topic.UNITS in result.changes.topics
        assert result.changes.updated == {report}
        with b.database.engine.connect() as conn:
            assert conn.scalar(select(Unit.name).where(Unit.id == unit_id)) == (
                "Phòng Tài nguyên (mới)"
            )
            assert conn.scalar(select(Ticket.lead_unit_id).where(Ticket.id == report)) == unit_id
            assert tally.intact(conn)  # every count as a recount finds it


def test_a_session_marked_without_outbox_writes_no_outbox_rows(
    migrated: MigratedEnv, tmp_path: Path
) -> None:
    with station(migrated, tmp_path / "a", "HN01") as a:
        before = outbox_rows(a.database)
        with a.database.write_sessions.begin() as session:
            without_outbox(session)
            session.add(Unit(code="PULLED", name="Đơn vị từ máy chủ", kind="phong"))
        assert outbox_rows(a.database) == before
        with a.database.write_sessions.begin() as session:
            session.add(Unit(code="LOCAL", name="Đơn vị tạo ở đây", kind="phong"))
        assert outbox_rows(a.database) == before + 1


def test_a_transaction_committed_late_is_never_passed(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    """Writer A's transaction takes its id first and commits last; writer B commits in
    between. A pull meanwhile must not move past A: it gets nothing (B is above the oldest
    running transaction), and once A commits the next pull gets both. (A writes a unit: two
    pushes of reports wait for each other on the server's tally rows, so B could not commit
    its reports before A.)"""
    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02") as b,
        station(migrated, tmp_path / "c", "HN03") as c,
    ):
        with a.database.write_sessions.begin() as session:
            session.add(Unit(code="TNMT", name="Phòng Tài nguyên", kind="phong"))
        reports_b = take_reports(b, 2)
        pusher_a = Pusher(a.database, pg_migrated_url)
        pusher_c = Pusher(c.database, pg_migrated_url)
        pusher_c.push()  # C is known to the server
        with a.database.engine.connect() as conn:
            changes_a = sync_local.read_batch(conn, 0, sync_local.last_seq(conn), 10_000)
        station_a = pusher_a.station_id()
        server = create_engine(pg_migrated_url)
        try:
            with server.begin() as conn:
                sync_server.register_station(conn, station_a, "HN01", "A", utcnow())
            held = server.connect()
            late = held.begin()  # writer A: logged and applied, not committed
            sync_server.log_changes(held, station_a, changes_a)
            sync_server.apply(held, changes_a)
            Pusher(b.database, pg_migrated_url).push()  # writer B: a later id, committed
            first = Puller(pusher_c).pull()
            assert first.pulled == 0  # B is above A, which is still running
            with c.database.engine.connect() as conn:
                assert sync_apply.read_cursor(conn) == (0, 0)
            late.commit()
            held.close()
        finally:
            server.dispose()
        second = Puller(pusher_c).pull()
        assert second.changes.created == frozenset(reports_b)
        assert second.changes.has(Topic.UNITS)  # A's, committed last, not skipped
        assert ticket_ids(c.database) == set(reports_b)
        with c.database.engine.connect() as conn:
            assert conn.scalar(select(Unit.name).where(Unit.code == "TNMT")) == "Phòng Tài nguyên"
        assert Puller(pusher_c).pull().pulled == 0


def test_a_field_changed_on_both_stations_keeps_the_later_commit_everywhere(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    """A and B change the same report's summary; A's push commits first, B's later: the
    server holds B's. B's pull does not put A's older value back (a conflict, counted); A's
    pull takes B's. Other columns of A's change still arrive."""
    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02") as b,
    ):
        (report,) = take_reports(a, 1)
        _sync(a, pg_migrated_url)
        _sync(b, pg_migrated_url)
        for services, summary in ((a, "Tóm tắt của A"), (b, "Tóm tắt của B")):
            with services.database.write_sessions.begin() as session:
                ticket = session.get(Ticket, report)
                assert ticket is not None
                ticket.summary = summary
                if services is a:
                    ticket.address = "14 Lê Lợi"  # only A changes the address
        Pusher(a.database, pg_migrated_url).push()
        _, on_b = _sync(b, pg_migrated_url)
        assert on_b.conflicts == 1
        # The value that lost is on the report's timeline, B's own event (pushed next).
        with b.database.engine.connect() as conn:
            kinds = conn.execute(
                select(TicketEvent.kind, TicketEvent.data)
                .where(TicketEvent.ticket_id == report)
                .order_by(TicketEvent.seq)
            ).all()
            assert sync_local.pending_count(conn) == 1
        assert kinds[-1][0] == "sync_conflict"
        assert kinds[-1][1]["lost"] == {"summary": "Tóm tắt của A"}
        assert report in on_b.changes.updated
        Pusher(b.database, pg_migrated_url).push()
        _, on_a = _sync(a, pg_migrated_url)
        assert on_a.conflicts == 0
        with a.database.engine.connect() as conn:
            last = conn.scalar(
                select(TicketEvent.kind)
                .where(TicketEvent.ticket_id == report)
                .order_by(TicketEvent.seq.desc())
                .limit(1)
            )
        assert last == "sync_conflict"  # every station sees it
        for services in (a, b):
            with services.database.engine.connect() as conn:
                row = conn.execute(
                    select(Ticket.summary, Ticket.address).where(Ticket.id == report)
                ).one()
            assert tuple(row) == ("Tóm tắt của B", "14 Lê Lợi")
        server = create_engine(pg_migrated_url)
        try:
            with server.connect() as conn:
                summary = conn.scalar(text("SELECT summary FROM ticket"))
        finally:
            server.dispose()
        assert summary == "Tóm tắt của B"


def test_a_change_this_database_refuses_is_left_out_and_the_rest_arrives(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    """A and B each append an event to one report, numbered alike: the server takes A's and
    parks B's; B's pull cannot insert A's (same number here), leaves it out, counts it, and
    still applies the rest, and its cursor moves on."""
    from pakn_desktop.data.timeline import append

    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02") as b,
    ):
        (report,) = take_reports(a, 1)
        _sync(a, pg_migrated_url)
        _sync(b, pg_migrated_url)
        for services in (a, b):
            with services.database.writer.begin() as conn:
                append(
                    conn,
                    report,
                    [("noted", {"text": "ghi chú"})],
                    at=utcnow(),
                    actor_id=None,
                    station_id=None,
                )
        with a.database.write_sessions.begin() as session:
            session.add(Unit(code="TNMT", name="Phòng Tài nguyên", kind="phong"))
        Pusher(a.database, pg_migrated_url).push()
        assert Pusher(b.database, pg_migrated_url).push().parked == 1
        result = Puller(Pusher(b.database, pg_migrated_url)).pull()
        assert result.refused == 1 and result.pulled >= 1
        with b.database.engine.connect() as conn:
            assert conn.scalar(select(Unit.name).where(Unit.code == "TNMT")) == "Phòng Tài nguyên"
        assert Puller(Pusher(b.database, pg_migrated_url)).pull().pulled == 0


def test_a_local_change_not_pushed_yet_is_not_overwritten_by_the_pull(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    """B changed the summary and has not pushed when it pulls A's earlier change of it: B's
    value stays (pushed next, it is the later change on the server), a conflict, and after
    B's push both stations and the server agree on it."""
    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02") as b,
    ):
        (report,) = take_reports(a, 1)
        _sync(a, pg_migrated_url)
        _sync(b, pg_migrated_url)
        for services, summary in ((a, "Tóm tắt của A"), (b, "Tóm tắt của B")):
            with services.database.write_sessions.begin() as session:
                ticket = session.get(Ticket, report)
                assert ticket is not None
                ticket.summary = summary
        Pusher(a.database, pg_migrated_url).push()
        pulled = Puller(Pusher(b.database, pg_migrated_url)).pull()  # before B's push
        assert pulled.conflicts == 1
        _sync(b, pg_migrated_url)
        _sync(a, pg_migrated_url)
        for services in (a, b):
            with services.database.engine.connect() as conn:
                kept = conn.scalar(select(Ticket.summary).where(Ticket.id == report))
            assert kept == "Tóm tắt của B"


def test_keys_are_checked_row_by_row_unless_a_child_comes_before_its_parent(
    migrated: MigratedEnv,
    tmp_path: Path,
    pg_migrated_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In the server's order (parents first) a batch is applied with its foreign keys checked
    row by row: no ``defer_foreign_keys``, which would expire every prepared statement of B's
    connection. A batch with a child before its parent (as the server could hand out) is
    applied whole all the same, its keys checked at its commit: nothing refused."""
    from sqlalchemy import event

    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02") as b,
    ):
        with a.database.write_sessions.begin() as session:
            parent = Unit(code="SXD", name="Sở Xây dựng", kind="so")
            session.add(parent)
            session.flush()
            session.add(Unit(code="PQLDT", name="Phòng Quản lý đô thị", kind="phong"))
            session.flush()
            child = session.scalars(select(Unit).where(Unit.code == "PQLDT")).one()
            child.parent_id = parent.id
        _sync(a, pg_migrated_url)
        Pusher(b.database, pg_migrated_url).push()
        pragmas: list[str] = []

        def seen(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
            if "defer_foreign_keys" in statement:
                pragmas.append(statement)

        event.listen(b.database.writer, "before_cursor_execute", seen)
        take_reports(a, 1)
        _sync(a, pg_migrated_url)
        assert Puller(Pusher(b.database, pg_migrated_url)).pull().pulled > 0
        assert pragmas == []  # the server's order: keys checked as rows come

        with a.database.write_sessions.begin() as session:
            parent = Unit(code="CA", name="Công an tỉnh", kind="so")
            session.add(parent)
            session.flush()
            session.add(Unit(code="PC07", name="Phòng PC07", kind="phong", parent_id=parent.id))
        _sync(a, pg_migrated_url)
        real = sync_server.pull

        def children_first(*args: object) -> list[sync_apply.Pulled]:
            rows = real(*args)  # type: ignore[arg-type]
            units = [r for r in rows if r.table_name == "unit"]
            return [r for r in rows if r.table_name != "unit"] + units[::-1]

        monkeypatch.setattr(sync_server, "pull", children_first)
        result = Puller(Pusher(b.database, pg_migrated_url)).pull()
        assert result.refused == 0 and result.pulled >= 2
        assert pragmas  # the second try: keys checked at the commit
        with b.database.engine.connect() as conn:
            rows = dict(conn.execute(select(Unit.code, Unit.parent_id)).all())
            ids = dict(conn.execute(select(Unit.code, Unit.id)).all())
        assert rows["PC07"] == ids["CA"] and rows["PQLDT"] == ids["SXD"]
