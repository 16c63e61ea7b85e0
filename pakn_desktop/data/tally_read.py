"""Counts read from the maintained tally (``data.tally``): the same numbers as a COUNT(*) over
``ticket`` (tests hold them equal on both engines), at a cost that does not grow with it.

A deadline state depends on the clock. "Due before now" is the tally's whole UTC days before
today, hours of today before this one and minutes of this hour before this one, plus the
reports due in the current minute, counted on ``ticket`` through ``ix_ticket_due`` (a few rows
at a million reports). The at-risk moment is tallied as ``min(at_risk_at or due, due)``: then
"at risk now" is "risky now" minus "overdue now", and only a report due exactly now with a
stored moment after its due time (never written, but possible) would differ; it is counted
apart (``_late_risk``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    type_coerce,
    union_all,
)

from pakn_desktop.domain.enums import OPEN_STATUSES

from .deadline_sql import AT_RISK, NO_DUE, ON_TRACK, OVERDUE, PAUSED, clock_running, unindexed
from .models import Station, Tally, Ticket, Unit
from .queue_types import QueueQuery
from .tally import FORWARD_CAP_MIN

_T = Ticket
OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))
_OFFICE = timedelta(hours=7)  # the office's fixed offset (data.dashboard, data.tally)
_STATES = (ON_TRACK, AT_RISK, OVERDUE, PAUSED, NO_DUE)


def _sum(conn: Connection, dim: str, *terms: ColumnElement[bool]) -> int:
    stmt = select(func.coalesce(func.sum(Tally.n), 0)).where(Tally.dim == dim, *terms)
    return int(conn.execute(stmt).scalar_one())


def _hex(value: uuid.UUID) -> str:
    return value.hex


# --- reports by status, channel, kind, category, unit, station ---------------------------


def tickets(
    conn: Connection,
    statuses: Sequence[str] = (),
    *,
    channel: str | None = None,
    kinds: Sequence[str] = (),
) -> int:
    """Reports with one of ``statuses`` (any when empty), on ``channel``, of one of ``kinds``."""
    terms: list[ColumnElement[bool]] = []
    if statuses:
        terms.append(Tally.status.in_(list(statuses)))
    if channel is not None:
        terms.append(Tally.a == channel)
    if kinds:
        terms.append(Tally.b.in_(list(kinds)))
    # Status alone (the total, the status views) from its own dozen rows.
    return _sum(conn, "ck" if channel is not None or kinds else "st", *terms)


def grouped(conn: Connection, column: str) -> dict[str, int]:
    """Reports per status (``column="status"``) or per channel (``"channel"``)."""
    key = Tally.status if column == "status" else Tally.a
    dim = "st" if column == "status" else "ck"
    stmt = select(key, func.sum(Tally.n)).where(Tally.dim == dim).group_by(key)
    return {str(k): int(n) for k, n in conn.execute(stmt) if n}


def pending(conn: Connection, dim: str) -> int:
    """``outbox``: rows not pushed yet; ``evidence``: files attached (not detached)."""
    return _sum(conn, dim)


def query_count(conn: Connection, query: QueueQuery) -> int | None:
    """The number of reports ``query`` selects, from the tally; None when the tally cannot
    say (text, dates, commune, forward time, a forward deadline, or filters combined across
    dimensions): the caller counts rows then."""
    q = query
    if q.text.strip() or q.received_from or q.received_to or q.commune or q.forward_minutes:
        return None
    if q.deadline is not None:
        return _deadline_count(conn, q)
    kinds = set(q.kinds) if q.kinds else None
    if q.kind is not None:
        kinds = {q.kind} & kinds if kinds is not None else {q.kind}
    if kinds is not None and not kinds:
        return 0
    status_terms = [Tally.status.in_(list(q.statuses))] if q.statuses else []
    if q.station_code is not None:
        if q.channel is not None or kinds is not None or q.category or q.unit:
            return None  # a station with another dimension: not tallied together
        station = conn.execute(select(Station.id).where(Station.code == q.station_code)).first()
        if station is None:
            return 0
        return _sum(conn, "stn", Tally.a == _hex(station[0]), *status_terms)
    if q.category is not None or q.unit is not None:
        if q.channel is not None or kinds is not None or (q.category and q.unit):
            return None
        if q.category is not None:
            return _sum(conn, "cat", Tally.a == q.category, *status_terms)
        assert q.unit is not None
        return _sum(conn, "unit", Tally.a == _hex(q.unit), *status_terms)
    return tickets(conn, q.statuses, channel=q.channel, kinds=sorted(kinds or ()))


def _deadline_count(conn: Connection, q: QueueQuery) -> int | None:
    plain = not (q.channel or q.category or q.kind or q.kinds or q.unit or q.station_code)
    if not plain or set(q.statuses) != set(OPEN) or q.deadline not in _STATES:
        return None
    now = q.now if q.now is not None else datetime.now(UTC)
    if q.deadline == OVERDUE:
        return overdue(conn, now)
    if q.deadline == AT_RISK:
        return at_risk(conn, now)
    if q.deadline in (PAUSED, NO_DUE):
        return _sum(conn, "paused" if q.deadline == PAUSED else "nodue")
    return open_by_state(conn, now)[q.deadline]


# --- deadline states at a moment ---------------------------------------------------------


def _cuts(moment: datetime) -> tuple[str, str, str, datetime]:
    """UTC day, hour and minute keys of ``moment``, and the minute's start."""
    utc = moment.astimezone(UTC)
    start = utc.replace(second=0, microsecond=0)
    return (
        utc.strftime("%Y-%m-%d"),
        utc.strftime("%Y-%m-%d %H"),
        utc.strftime("%Y-%m-%d %H:%M"),
        start,
    )


