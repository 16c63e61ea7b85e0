"""Deadline rules as stored: policies and calendar exceptions (the settings are declared rows,
``data.settings.sla``); the at-risk moments of open reports recomputed from them (migration
0007's backfill and a settings change)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any, Protocol

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.orm import Session

from pakn_desktop.domain.enums import OPEN_STATUSES
from pakn_desktop.domain.sla import (
    ADMIN_SOURCE,
    DEFAULT_TIME_ZONE,
    ROUND_EVENTS,
    Amount,
    DayException,
    Pause,
    Policy,
    SlaSettings,
    Unit,
    WorkCalendar,
    match_policy,
    report_at_risk_at,
    round_pauses,
)

from . import timeline
from .models import Base, CalendarException, SlaPolicy, Ticket
from .outbox import outbox_row
from .writes import update_row

OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))
_CHUNK = 2000


def read_policies(conn: Connection) -> tuple[Policy, ...]:
    """Every policy, by name. Forward and first-response limits are calendar minutes."""
    p = SlaPolicy
    rows = conn.execute(
        select(
            p.name,
            p.channel_code,
            p.category_code,
            p.kind,
            p.urgency,
            p.forward_minutes,
            p.first_response_minutes,
            p.resolve_amount,
            p.resolve_unit,
            p.priority,
        ).order_by(p.name)
    ).all()
    return tuple(
        Policy(
            name=row.name,
            forward=Amount(row.forward_minutes, Unit.MINUTES),
            first_response=(
                None
                if row.first_response_minutes is None
                else Amount(row.first_response_minutes, Unit.MINUTES)
            ),
            resolve=Amount(row.resolve_amount, Unit(row.resolve_unit)),
            channel_code=row.channel_code,
            category_code=row.category_code,
            kind=row.kind,
            urgency=row.urgency,
            priority=row.priority or 0,
        )
        for row in rows
    )


def read_calendar(conn: Connection, settings: SlaSettings) -> WorkCalendar:
    """Office hours and weekdays from ``settings``, days from ``calendar_exception``."""
    days: dict[str, set[date]] = {"holiday": set(), "workday": set(), "day_off": set()}
    for day, kind in conn.execute(select(CalendarException.day, CalendarException.kind)):
        days.setdefault(kind, set()).add(day)
    return WorkCalendar(
        office_hours=settings.office_hours,
        weekdays=settings.weekdays,
        holidays=days["holiday"],
        workdays=days["workday"],
        days_off=days["day_off"],
        tz=DEFAULT_TIME_ZONE,
    )


class AtRisk(Protocol):
    def __call__(
        self,
        received: datetime,
        due: datetime,
        channel: str,
        category: str,
        kind: str,
        urgency: str,
        pauses: Sequence[Pause] = (),
    ) -> datetime: ...


def at_risk_rule(
    policies: tuple[Policy, ...], settings: SlaSettings, calendar: WorkCalendar
) -> AtRisk:
    """(round start, due, channel, category, kind, urgency[, pauses]) → the report's at-risk
    moment, the share measured on the clock of the policy the report matches (cached per
    match), the round's finished pauses left out."""
    working: dict[tuple[str, str, str, str], bool] = {}
    share = settings.at_risk_share

    def rule(
        received: datetime,
        due: datetime,
        channel: str,
        category: str,
        kind: str,
        urgency: str,
        pauses: Sequence[Pause] = (),
    ) -> datetime:
        key = (channel, category, kind, urgency)
        clock = working.get(key)
        if clock is None:
            policy = match_policy(policies, channel, category, kind, urgency)
            clock = working[key] = policy is not None and policy.resolve.unit.is_working
        return report_at_risk_at(received, due, clock, share, calendar, pauses)

    return rule


def _open_rows(conn: Connection) -> Iterator[list[Any]]:
    t = Ticket
    stmt = (
        select(
            t.id,
            t.received_at,
            t.due_at,
            t.channel_code,
            t.category_code,
            t.kind,
            t.urgency,
            t.at_risk_at,
        )
        .where(t.status.in_(OPEN), t.due_at.is_not(None))
        .order_by(t.id)
    )
    rows = conn.execute(stmt).all()  # open reports: a bounded share of the table
    for i in range(0, len(rows), _CHUNK):
        yield list(rows[i : i + _CHUNK])


