"""The maintained tally (data.tally) equals a full COUNT(*) after every kind of write, on both
engines: demo inserts, intake saves, workflow steps, and random updates and deletes of every
tallied column (what a sync or a migration may do). Every figure read from it — the saved
views, the queue's total, the dashboard, ``stats`` — is compared with the rows counted."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, delete, func, insert, select, update

from pakn_desktop.data import dashboard, forward_watch, tally, tally_read
from pakn_desktop.data.deadline_sql import DEADLINE_STATES, NO_DUE, clock_running
from pakn_desktop.data.engine import writer
from pakn_desktop.data.models import Assignment, Evidence, Outbox, Station, Ticket, Unit
from pakn_desktop.data.queue import count, count_rows
from pakn_desktop.data.queue_types import QueueQuery
from pakn_desktop.domain.enums import OPEN_STATUSES, Status
from pakn_desktop.services.dashboard import BACKLOG_EDGES, preset_range
from pakn_desktop.services.database import Database
from pakn_desktop.services.demo import generate
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.stats import collect
from pakn_desktop.services.workflow.service import WorkflowService
from tests.workflow_data import add_unit, save_report

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))


def _moments(conn: Connection) -> list[datetime]:
    """Moments a count could get wrong: now, whole minutes and hours, and exactly a stored
    due time or at-risk moment (the instant itself is still in time)."""
    found = [NOW, NOW + timedelta(seconds=30), NOW - timedelta(hours=5, minutes=1)]
    for column in (Ticket.due_at, Ticket.at_risk_at, Ticket.received_at):
        found += [m for (m,) in conn.execute(select(column).where(column.is_not(None)).limit(2))]
    return found


def _assert_exact(database: Database) -> None:
    # A write transaction (the search indexer writes in the background), rolled back.
    with writer(database.engine).connect() as conn, conn.begin() as rebuilding:
        stored = sorted(
            conn.execute(select(*tally_columns()).where(tally_columns()[-1] != 0)).all()
        )
        tally.rebuild(conn)
        rebuilt = sorted(
            conn.execute(select(*tally_columns()).where(tally_columns()[-1] != 0)).all()
        )
        rebuilding.rollback()
    assert stored == rebuilt
    with database.engine.connect() as conn:
        _assert_counts(conn)


def tally_columns() -> list[Any]:
    from pakn_desktop.data.models import Tally

    return [Tally.dim, Tally.status, Tally.a, Tally.b, Tally.n]


def _assert_counts(conn: Connection) -> None:
    units = [u for (u,) in conn.execute(select(Ticket.lead_unit_id).distinct().limit(4))]
    stations = [s for (s,) in conn.execute(select(Station.code))]
    queries = [
        QueueQuery(),
        QueueQuery(statuses=("new", "screening")),
        QueueQuery(statuses=("forwarded",)),
        QueueQuery(kinds=("khieu_nai", "to_cao")),
        QueueQuery(kinds=("khieu_nai",), kind="to_cao"),
        QueueQuery(channel="hotline", statuses=OPEN),
        QueueQuery(category="moi_truong"),
        *(QueueQuery(unit=u, statuses=("closed",)) for u in units if u is not None),
        *(QueueQuery(statuses=OPEN, station_code=s) for s in [*stations, "??"]),
    ]
    for now in _moments(conn):
        queries += [
            QueueQuery(statuses=OPEN, deadline=state, now=now)
            for state in (*DEADLINE_STATES, NO_DUE)
        ]
        expected = {
            state: count_rows(conn, QueueQuery(statuses=OPEN, deadline=state, now=now))
            for state in (*DEADLINE_STATES, NO_DUE)
        }
        assert tally_read.open_by_state(conn, now) == expected
        assert dashboard.open_by_state(conn, OPEN, now) == {k: v for k, v in expected.items() if v}
        assert tally_read.backlog_ages(conn, now, BACKLOG_EDGES) == dashboard.backlog_ages(
            conn, OPEN, now, BACKLOG_EDGES
        )
        overdue = conn.scalar(
            select(func.count()).where(
                Ticket.status.in_(OPEN), Ticket.due_at < now, clock_running()
            )
        )
        assert tally_read.overdue(conn, now) == overdue
    for query in queries:
        assert tally_read.query_count(conn, query) is not None, query
        assert count(conn, query) == count_rows(conn, query), query
    assert tally_read.query_count(conn, QueueQuery(text="duong")) is None
    for name in ("today", "7d", "30d"):
        span = preset_range(name, NOW)
        for unit in ("hour", "day"):
            codes = ["hotline", "zalo", "email", "web", "facebook"]
            got = tally_read.intake(conn, span.start, span.end, unit, codes)
            assert got is not None
            assert sorted(got) == sorted(dashboard.intake(conn, span.start, span.end, unit, codes))
        got_units = tally_read.on_time_by_unit(conn, span.start, span.end)
        assert got_units is not None
        assert sorted(got_units) == sorted(dashboard.on_time_by_unit(conn, span.start, span.end))
        edges = (1.0, 2.0, 3.0, 5.0, 30.0)
        assert tally_read.forward_minutes(
            conn, span.start, span.end, edges
        ) == dashboard.forward_minutes(conn, span.start, span.end, edges)
        assert tally_read.forwarded_per_day(conn, span.start, span.end) == sorted(
            forward_watch.forwarded_per_bucket(conn, span.start, span.end, dashboard.day_bucket)
        )
    assert tally_read.grouped(conn, "status") == dict(
        conn.execute(select(Ticket.status, func.count()).group_by(Ticket.status)).all()
    )
    pending = conn.scalar(select(func.count()).where(Outbox.pushed_at.is_(None)))
    assert tally_read.pending(conn, "outbox") == pending
    attached = conn.scalar(select(func.count()).where(Evidence.detached_at.is_(None)))
    assert tally_read.pending(conn, "evidence") == attached


def _random_writes(conn: Connection, rnd: random.Random, rounds: int) -> None:
    """Updates of every tallied column, copies and deletes: what a sync, a migration or a
    bulk fix may do, beyond the services' own writes."""
    ids = [i for (i,) in conn.execute(select(Ticket.id).order_by(Ticket.id))]
    units = [u for (u,) in conn.execute(select(Unit.id).limit(5))] + [None]
    statuses = [s.value for s in Status]
    for _ in range(rounds):
        tid = rnd.choice(ids)
        moment = NOW + timedelta(minutes=rnd.randint(-600, 600), seconds=rnd.choice((0, 30)))
        change = rnd.choice(
            [
                {"status": rnd.choice(statuses)},
                {"due_at": rnd.choice([None, moment, NOW])},
                {"at_risk_at": rnd.choice([None, moment, moment + timedelta(hours=3)])},
                {"paused_at": rnd.choice([None, moment])},
                {"paused_at": Ticket.due_at},  # paused at the due instant itself: still late
                {"closed_at": rnd.choice([None, moment])},
                {"lead_unit_id": rnd.choice(units)},
                {"channel_code": rnd.choice(["hotline", "zalo"]), "kind": "to_cao"},
                {"received_at": moment, "forward_on_time": rnd.choice([None, True, False])},
                {"version": 7},  # no tallied column: nothing may change
            ]
        )
        conn.execute(update(Ticket).where(Ticket.id == tid).values(**change))
    assignments = [a for (a,) in conn.execute(select(Assignment.id))]
    for moved in rnd.sample(assignments, min(5, len(assignments))):  # re-timed, earlier or not
        shift = timedelta(minutes=rnd.choice((-90, -3, 2, 45)), seconds=rnd.randint(0, 59))
        conn.execute(
            update(Assignment).where(Assignment.id == moved).values(assigned_at=NOW - shift)
        )
    for tid in rnd.sample(ids, 4):  # a second forward, sometimes before the first
        unit = rnd.choice([u for u in units if u is not None])
        at = NOW - timedelta(days=rnd.randint(0, 20), minutes=rnd.randint(0, 600))
        conn.execute(
            insert(Assignment).values(
                id=uuid.uuid4(), ticket_id=tid, unit_id=unit, role="coordinating", assigned_at=at
            )
        )
    doomed = rnd.sample(ids, 3)
    conn.execute(delete(Outbox).where(Outbox.row_id.in_([str(d) for d in doomed])))
    for table in ("ticket_event", "assignment", "notification", "evidence", "ticket_search_mark"):
        _delete_refs(conn, table, doomed)
    conn.execute(
        update(Ticket).where(Ticket.duplicate_of_id.in_(doomed)).values(duplicate_of_id=None)
    )
    conn.execute(delete(Ticket).where(Ticket.id.in_(doomed)))
    conn.execute(update(Outbox).where(Outbox.seq % 3 == 0).values(pushed_at=NOW))


