"""The dashboard's aggregates: GROUP BY queries over ``ticket`` walking its indexes.

Each query returns plain tuples; ``services.dashboard`` shapes them. Times are UTC; local
buckets shift by Vietnam's fixed +7 h (Asia/Ho_Chi_Minh has had no daylight saving since 1975).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import String

from .deadline_sql import (
    AT_RISK,
    NO_DUE,
    ON_TRACK,
    OVERDUE,
    PAUSED,
    deadline_condition,
    forward_minutes_of,
    unindexed,
)
from .models import Assignment, Channel, Ticket, Unit

_T = Ticket
LOCAL_OFFSET = timedelta(hours=7)


class hour_bucket(FunctionElement[str]):  # noqa: N801 (a SQL function's name)
    """Text key of a column's UTC hour: 'YYYY-MM-DD HH'.

    One class per unit, not a parameter: SQLAlchemy caches compiled SQL by class and
    arguments, and an attribute outside the cache key would reuse the other unit's SQL.
    """

    type = String()
    inherit_cache = True


class day_bucket(FunctionElement[str]):  # noqa: N801
    """Text key of a column's local (+7 h) day: 'YYYY-MM-DD'."""

    type = String()
    inherit_cache = True


@compiles(hour_bucket)
def _hour_pg(element: hour_bucket, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD HH24')"


@compiles(hour_bucket, "sqlite")
def _hour_sqlite(element: hour_bucket, compiler: Any, **kw: Any) -> str:
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 13)"


@compiles(day_bucket)
def _day_pg(element: day_bucket, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)} + interval '7 hours', 'YYYY-MM-DD')"


@compiles(day_bucket, "sqlite")
def _day_sqlite(element: day_bucket, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, '+7 hours')"


def channels(conn: Connection) -> list[tuple[str, str]]:
    """(code, name) in the channel list's order."""
    rows = conn.execute(select(Channel.code, Channel.name).order_by(Channel.sort_order))
    return [(r[0], r[1]) for r in rows]


def intake(
    conn: Connection, start: datetime, end: datetime, unit: str, channel_codes: Sequence[str]
) -> list[tuple[str, str, int]]:
    """(channel, bucket key, reports) received in [start, end).

    ``channel_code IN (every channel)`` makes SQLite range-scan the covering
    (channel_code, received_at, id) index once per channel instead of reading table rows.
    """
    key = hour_bucket(_T.received_at) if unit == "hour" else day_bucket(_T.received_at)
    stmt = (
        select(_T.channel_code, key, func.count())
        .where(
            _T.channel_code.in_(list(channel_codes)),
            _T.received_at >= start,
            _T.received_at < end,
        )
        .group_by(_T.channel_code, key)
    )
    return [(r[0], r[1], int(r[2])) for r in conn.execute(stmt)]


def open_by_state(conn: Connection, open_statuses: Sequence[str], now: datetime) -> dict[str, int]:
    """Open reports per deadline state at ``now`` (one pass over the status index)."""
    state = case(
        (deadline_condition(NO_DUE, now), literal(NO_DUE)),
        (deadline_condition(OVERDUE, now), literal(OVERDUE)),
        (deadline_condition(PAUSED, now), literal(PAUSED)),
        (deadline_condition(AT_RISK, now), literal(AT_RISK)),
        else_=literal(ON_TRACK),
    )
    stmt = select(state, func.count()).where(_T.status.in_(list(open_statuses))).group_by(state)
    return {str(r[0]): int(r[1]) for r in conn.execute(stmt)}


def on_time_by_unit(
    conn: Connection, start: datetime, end: datetime
) -> list[tuple[uuid.UUID, str, int, int]]:
    """(unit, name, closed, closed on time) for reports received in [start, end) and closed."""
    on_time = func.sum(case((unindexed(_T.closed_at) <= _T.due_at, 1), else_=0))
    inner = (
        select(_T.lead_unit_id.label("unit"), func.count().label("n"), on_time.label("ok"))
        .where(
            _T.received_at >= start,
            _T.received_at < end,
            unindexed(_T.closed_at).is_not(None),
            unindexed(_T.lead_unit_id).is_not(None),
            _T.due_at.is_not(None),
        )
        .group_by(_T.lead_unit_id)
        .subquery()
    )
    stmt = select(inner.c.unit, Unit.name, inner.c.n, inner.c.ok).join(
        Unit, Unit.id == inner.c.unit
    )
    return [(r[0], r[1], int(r[2]), int(r[3] or 0)) for r in conn.execute(stmt)]