def _whole_units_before(conn: Connection, prefix: str, moment: datetime) -> int:
    """Tallied reports whose time is in a whole day, hour or minute before ``moment``'s
    minute: three ranges of the tally's key, read in one statement."""
    day, hour, minute, _ = _cuts(moment)
    a, status = Tally.a, Tally.status == ""
    ranges = (
        (f"{prefix}_d", a < day),
        (f"{prefix}_h", and_(a >= day, a < hour)),
        (f"{prefix}_m", and_(a >= hour, a < minute)),
    )
    sums = [
        select(func.coalesce(func.sum(Tally.n), 0).label("n")).where(Tally.dim == d, status, t)
        for d, t in ranges
    ]
    both = union_all(*sums).subquery()
    return int(conn.execute(select(func.sum(both.c.n))).scalar_one())


def _timed() -> ColumnElement[bool]:
    """Open, with a due time, clock running: the reports the due and risk tallies hold."""
    return and_(unindexed(_T.status).in_(OPEN), unindexed(_T.due_at).is_not(None), clock_running())


def _at(moment: datetime) -> Any:
    return literal(moment, _T.due_at.type)


def _count(conn: Connection, *terms: ColumnElement[bool]) -> int:
    return int(conn.execute(select(func.count()).select_from(_T).where(*terms)).scalar_one())


def overdue(conn: Connection, now: datetime) -> int:
    """Open reports past their due time, clock running (``deadline_condition(OVERDUE)``)."""
    start = _cuts(now)[3]
    edge = _count(conn, _T.due_at >= _at(start), _T.due_at < _at(now), _timed())
    return _whole_units_before(conn, "due", now) + edge


def _risky(conn: Connection, now: datetime) -> int:
    """Open timed reports whose counted at-risk moment is at or before ``now``."""
    start = _cuts(now)[3]
    risk = func.coalesce(unindexed(_T.at_risk_at), unindexed(_T.due_at))
    moment = case((risk < unindexed(_T.due_at), risk), else_=unindexed(_T.due_at))
    in_minute = or_(
        and_(_T.at_risk_at >= _at(start), _T.at_risk_at <= _at(now)),
        and_(_T.due_at >= _at(start), _T.due_at <= _at(now)),
    )
    edge = _count(conn, in_minute, moment >= _at(start), moment <= _at(now), _timed())
    return _whole_units_before(conn, "risk", now) + edge


def _late_risk(conn: Connection, now: datetime) -> int:
    """Reports due exactly at ``now`` whose stored at-risk moment is after their due time:
    counted as risky above, but not at risk (their moment has not come)."""
    return _count(
        conn, _T.due_at == _at(now), unindexed(_T.at_risk_at) > unindexed(_T.due_at), _timed()
    )


def at_risk(conn: Connection, now: datetime, late: int | None = None) -> int:
    """Open reports at risk at ``now`` (``deadline_condition(AT_RISK)``): risky, not late."""
    late = overdue(conn, now) if late is None else late
    return _risky(conn, now) - late - _late_risk(conn, now)


def open_by_state(conn: Connection, now: datetime) -> dict[str, int]:
    """Open reports per deadline state at ``now``, as ``data.dashboard.open_by_state``."""
    total = tickets(conn, OPEN)
    no_due = _sum(conn, "nodue")
    paused = _sum(conn, "paused")
    late = overdue(conn, now)
    risky = at_risk(conn, now, late)
    on_track = total - no_due - paused - late - risky
    return {ON_TRACK: on_track, AT_RISK: risky, OVERDUE: late, PAUSED: paused, NO_DUE: no_due}


def received_before(conn: Connection, moment: datetime) -> int:
    """Open reports received at or before ``moment``."""
    start = _cuts(moment)[3]
    open_ = unindexed(_T.status).in_(OPEN)
    edge = _count(conn, _T.received_at >= _at(start), _T.received_at <= _at(moment), open_)
    return _whole_units_before(conn, "open", moment) + edge


def backlog_ages(conn: Connection, now: datetime, edges: Sequence[timedelta]) -> list[int]:
    """Open reports per age bin, as ``data.dashboard.backlog_ages``."""
    total = tickets(conn, OPEN)
    younger = [total - received_before(conn, now - edge) for edge in edges]
    counts = [younger[0]]
    counts += [younger[i] - younger[i - 1] for i in range(1, len(edges))]
    counts.append(total - younger[-1])
    return counts


