"""Deadlines from the database's policies, calendar and settings: ``sla deadline``, intake,
workflow, alerts and the dashboard all read them here.

The settings (at-risk share, escalation ladder, office hours, working weekdays, the unit's
result deadline) are declared shared rows (``data.settings.sla``, read as ``SlaSettings``), so every
workstation computes the same deadlines; the time zone stays Asia/Ho_Chi_Minh. Public
holidays, swapped working days (ngày làm bù) and extra days off come from the
``calendar_exception`` table, which the reference data fills from the ``holidays`` package and
administrators amend.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from pakn_desktop.data import forward_watch, sla_store
from pakn_desktop.data.errors import ErrorCode, KnownError
from pakn_desktop.data.settings import rows as settings_rows
from pakn_desktop.data.settings.rows import read_group
from pakn_desktop.data.settings.sla import CALENDAR_VERSION, SLA, WATCHED
from pakn_desktop.data.types import utcnow
from pakn_desktop.domain.sla import (
    DEFAULT_TIME_ZONE,
    ROUND_EVENTS,
    DayException,
    Deadlines,
    Pause,
    Policy,
    SlaSettings,
    WorkCalendar,
    deadlines,
    match_policy,
    pushed_due,
    report_at_risk_at,
    resolve_due,
    round_pauses,
)
from pakn_desktop.services.changes import Changes, Topic
from pakn_desktop.services.database import Database

log = logging.getLogger(__name__)

TIME_ZONE = DEFAULT_TIME_ZONE
DEFAULT_POLICY = "mac_dinh"  # the seeds' 60-minute rule: ``result_minutes`` is its budget


def load_policies(database: Database) -> tuple[Policy, ...]:
    """Every policy, by name. Forward and first-response limits are calendar minutes."""
    with database.engine.connect() as conn:
        return sla_store.read_policies(conn)


def load_settings(database: Database) -> SlaSettings:
    """The deadline settings as stored (what the settings dialog edits)."""
    from pakn_desktop.services.settings import Settings

    return Settings(database, {}).stored(SLA)


def load_calendar(database: Database, settings: SlaSettings | None = None) -> WorkCalendar:
    """The working calendar: the settings' office hours plus the calendar exceptions."""
    with database.engine.connect() as conn:
        return sla_store.read_calendar(conn, settings or read_group(conn, SLA))


def load_exceptions(database: Database, year: int | None = None) -> list[DayException]:
    """The calendar exceptions (of ``year`` if given), by day."""
    with database.engine.connect() as conn:
        return sla_store.read_exceptions(conn, year)


@dataclass(frozen=True)
class SettingsSaved:
    changed: tuple[str, ...]  # setting keys written
    reports: int  # open reports whose at-risk moment moved

    @property
    def changes(self) -> Changes:
        return Changes.of(Topic.DEADLINE_SETTINGS, every_report=self.reports > 0)


