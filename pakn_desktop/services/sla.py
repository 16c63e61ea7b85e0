"""Deadlines from the database's policies and calendar: ``sla deadline`` and, later, the GUI.

Office hours, working weekdays and the time zone are constants for now (issue 8 asks for them
to become settings): the defaults of ``domain.sla`` — 07:30–11:30 and 13:00–17:00, Monday to
Friday, Asia/Ho_Chi_Minh. Public holidays, swapped working days (ngày làm bù) and extra days
off come from the ``calendar_exception`` table, which the reference data fills from the
``holidays`` package and administrators amend.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from pakn_desktop.data.errors import ErrorCode, KnownError
from pakn_desktop.data.models import CalendarException, SlaPolicy
from pakn_desktop.domain.sla import (
    DEFAULT_OFFICE_HOURS,
    DEFAULT_TIME_ZONE,
    DEFAULT_WEEKDAYS,
    Amount,
    Deadlines,
    Policy,
    Unit,
    WorkCalendar,
    deadlines,
)

from .database import Database

log = logging.getLogger(__name__)

OFFICE_HOURS: tuple[tuple[time, time], ...] = DEFAULT_OFFICE_HOURS
WEEKDAYS: frozenset[int] = DEFAULT_WEEKDAYS
TIME_ZONE = DEFAULT_TIME_ZONE


def load_policies(database: Database) -> tuple[Policy, ...]:
    """Every policy, by name. Forward and first-response limits are calendar minutes."""
    columns = (
        SlaPolicy.name,
        SlaPolicy.channel_code,
        SlaPolicy.category_code,
        SlaPolicy.kind,
        SlaPolicy.urgency,
        SlaPolicy.forward_minutes,
        SlaPolicy.first_response_minutes,
        SlaPolicy.resolve_amount,
        SlaPolicy.resolve_unit,
        SlaPolicy.priority,
    )
    with database.engine.connect() as conn:
        rows = conn.execute(select(*columns).order_by(SlaPolicy.name)).all()
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


def load_calendar(database: Database) -> WorkCalendar:
    """The working calendar: constant office hours plus the database's calendar exceptions."""
    days: dict[str, set[date]] = {"holiday": set(), "workday": set(), "day_off": set()}
    with database.engine.connect() as conn:
        for day, kind in conn.execute(select(CalendarException.day, CalendarException.kind)):
            days.setdefault(kind, set()).add(day)
    return WorkCalendar(
        office_hours=OFFICE_HOURS,
        weekdays=WEEKDAYS,
        holidays=days["holiday"],
        workdays=days["workday"],
        days_off=days["day_off"],
        tz=TIME_ZONE,
    )


# The keys of ``sla deadline --json``: stable for scripts.
JSON_KEYS = ("policy", "start", "forward_due", "first_response_due", "resolve_due")


def parse_start(text: str) -> datetime:
    """An ISO 8601 date-time; without an offset it is local time in ``TIME_ZONE``."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise KnownError(ErrorCode.INVALID, f"thời điểm không đúng ISO 8601: {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(TIME_ZONE))
    return moment


def as_json(policy_name: str, start: datetime, due: Deadlines) -> dict[str, Any]:
    """``sla deadline --json``: ISO 8601 strings with the calendar's offset (+07:00)."""
    tz = ZoneInfo(TIME_ZONE)
    return {
        "policy": policy_name,
        "start": start.astimezone(tz).isoformat(),
        "forward_due": due.forward_due.isoformat(),
        "first_response_due": (
            None if due.first_response_due is None else due.first_response_due.isoformat()
        ),
        "resolve_due": due.resolve_due.isoformat(),
    }


class SlaService:
    """Policies and calendar read once from the database (``reload()`` after an admin edit)."""

    def __init__(self, database: Database | Callable[[], Database]) -> None:
        self._database = database
        self._policies: dict[str, Policy] | None = None
        self._calendar: WorkCalendar | None = None

    def _db(self) -> Database:
        return self._database if isinstance(self._database, Database) else self._database()

    def reload(self) -> None:
        self._policies = None
        self._calendar = None

    def policies(self) -> dict[str, Policy]:
        if self._policies is None:
            self._policies = {p.name: p for p in load_policies(self._db())}
        return self._policies

    def calendar(self) -> WorkCalendar:
        if self._calendar is None:
            self._calendar = load_calendar(self._db())
        return self._calendar

    def policy(self, name: str) -> Policy:
        """The policy called ``name``; KnownError(INVALID) naming the known ones if none is."""
        policies = self.policies()
        try:
            return policies[name]
        except KeyError:
            known = ", ".join(sorted(policies)) or "—"
            raise KnownError(
                ErrorCode.INVALID, f"không có chính sách hạn xử lý {name!r}; có: {known}"
            ) from None

    def deadline_for(self, policy_name: str, start: datetime) -> Deadlines:
        """Every due time of the named policy for a report received at ``start`` (aware)."""
        return deadlines(start, self.policy(policy_name), self.calendar())