def _delete_refs(conn: Connection, table: str, ids: list[uuid.UUID]) -> None:
    from pakn_desktop.data.models import Base

    found = Base.metadata.tables.get(table)
    if found is not None and "ticket_id" in found.c:
        conn.execute(delete(found).where(found.c.ticket_id.in_(ids)))


@pytest.fixture
def db(any_db: tuple[Database, Environment]) -> Database:
    return any_db[0]


def test_the_tally_equals_a_full_count_after_every_kind_of_write(
    db: Database, any_db: tuple[Database, Environment]
) -> None:
    generate(db, 200, seed=3, now=NOW)
    _assert_exact(db)
    store = EvidenceStore(any_db[1].evidence_dir)
    service = WorkflowService(db)
    unit = add_unit(db, "TL")
    saved = [save_report(db, store) for _ in range(3)]
    service.act(saved[0], "forward", "operator", None, {"lead_unit_id": unit})
    service.act(saved[0], "accept", "unit_officer")
    service.act(saved[0], "start", "unit_officer")
    service.act(saved[0], "pause", "unit_officer", None, {"reason": "Chờ người dân gửi ảnh"})
    service.act(saved[1], "screen", "operator")
    _assert_exact(db)
    rnd = random.Random(11)
    for _ in range(2):
        with writer(db.engine).begin() as conn:
            _random_writes(conn, rnd, 60)
        _assert_exact(db)