def save_settings(
    database: Database,
    settings: SlaSettings,
    *,
    user_id: uuid.UUID | None = None,
    exceptions: list[DayException] | None = None,
) -> SettingsSaved:
    """Write the settings (and, if given, the administrators' calendar exceptions) in one
    transaction with their outbox rows, and recompute the at-risk moment of every open report
    under them. Due times already given stay: they were announced to the units. A refused
    setting is KnownError(INVALID)."""
    refused = SLA.refusals(settings)
    if refused:
        words = "; ".join(r.message for r in refused)
        raise KnownError(ErrorCode.INVALID, f"cài đặt thời hạn không hợp lệ: {words}")
    with database.write_sessions.begin() as session:
        values = SLA.values(settings)
        if exceptions is not None and sla_store.save_exceptions(session, exceptions):
            # Tells every station's SlaService that the calendar changed (services.sla).
            values[CALENDAR_VERSION] = utcnow().isoformat()
        session.flush()
        conn = session.connection()
        changed = settings_rows.write(conn, values, user_id)
        if sla_store.set_minutes_budget(conn, DEFAULT_POLICY, settings.result_minutes):
            changed.append(f"sla_policy.{DEFAULT_POLICY}")
        rule = sla_store.at_risk_rule(
            sla_store.read_policies(conn), settings, sla_store.read_calendar(conn, settings)
        )
        moved = sla_store.refresh_open(conn, rule, outbox=True)
        # The reports waiting to be forwarded take the new share too (their forward clock).
        moved += forward_watch.refresh(conn, settings.at_risk_share, outbox=True)
    log.info("deadline settings saved: %s; %d open reports re-judged", changed, moved)
    return SettingsSaved(tuple(changed), moved)


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
    """Policies, calendar and settings from the database, cached. Thread-safe: workers share
    one. The settings rows are read again when ``REFRESH_S`` old (one small query); when they
    changed — here, or on another station and synced — policies and calendar are reloaded
    too (a saved calendar exception bumps ``sla.calendar_version``, the unit's result minutes
    are a setting), so every station follows an administrator's edit within that time."""

    REFRESH_S = 30.0

    def __init__(
        self,
        database: Database,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._database = database
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._policies: dict[str, Policy] | None = None
        self._calendar: WorkCalendar | None = None
        self._settings: SlaSettings | None = None
        self._rows: dict[str, Any] | None = None
        self._checked = 0.0

    def _db(self) -> Database:
        return self._database

    def reload(self) -> None:
        with self._lock:
            self._policies = None
            self._calendar = None
            self._settings = None
            self._rows = None

    def settings(self) -> SlaSettings:
        now = self._monotonic()
        with self._lock:
            if self._settings is not None and now - self._checked < self.REFRESH_S:
                return self._settings
        with self._db().engine.connect() as conn:
            rows = settings_rows.read_stored(conn, WATCHED)
        with self._lock:
            self._checked = now
            if rows != self._rows:
                self._rows = rows
                self._settings = SLA.build(settings_rows.decoded(SLA.settings(), rows))
                self._policies = None
                self._calendar = None
            assert self._settings is not None
            return self._settings

    def policies(self) -> dict[str, Policy]:
        self.settings()
        with self._lock:
            if self._policies is None:
                self._policies = {p.name: p for p in load_policies(self._db())}
            return self._policies

    def calendar(self) -> WorkCalendar:
        settings = self.settings()
        with self._lock:
            if self._calendar is None:
                self._calendar = load_calendar(self._db(), settings)
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

    def match(
        self, channel: str | None, category: str | None, kind: str | None, urgency: str | None
    ) -> Policy | None:
        return match_policy(self.policies().values(), channel, category, kind, urgency)

    def at_risk_at(self, received: datetime, due: datetime, policy: Policy | None) -> datetime:
        """When a report received at ``received`` and due at ``due`` turns "at risk" (UTC),
        on its policy's clock, under the current share and calendar."""
        working = policy is not None and policy.resolve.unit.is_working
        share = self.settings().at_risk_share
        return report_at_risk_at(received, due, working, share, self.calendar()).astimezone(UTC)


@dataclass(frozen=True)
class _TicketClock:
    """What a report's deadlines are computed from, read inside a write transaction (the
    actions that move a due time are rare: the rules are read each time)."""

    received: datetime
    due_at: datetime | None
    match: tuple[str, str, str, str]  # channel, category, kind, urgency
    settings: SlaSettings
    policies: tuple[Policy, ...]
    calendar: WorkCalendar

    @property
    def policy(self) -> Policy | None:
        return match_policy(self.policies, *self.match)

    @property
    def working(self) -> bool:
        """Whether the report's resolve clock counts working time (else real time)."""
        policy = self.policy
        return policy is not None and policy.resolve.unit.is_working

    def at_risk(
        self, conn: Connection, ticket_id: uuid.UUID, due: datetime, extra: list[Pause]
    ) -> datetime:
        """The at-risk moment for ``due``: the share measured over the current round (from
        the receipt or the last reopen) net of the round's pauses on the timeline and
        ``extra`` (one not on it yet)."""
        from pakn_desktop.data import timeline

        events = timeline.moments(conn, ticket_id, ROUND_EVENTS)
        start, pauses = round_pauses(events, self.received)
        share = self.settings.at_risk_share
        moment = report_at_risk_at(
            start, due, self.working, share, self.calendar, [*pauses, *extra]
        )
        return moment.astimezone(UTC)


def _ticket_clock(conn: Connection, ticket_id: uuid.UUID) -> _TicketClock:
    row = sla_store.clock_facts(conn, ticket_id)
    settings = read_group(conn, SLA)
    return _TicketClock(
        received=row[0],
        due_at=row[1],
        match=(row[2], row[3], row[4], row[5]),
        settings=settings,
        policies=sla_store.read_policies(conn),
        calendar=sla_store.read_calendar(conn, settings),
    )


def at_risk_for_ticket(conn: Connection, ticket_id: uuid.UUID, due: datetime) -> datetime:
    """The at-risk moment of a report whose due time becomes ``due`` (an approved extension),
    inside that write transaction."""
    return _ticket_clock(conn, ticket_id).at_risk(conn, ticket_id, due, [])


def reopened_deadlines(
    conn: Connection, ticket_id: uuid.UUID, reopened_at: datetime
) -> tuple[datetime, datetime] | None:
    """(resolve due, at-risk moment) of a report reopened at ``reopened_at`` (the citizen
    was not satisfied): a new round with the policy's full resolve budget from the reopen,
    its at-risk share measured within that round; None when no policy matches."""
    clock = _ticket_clock(conn, ticket_id)
    policy = clock.policy
    if policy is None:
        return None
    due = resolve_due(clock.received, policy, clock.calendar, reopened_at=reopened_at)
    share = clock.settings.at_risk_share
    at_risk = report_at_risk_at(reopened_at, due, clock.working, share, clock.calendar)
    return due.astimezone(UTC), at_risk.astimezone(UTC)


def resumed_deadlines(
    conn: Connection, ticket_id: uuid.UUID, paused_at: datetime, resumed_at: datetime
) -> tuple[datetime, datetime] | None:
    """(resolve due, at-risk moment) of a report waiting for the citizen since ``paused_at``
    and resumed at ``resumed_at``; None when it has no due time.

    The due time given is pushed by the clock time of this pause (working time for a
    working-time policy, real time for a calendar one or none: ``domain.sla.pushed_due``),
    so an approved extension stays in it and several pauses add up. The at-risk share is
    measured over the round net of every pause of the round.
    """
    clock = _ticket_clock(conn, ticket_id)
    if clock.due_at is None:
        return None
    pause = (paused_at, resumed_at)
    due = pushed_due(clock.due_at, pause, clock.calendar, clock.working)
    return due.astimezone(UTC), clock.at_risk(conn, ticket_id, due, [pause])


class SlaSettingsStore:
    """What the settings dialog reads and writes (run on a worker, ``ui/tasks.py``).

    ``sla``: the deadline rules in use (``AppServices.sla``), read again after a save so the
    next intake and alert scan follow it at once, not within ``SlaService.REFRESH_S``."""

    def __init__(self, database: Database, sla: SlaService | None = None) -> None:
        self._database = database
        self._sla = sla

    def _db(self) -> Database:
        return self._database

    def load(self) -> tuple[SlaSettings, list[DayException]]:
        db = self._db()
        return load_settings(db), load_exceptions(db)

    def save(
        self,
        settings: SlaSettings,
        exceptions: list[DayException] | None = None,
        user_id: uuid.UUID | None = None,
    ) -> SettingsSaved:
        saved = save_settings(self._db(), settings, user_id=user_id, exceptions=exceptions)
        if self._sla is not None:
            self._sla.reload()
        return saved