def refresh_open(conn: Connection, rule: AtRisk, *, outbox: bool) -> int:
    """Recompute ``at_risk_at`` of every open report with a due time; the number changed.

    ``outbox``: write an update row per change (a settings change on a running station); the
    migration's backfill writes none, since every database migrates itself the same way.
    """
    table = Base.metadata.tables[Ticket.__tablename__]
    stmt = (
        update(table).where(table.c.id == bindparam("tid")).values(at_risk_at=bindparam("moment"))
    )
    # A report paused or reopened measures its share over its current round, net of the
    # round's pauses, as a resume does (services.sla); the others from their receipt.
    rounds = timeline.moments_by_ticket(conn, ROUND_EVENTS)
    changed = 0
    for chunk in _open_rows(conn):
        params: list[dict[str, Any]] = []
        entries: list[dict[str, Any]] = []
        for tid, received, due, channel, category, kind, urgency, old in chunk:
            start, pauses = round_pauses(rounds.get(tid, ()), received)
            moment = rule(start, due, channel, category, kind, urgency, pauses).astimezone(UTC)
            if old == moment:
                continue
            params.append({"tid": tid, "moment": moment})
            if outbox:
                entries.append(
                    outbox_row("ticket", str(tid), "update", {"at_risk_at": moment.isoformat()})
                )
        if params:
            conn.execute(stmt, params)
            changed += len(params)
        if entries:
            conn.execute(Base.metadata.tables["outbox"].insert(), entries)
    return changed


def read_exceptions(conn: Connection, year: int | None = None) -> list[DayException]:
    """The calendar exceptions (of ``year`` if given), by day."""
    c = CalendarException
    stmt = select(c.day, c.kind, c.name, c.source).order_by(c.day)
    if year is not None:
        stmt = stmt.where(c.day >= date(year, 1, 1), c.day <= date(year, 12, 31))
    return [DayException(*row) for row in conn.execute(stmt)]


def save_exceptions(session: Session, wanted: Sequence[DayException]) -> bool:
    """Make the calendar exceptions ``wanted`` (the whole list as the form shows it): an
    administrator's row missing from it is deleted, a package row changed becomes the
    administrator's (the package then leaves it alone). ORM: the flush hook writes the outbox
    rows. Whether anything changed."""
    c = CalendarException
    existing = {row.day: row for row in session.scalars(select(c))}
    keep = {e.day for e in wanted}
    changed = False
    for day, row in existing.items():
        if row.source == ADMIN_SOURCE and day not in keep:
            session.delete(row)
            changed = True
    for item in wanted:
        current = existing.get(item.day)
        if current is None:
            session.add(c(day=item.day, kind=item.kind, name=item.name, source=ADMIN_SOURCE))
            changed = True
        elif (current.kind, current.name) != (item.kind, item.name):
            current.kind, current.name, current.source = item.kind, item.name, ADMIN_SOURCE
            changed = True
    return changed


def set_minutes_budget(conn: Connection, policy_name: str, minutes: int) -> bool:
    """Give the calendar-minutes policy ``policy_name`` a resolve budget of ``minutes`` (with
    its outbox row); whether it changed."""
    policy_id = conn.execute(
        select(SlaPolicy.id).where(
            SlaPolicy.name == policy_name,
            SlaPolicy.resolve_unit == "minutes",
            SlaPolicy.resolve_amount != minutes,
        )
    ).scalar_one_or_none()
    if policy_id is None:
        return False
    update_row(conn, "sla_policy", policy_id, {"resolve_amount": minutes})
    return True


ClockFacts = tuple[datetime, datetime | None, str, str, str, str]


def clock_facts(conn: Connection, ticket_id: uuid.UUID) -> ClockFacts:
    """What a report's deadlines are computed from: received_at, due_at, channel_code,
    category_code, kind, urgency."""
    t = Ticket
    received, due, channel, category, kind, urgency = conn.execute(
        select(t.received_at, t.due_at, t.channel_code, t.category_code, t.kind, t.urgency).where(
            t.id == ticket_id
        )
    ).one()
    return received, due, channel, category, kind, urgency