def test_stats_read_the_tally_and_count_like_before(db: Database) -> None:
    generate(db, 300, seed=5, now=NOW)
    figures = collect(db, now=NOW)
    with db.engine.connect() as conn:
        assert figures["tickets"] == conn.scalar(select(func.count()).select_from(Ticket))
        by_channel = dict(
            conn.execute(
                select(Ticket.channel_code, func.count()).group_by(Ticket.channel_code)
            ).all()
        )
        late = count_rows(conn, QueueQuery(statuses=OPEN, deadline="overdue", now=NOW))
    assert {k: v for k, v in figures["by_channel"].items() if v} == by_channel
    assert figures["overdue"] == late


def test_a_dropped_trigger_is_found_and_the_tally_rebuilt(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pakn_desktop.data import migrate
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.environment import resolve

    database = open_database(resolve(data_dir=str(tmp_path / "d")))
    generate(database, 50, seed=1, now=NOW)
    with database.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER tally_ticket_update")
        conn.execute(update(Ticket).values(status="closed"))
        assert not tally.intact(conn)
    monkeypatch.setattr(tally, "REBUILD_CHUNK", 7)  # several chunks, the last one short
    migrate.upgrade(database.engine)  # every start: the triggers and the counts come back
    with database.engine.connect() as conn:
        assert tally.intact(conn)
        _assert_counts(conn)
    database.close()


def test_a_status_change_writes_only_the_keys_it_moves(db: Database) -> None:
    generate(db, 20, seed=2, now=NOW)
    with db.engine.begin() as conn:
        before = dict(((d, s, a, b), n) for d, s, a, b, n in conn.execute(select(*tally_columns())))
        tid = conn.scalar(select(Ticket.id).where(Ticket.status == "closed").limit(1))
        conn.execute(update(Ticket).where(Ticket.id == tid).values(status="published"))
        after = dict(((d, s, a, b), n) for d, s, a, b, n in conn.execute(select(*tally_columns())))
    moved = {k for k in after if after[k] != before.get(k, 0)}
    assert {k[0] for k in moved} <= {"st", "ck", "cat", "unit", "stn"}
    assert sum(after[k] - before.get(k, 0) for k in moved) == 0