# --- per hour or day of receipt ----------------------------------------------------------


def _hour_aligned(moment: datetime) -> bool:
    return moment.minute == 0 and moment.second == 0 and moment.microsecond == 0


def _office_days(start: datetime, end: datetime) -> tuple[str, str] | None:
    """The office-day keys [first, last) of a range that starts and ends at office midnight;
    None for any other range (the tally has no finer key for it)."""
    first, last = (m.astimezone(UTC).replace(tzinfo=None) + _OFFICE for m in (start, end))
    if any(m.hour or m.minute or m.second or m.microsecond for m in (first, last)):
        return None
    return first.strftime("%Y-%m-%d"), last.strftime("%Y-%m-%d")


def intake(
    conn: Connection, start: datetime, end: datetime, unit: str, channel_codes: Sequence[str]
) -> list[tuple[str, str, int]] | None:
    """(channel, bucket key, reports) as ``data.dashboard.intake``: hours from the UTC-hour
    tally, days from the office-day one; None for a range the tally cannot cut (hours: not
    on whole hours; days: not on office midnights)."""
    if unit == "hour":
        if not (_hour_aligned(start) and _hour_aligned(end)):
            return None
        low, high = (m.astimezone(UTC).strftime("%Y-%m-%d %H") for m in (start, end))
        dim = "recv"
    else:
        days = _office_days(start, end)
        if days is None:
            return None
        (low, high), dim = days, "recv_day"
    stmt = select(Tally.b, Tally.a, Tally.n).where(
        Tally.dim == dim,
        Tally.status == "",
        Tally.a >= low,
        Tally.a < high,
        Tally.b.in_(list(channel_codes)),
        Tally.n != 0,
    )
    return [(str(b), str(a), int(n)) for b, a, n in conn.execute(stmt)]


def on_time_by_unit(
    conn: Connection, start: datetime, end: datetime
) -> list[tuple[uuid.UUID, str, int, int]] | None:
    """(unit, name, closed, closed on time) as ``data.dashboard.on_time_by_unit``; None
    unless the range is whole office days."""
    days = _office_days(start, end)
    if days is None:
        return None
    ok = func.sum(case((Tally.dim == "unit_ok", Tally.n), else_=0)).label("ok")
    closed = func.sum(case((Tally.dim == "unit_day", Tally.n), else_=0)).label("closed")
    per_unit = (
        select(Tally.b.label("unit"), closed, ok)
        .where(
            Tally.dim.in_(("unit_day", "unit_ok")),
            Tally.status == "",
            Tally.a >= days[0],
            Tally.a < days[1],
        )
        .group_by(Tally.b)
        .subquery()
    )
    # Summed per unit first, then named: one lookup per unit, not per unit and day. The tally
    # keys a unit by 32 hex digits: SQLite stores a Uuid so; PostgreSQL spells it.
    key: Any = type_coerce(Unit.id, String)
    if conn.dialect.name != "sqlite":
        key = func.replace(cast(Unit.id, String), "-", "")
    stmt = select(Unit.id, Unit.name, per_unit.c.closed, per_unit.c.ok).join(
        Unit, key == per_unit.c.unit
    )
    return [(r[0], r[1], int(r[2]), int(r[3])) for r in conn.execute(stmt) if r[2]]


def forwarded_per_day(
    conn: Connection, start: datetime, end: datetime
) -> list[tuple[str, int, int]] | None:
    """(office day, forwarded on time, late) as ``forward_watch.forwarded_per_bucket`` by
    day; None unless the range is whole office days."""
    days = _office_days(start, end)
    if days is None:
        return None
    stmt = select(Tally.a, Tally.b, Tally.n).where(
        Tally.dim == "fwd", Tally.status == "", Tally.a >= days[0], Tally.a < days[1]
    )
    per_day: dict[str, list[int]] = {}
    for day, on_time, n in conn.execute(stmt):
        per_day.setdefault(str(day), [0, 0])[0 if on_time == "1" else 1] += int(n or 0)
    return [(day, ok, late) for day, (ok, late) in sorted(per_day.items()) if ok or late]


def forward_minutes(
    conn: Connection, start: datetime, end: datetime, edges_min: Sequence[float]
) -> list[int] | None:
    """Reports per forward-time bin as ``data.dashboard.forward_minutes``; None unless the
    range is whole office days and every edge a whole minute up to the tally's cap."""
    days = _office_days(start, end)
    whole = all(float(e).is_integer() and 0 < e <= FORWARD_CAP_MIN for e in edges_min)
    if days is None or not whole:
        return None
    stmt = (
        select(Tally.b, func.sum(Tally.n))
        .where(Tally.dim == "fwd_min", Tally.status == "", Tally.a >= days[0], Tally.a < days[1])
        .group_by(Tally.b)
    )
    counts = [0] * (len(edges_min) + 1)
    for minutes, n in conn.execute(stmt):
        bin_ = next((i for i, e in enumerate(edges_min) if int(minutes) < e), len(edges_min))
        counts[bin_] += int(n or 0)
    return counts