def backlog_ages(
    conn: Connection, open_statuses: Sequence[str], now: datetime, edges: Sequence[timedelta]
) -> list[int]:
    """Open reports per age bin: bin i holds ages in [edges[i-1], edges[i]), the last bin
    everything older than the last edge."""
    whens = [(_T.received_at > now - edge, literal(i)) for i, edge in enumerate(edges)]
    binned = case(*whens, else_=literal(len(edges)))
    stmt = select(binned, func.count()).where(_T.status.in_(list(open_statuses))).group_by(binned)
    counts = [0] * (len(edges) + 1)
    for index, n in conn.execute(stmt):
        counts[int(index)] = int(n)
    return counts


def forward_minutes(
    conn: Connection, start: datetime, end: datetime, edges_min: Sequence[float]
) -> list[int]:
    """Reports received in [start, end) per forward-time bin (receipt → first assignment), bin i
    holding times below ``edges_min[i]`` minutes, the last bin everything slower.

    The minutes are worked out once per report in the inner query, which carries
    ``received_at`` from the ticket index: with ``ix_assignment_ticket_first`` the whole read
    is index-only (it used to join ``ticket`` again for ``received_at``, a table row per
    report, and recompute the expression in every CASE branch).
    """
    minutes = forward_minutes_of(func.min(Assignment.assigned_at), _T.received_at)
    per_report = (
        select(minutes.label("m"))
        .select_from(Assignment)
        .join(_T, _T.id == Assignment.ticket_id)
        .where(_T.received_at >= start, _T.received_at < end)
        .group_by(Assignment.ticket_id, _T.received_at)
        .subquery()
    )
    whens = [(per_report.c.m < edge, literal(i)) for i, edge in enumerate(edges_min)]
    binned = case(*whens, else_=literal(len(edges_min)))
    stmt = select(binned, func.count()).select_from(per_report).group_by(binned)
    counts = [0] * (len(edges_min) + 1)
    for index, n in conn.execute(stmt):
        counts[int(index)] = int(n)
    return counts


def received_by(
    conn: Connection, start: datetime, end: datetime, column: str
) -> list[tuple[str, int]]:
    """(code, reports) received in [start, end) per ``column`` ("category_code" or "kind"):
    the daily report's breakdowns beside the dashboard's per-channel ``intake``."""
    key = {"category_code": _T.category_code, "kind": _T.kind}[column]
    stmt = (
        select(key, func.count()).where(_T.received_at >= start, _T.received_at < end).group_by(key)
    )
    return [(str(r[0]), int(r[1])) for r in conn.execute(stmt)]


def unit_progress(
    conn: Connection, start: datetime, end: datetime, open_statuses: Sequence[str], now: datetime
) -> list[tuple[uuid.UUID, str, int, int, int]]:
    """(unit, name, received, open, open and overdue at ``now``) per lead unit, for reports
    received in [start, end); overdue is ``deadline_condition(OVERDUE)``, the dashboard's."""
    is_open = unindexed(_T.status).in_(list(open_statuses))
    overdue = and_(is_open, deadline_condition(OVERDUE, now))
    inner = (
        select(
            _T.lead_unit_id.label("unit"),
            func.count().label("n"),
            func.sum(case((is_open, 1), else_=0)).label("open"),
            func.sum(case((overdue, 1), else_=0)).label("late"),
        )
        .where(
            _T.received_at >= start,
            _T.received_at < end,
            unindexed(_T.lead_unit_id).is_not(None),
        )
        .group_by(_T.lead_unit_id)
        .subquery()
    )
    stmt = select(inner.c.unit, Unit.name, inner.c.n, inner.c.open, inner.c.late).join(
        Unit, Unit.id == inner.c.unit
    )
    return [(r[0], r[1], int(r[2]), int(r[3] or 0), int(r[4] or 0)) for r in conn.execute(stmt)]
