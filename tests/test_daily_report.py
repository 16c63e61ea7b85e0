"""The daily report's figures: counted by hand on a small fixture, and equal to the dashboard's
(and to counts made here from the rows) on a demo database, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update

from pakn_desktop.data.alerts_store import append_event
from pakn_desktop.data.models import Ticket
from pakn_desktop.domain.daily_figures import daily_period
from pakn_desktop.domain.enums import OPEN_STATUSES
from pakn_desktop.domain.labels import status_word
from pakn_desktop.services.dashboard import DashboardService, TimeRange
from pakn_desktop.services.database import Database
from pakn_desktop.services.demo import generate
from pakn_desktop.services.reports.daily import daily_figures
from tests.alerts_data import station, ticket, unit

DAY = date(2026, 12, 7)  # the report of 7/12, cut-off 07:00: 6/12 00:00 → 7/12 00:00 UTC
NOW = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def hand_fixture(db: Database) -> dict[str, uuid.UUID]:
    """Seven reports whose every figure can be counted by hand (times UTC)."""
    sid = station(db)
    u1, u2 = unit(db, "U1", "Phường A"), unit(db, "U2", "Phường B")
    ids = {
        # in the period: two of U1 closed (one on time, one late), two of U2 open
        "T1": ticket(db, sid, "T1", at(6, 1), at(6, 10), status="closed", units=(u1,),
                     closed=at(6, 9)),
        "T2": ticket(db, sid, "T2", at(6, 2), at(6, 5), status="closed", channel="zalo",
                     units=(u1,), closed=at(6, 6)),
        "T3": ticket(db, sid, "T3", at(6, 3), at(6, 20), status="in_progress", units=(u2,)),
        "T4": ticket(db, sid, "T4", at(6, 4), at(8, 0), units=(u2,)),
        # just before the period (the previous day's) and at its end (the next day's)
        "T5": ticket(db, sid, "T5", at(5, 23, 59), at(9, 0), units=(u1,)),
        "T6": ticket(db, sid, "T6", at(7, 0), at(9, 0), units=(u1,)),
        # the same day last week, overdue since
        "T7": ticket(db, sid, "T7", at(29, 5, month=11), at(30, 0, month=11), units=(u1,)),
    }  # fmt: skip
    with db.engine.begin() as conn:
        for code, on_time in (("T1", True), ("T2", False), ("T3", True)):
            conn.execute(update(Ticket).where(Ticket.id == ids[code]).values(
                forward_on_time=on_time))  # fmt: skip
        append_event(conn, ids["T3"], "explain_delay", {"reason": "Chờ ý kiến Sở"}, sid, at(6, 21))
        for level in ("1", "2"):
            append_event(conn, ids["T3"], "escalated", {"level": level}, sid, at(6, 22))
    return ids


def test_hand_counted_figures(database: Database) -> None:
    hand_fixture(database)
    f = daily_figures(database, daily_period(DAY), now=NOW)
    assert (f.period.start, f.period.end) == (at(6, 0), at(7, 0))
    h = f.headline
    assert (h.received, h.forwarded_on_time, h.forwarded_late) == (4, 2, 1)
    assert (h.closed, h.closed_on_time, h.on_time_rate) == (2, 1, 0.5)
    assert f.previous_day.received == 1  # T5
    assert f.last_week.received == 1  # T7
    channels = dict(f.by_channel)
    assert (channels["Đường dây nóng"], channels["Zalo"]) == (3, 1)
    assert sum(channels.values()) == 4
    assert sum(n for _, n in f.by_category) == sum(n for _, n in f.by_kind) == 4
    units = {u.name: (u.received, u.on_time, u.late, u.in_progress, u.overdue) for u in f.units}
    assert units == {"Phường A": (2, 1, 1, 0, 0), "Phường B": (2, 0, 0, 1, 1)}
    assert [o.code for o in f.overdue] == ["T7", "T3"]  # oldest deadline first
    t3 = f.overdue[1]
    assert (t3.reason, t3.escalations, t3.status) == ("Chờ ý kiến Sở", 2, "Đang xử lý")
    assert [d.code for d in f.details] == ["T1", "T2", "T3", "T4"]


def test_a_cutoff_moves_the_period(database: Database) -> None:
    hand_fixture(database)
    # 6/12 10:00 → 7/12 10:00 local = 6/12 03:00 → 7/12 03:00 UTC: T3, T4 and T6
    f = daily_period(DAY, time(10, 0))
    figures = daily_figures(database, f, now=NOW)
    assert [d.code for d in figures.details] == ["T3", "T4", "T6"]
    two_days = daily_figures(database, daily_period(DAY, days=2), now=NOW)
    assert two_days.headline.received == 5  # T5 too
    assert two_days.previous_day.received == 0  # the two days before: 3/12 → 5/12 07:00
    assert two_days.last_week.received == 1  # T7


def _independent(db: Database, start: datetime, end: datetime, now: datetime) -> dict[str, Any]:
    """The figures counted here, in Python, from the rows."""
    t = Ticket
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(
                t.received_at,
                t.channel_code,
                t.closed_at,
                t.due_at,
                t.forward_on_time,
                t.lead_unit_id,
            )  # fmt: skip
        ).all()
    inside = [r for r in rows if start <= r[0] < end]
    closed = [r for r in inside if r[2] is not None and r[3] is not None and r[5] is not None]
    by_channel: dict[str, int] = {}
    for r in inside:
        by_channel[r[1]] = by_channel.get(r[1], 0) + 1
    return {
        "received": len(inside),
        "by_channel": by_channel,
        "forwarded": (
            sum(1 for r in inside if r[4] is True),
            sum(1 for r in inside if r[4] is False),
        ),
        "closed": (len(closed), sum(1 for r in closed if r[2] <= r[3])),
    }


def test_figures_equal_the_dashboard_and_independent_counts(any_db: tuple[Any, Any]) -> None:
    db, _ = any_db
    from pakn_desktop.data.stations import local_station

    with db.sessions.begin() as s:
        local_station(s, "HN01")
    generate(db, 700, seed=5, now=NOW)
    for period in (daily_period(DAY), daily_period(DAY - timedelta(days=3), days=7)):
        f = daily_figures(db, period, now=NOW)
        shot = DashboardService(db, clock=lambda: NOW, top_units=10**6).snapshot(
            TimeRange(period.start, period.end)
        )
        pairs = zip(shot.intake.channels, shot.intake.counts, strict=True)
        dashboard_channels = {name: sum(row) for (_, name), row in pairs}
        assert {k: v for k, v in f.by_channel if v} == dashboard_channels
        assert f.headline.received == sum(map(sum, shot.intake.counts))
        assert f.headline.forwarded_on_time == sum(shot.forward_days.on_time)
        assert f.headline.forwarded_late == sum(shot.forward_days.late)
        assert f.headline.closed == sum(u.closed for u in shot.units)
        assert f.headline.closed_on_time == sum(u.on_time for u in shot.units)
        dashboard_units = {u.name: (u.on_time, u.closed - u.on_time) for u in shot.units}
        ours = {u.name: (u.on_time, u.late) for u in f.units if u.on_time + u.late}
        assert ours == dashboard_units
        assert len(f.overdue) == shot.by_state["overdue"]
        assert len(f.details) == f.headline.received
        mine = _independent(db, period.start, period.end, NOW)
        assert f.headline.received == mine["received"] > 0
        codes = dict(shot.intake.channels)
        assert {codes[c]: n for c, n in mine["by_channel"].items()} == dashboard_channels
        h = f.headline
        assert (h.forwarded_on_time, h.forwarded_late) == mine["forwarded"]
        assert (h.closed, h.closed_on_time) == mine["closed"]
        open_words = {status_word(s.value) for s in OPEN_STATUSES}
        assert sum(u.in_progress + u.overdue for u in f.units) == sum(
            1 for d in f.details if d.status in open_words and d.unit
        )
