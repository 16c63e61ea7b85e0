"""Deadline alerts and the escalation ladder, found by walking the due-time and at-risk indexes.

``AlertScanner.scan`` (a read, on a worker) finds the open reports whose state changed since
its last run: at risk (from the stored ``ticket.at_risk_at``, the rule of
``data.deadline_sql``), overdue (past the due time) and each escalation level reached
(overdue → supervisor → leadership, thresholds after the due time: the ladder of the deadline
settings). Only bounded ranges of ``ix_ticket_at_risk`` and ``ix_ticket_due`` are read, never
the whole table. ``record`` (the write lane) writes each
escalation as a hash-chained timeline event through ``data.timeline.append`` (outbox rows
included); an overdue multi-sector case (several units) carries the reason to be published.

Windows: an alert fires in a scan over (since, now] when its moment m is inside it. Overdue
and escalations are strict (due itself is in time: fires when now > m, i.e. m ∈ [since, now));
at risk is inclusive (fires when now ≥ m, i.e. m ∈ (since, now]).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from pakn_desktop.domain.enums import OPEN_STATUSES
from pakn_desktop.domain.office_time import OFFICE_OFFSET
from pakn_desktop.domain.sla import (
    DEFAULT_LADDER,
    DeadlineState,
    Policy,
    Rung,
    Unit,
    WorkCalendar,
    due,
)
from pakn_desktop.services.changes import Changes, Topic

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from pakn_desktop.services.database import Database
    from pakn_desktop.services.sla import SlaService

OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))
ESCALATED = "escalated"  # the timeline event kind
CATCH_UP = timedelta(days=2)  # the first scan also records escalations missed while closed
LOCAL = OFFICE_OFFSET


Level = Rung  # a rung of the ladder: reached ``after`` the due time (calendar or working)
LEVEL_NAMES = {"supervisor": "lãnh đạo phụ trách", "leadership": "Ủy ban nhân dân tỉnh"}


RESOLVE, FORWARD = "resolve", "forward"  # which deadline an alert is about


@dataclass(frozen=True)
class Alert:
    ticket_id: uuid.UUID
    code: str
    state: DeadlineState  # AT_RISK or OVERDUE
    at: datetime  # the moment the state began
    due_at: datetime
    # RESOLVE (the unit's result) or FORWARD (the 5-minute forward to a unit, while the
    # report waits for it: "sắp quá hạn chuyển", "quá hạn chuyển").
    deadline: str = RESOLVE


@dataclass(frozen=True)
class Escalation:
    ticket_id: uuid.UUID
    code: str
    level: str
    at: datetime  # the threshold moment
    due_at: datetime


@dataclass(frozen=True)
class Recorded:
    escalation: Escalation
    units: tuple[str, ...]  # names of the units handling it
    # The lead unit's own reason for the delay, as typed (the "explain_delay" action), to be
    # published; None until someone typed one. Never generated.
    reason: str | None


@dataclass(frozen=True)
class ScanResult:
    since: datetime
    until: datetime
    alerts: tuple[Alert, ...]
    escalations: tuple[Escalation, ...]

    @property
    def changes(self) -> Changes:
        """The reports alerted or escalated (an escalation appends to their timeline; their
        deadline state moved, so the counts by state did too)."""
        ids = [a.ticket_id for a in self.alerts] + [e.ticket_id for e in self.escalations]
        return Changes.reports_updated(ids, Topic.ALERTS) if ids else Changes()


class AlertScanner:
    """Keeps the end of its last scan; ``clock`` is the deadline clock (server time).

    ``ladder`` and ``calendar`` default to the deadline settings (``services.sla.SlaService``:
    re-read when half a minute old, so an administrator's edit reaches a running scanner);
    ``sla``: the instance the rest of the application shares (``AppServices.sla``).
    """

    def __init__(
        self,
        database: Database,
        clock: Callable[[], datetime],
        *,
        ladder: Sequence[Level] | None = None,
        since: datetime | None = None,
        calendar: WorkCalendar | None = None,
        sla: SlaService | None = None,
    ) -> None:
        self._database = database
        self._clock = clock
        self._ladder = None if ladder is None else tuple(ladder)
        self._calendar = calendar
        self._since = since
        if sla is None:
            from pakn_desktop.services.sla import SlaService

            sla = SlaService(database)
        self._sla = sla

    def _db(self) -> Database:
        return self._database

    def reload(self) -> None:
        """Read the ladder and the calendar from the settings now (they are re-read every
        ``SlaService.REFRESH_S`` anyway)."""
        self._sla.reload()

    @property
    def ladder(self) -> tuple[Level, ...]:
        if self._ladder is not None:
            return self._ladder
        return self._sla.settings().ladder or DEFAULT_LADDER

    def calendar(self) -> WorkCalendar:
        return self._calendar if self._calendar is not None else self._sla.calendar()

    # --- finding ----------------------------------------------------------------------------

    def scan(self, now: datetime | None = None) -> ScanResult:
        """What happened in (since, now]; the first scan reports no alerts (nothing "just"
        happened) but catches up on escalations from the last ``CATCH_UP``."""
        now = now or self._clock()
        first = self._since is None
        since = now if self._since is None else min(self._since, now)
        with self._db().engine.connect() as conn:
            alerts = [] if first else self._alerts(conn, since, now)
            escalations = self._escalations(conn, since - CATCH_UP if first else since, now)
        self._since = now
        return ScanResult(since, now, tuple(alerts), tuple(escalations))

    def _alerts(self, conn: Connection, since: datetime, now: datetime) -> list[Alert]:
        from pakn_desktop.data import alerts_store as store

        found: list[Alert] = []
        for tid, code, _received, due_at in store.open_due_between(
            conn, OPEN, since, now, include_low=True
        ):
            if due_at < now:  # overdue: due ∈ [since, now)
                found.append(Alert(tid, code, DeadlineState.OVERDUE, due_at, due_at))
        # at risk: at_risk_at ∈ (since, now] and not yet overdue.
        for tid, code, moment, due_at in store.open_at_risk_between(conn, OPEN, since, now):
            if due_at >= now:
                found.append(Alert(tid, code, DeadlineState.AT_RISK, moment, due_at))
        return found + self._forward_alerts(conn, since, now)

    def _forward_alerts(self, conn: Connection, since: datetime, now: datetime) -> list[Alert]:
        """Reports still waiting to be forwarded that turned at risk of it in (since, now], or
        whose forward due time passed in [since, now) — the windows of the resolve alerts.
        One range of ``ix_ticket_forward_at_risk``: a report overdue in the window turned
        at risk at most the longest forward budget before it, and forwarded or closed
        reports are not in the index's range at all (data.forward_watch)."""
        from pakn_desktop.data import forward_watch

        low = since - self._longest_forward()
        found: list[Alert] = []
        for tid, code, moment, due_at in forward_watch.watched_between(conn, low, now):
            if since <= due_at < now:
                found.append(Alert(tid, code, DeadlineState.OVERDUE, due_at, due_at, FORWARD))
            elif since < moment and due_at >= now:
                found.append(Alert(tid, code, DeadlineState.AT_RISK, moment, due_at, FORWARD))
        return found

    def _longest_forward(self) -> timedelta:
        minutes = [p.forward.value * _MINUTES[p.forward.unit] for p in self._policies()]
        return timedelta(minutes=max(minutes, default=0))

    def _policies(self) -> tuple[Policy, ...]:
        return tuple(self._sla.policies().values())

    def _threshold(self, due_at: datetime, level: Level) -> datetime:
        if level.after.value == 0:
            return due_at
        return due(due_at, level.after, self.calendar())

    def _earliest_due(self, moment: datetime, level: Level) -> datetime:
        """A due time early enough that its threshold for ``level`` is before ``moment``."""
        if not level.after.unit.is_working:
            return moment - timedelta(minutes=level.after.value * _MINUTES[level.after.unit])
        calendar = self.calendar()
        budget = round(
            level.after.value * (calendar.working_day_minutes * 60e6)
            if level.after.unit is Unit.WORKING_DAYS
            else level.after.value * 3600e6
        )
        back = calendar.instant(calendar.coordinate(moment) - budget, closing=False)
        return back - timedelta(days=1)  # slack for the rounding at office-hour boundaries

    def _escalations(self, conn: Connection, since: datetime, now: datetime) -> list[Escalation]:
        from pakn_desktop.data import alerts_store as store

        low = min(self._earliest_due(since, level) for level in self.ladder)
        rows = store.open_due_between(conn, OPEN, low, now, include_low=True)
        done = store.escalated_levels(conn, [r[0] for r in rows], ESCALATED)
        found: list[Escalation] = []
        for tid, code, _received, due_at in rows:
            for level in self.ladder:
                moment = self._threshold(due_at, level)
                if since <= moment < now and level.code not in done.get(tid, ()):
                    found.append(Escalation(tid, code, level.code, moment, due_at))
        return found

    # --- recording --------------------------------------------------------------------------

    def record(
        self, escalations: Sequence[Escalation], station_id: uuid.UUID | None = None
    ) -> list[Recorded]:
        """Write each escalation not yet on the report's timeline (one transaction; the row
        lock makes a second station's scan of the same report a no-op)."""
        from pakn_desktop.data import alerts_store as store

        if not escalations:
            return []
        db = self._db()
        if station_id is None:
            station_id = store.local_station_id(db.write_sessions)
        recorded: list[Recorded] = []
        with db.writer.begin() as conn:
            for item in escalations:
                units = store.lock_and_units(conn, item.ticket_id, OPEN)
                if units is None:  # closed meanwhile
                    continue
                if item.level in store.escalated_levels(conn, [item.ticket_id], ESCALATED).get(
                    item.ticket_id, ()
                ):
                    continue
                names = tuple(name for _id, name in units)
                data: dict[str, Any] = {
                    "level": item.level,
                    "threshold": item.at.astimezone(UTC).isoformat(),
                    "due_at": item.due_at.astimezone(UTC).isoformat(),
                    "units": [str(u) for u, _name in units],
                    "multi_sector": len(units) > 1,
                }
                if len(units) > 1:  # what happened, for the record: not a reason
                    data["note"] = _note(item, names)
                # The reason is the lead unit's own, typed by a person; until one is typed
                # the escalation says it is awaited rather than inventing one.
                reason = store.latest_delay_reason(conn, item.ticket_id)
                if reason is not None:
                    data["reason"] = reason
                    data["publish_reason"] = True
                else:
                    data["reason_awaited"] = True
                # Stamped on the deadline clock (the server's), like the threshold it follows.
                store.append_event(conn, item.ticket_id, ESCALATED, data, station_id, self._clock())
                recorded.append(Recorded(item, names, reason))
        return recorded


_MINUTES = {Unit.MINUTES: 1, Unit.HOURS: 60, Unit.DAYS: 1440}


def _note(item: Escalation, units: Sequence[str]) -> str:
    """What a multi-sector escalation is (no personal data: units only); the reason why it is
    late is the lead unit's to give (``explain_delay``)."""
    local = (item.due_at.astimezone(UTC) + LOCAL).strftime("%H:%M ngày %d/%m/%Y")
    return (
        f"Phản ánh {item.code} do {len(units)} đơn vị cùng xử lý ({', '.join(units)}) đã quá "
        f"hạn giải quyết ({local}) mà chưa có kết quả; chuyển {LEVEL_NAMES[item.level]} chỉ "
        "đạo để phối hợp giải quyết dứt điểm."
    )
