"""The dashboard's figures: five aggregates for a time range, as frozen dataclasses.

``snapshot`` runs on a worker (``ui/tasks.py``): a handful of GROUP BY queries walking the
ticket indexes; the GUI thread only swaps the numbers into existing plot items.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from pakn_desktop.domain.enums import OPEN_STATUSES
from pakn_desktop.domain.office_time import OFFICE_OFFSET

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.sla import SlaSettingsStore

OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))
LOCAL = OFFICE_OFFSET
FORWARD_TARGET_MIN = 5.0  # HCMC letter 2061/UBND-VX: forwarded within 5 minutes
FORWARD_EDGES_MIN = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 15.0, 30.0)
BACKLOG_EDGES = (
    timedelta(hours=1),
    timedelta(hours=4),
    timedelta(days=1),
    timedelta(days=3),
    timedelta(days=7),
    timedelta(days=30),
)
HOURLY_UP_TO = timedelta(days=7)  # longer ranges are counted per day
TOP_UNITS = 12


# Open reports by deadline state (data.deadline_sql): "paused" waits for the citizen.
STATE_KEYS = ("on_track", "at_risk", "overdue", "paused", "no_due")


@dataclass(frozen=True)
class TimeRange:
    """Reports received in [start, end) (aware datetimes)."""

    start: datetime
    end: datetime

    @property
    def unit(self) -> str:
        return "hour" if self.end - self.start <= HOURLY_UP_TO else "day"

    @property
    def step(self) -> timedelta:
        return timedelta(hours=1) if self.unit == "hour" else timedelta(days=1)


def preset_range(name: str, now: datetime) -> TimeRange:
    """ "today" (local midnight to now), "7d" or "30d" (local days, today included)."""
    local = now.astimezone(UTC) + LOCAL
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0) - LOCAL
    days = {"today": 0, "7d": 6, "30d": 29}[name]
    end = midnight + timedelta(days=1)
    return TimeRange(midnight - timedelta(days=days), end)


@dataclass(frozen=True)
class Intake:
    """Reports per channel per bucket: ``counts[c][b]`` for channel ``channels[c]`` and bucket
    ``starts[b]`` (each ``step`` long)."""

    channels: tuple[tuple[str, str], ...]  # (code, name)
    starts: tuple[datetime, ...]
    step: timedelta
    counts: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class UnitRate:
    unit_id: uuid.UUID
    name: str
    closed: int
    on_time: int

    @property
    def rate(self) -> float:
        return self.on_time / self.closed if self.closed else 0.0


@dataclass(frozen=True)
class ForwardDays:
    """Reports forwarded within their forward deadline (5 minutes) and late, per office day
    of receipt: ``on_time[d]`` and ``late[d]`` for the day starting at ``starts[d]``."""

    starts: tuple[datetime, ...]
    on_time: tuple[int, ...]
    late: tuple[int, ...]


@dataclass(frozen=True)
class Snapshot:
    range: TimeRange
    now: datetime
    at_risk_share: float
    intake: Intake
    by_state: dict[str, int]  # on_track, at_risk, overdue, paused, no_due
    units: tuple[UnitRate, ...]  # top N by closed reports, best rate first
    backlog_edges: tuple[timedelta, ...]
    backlog: tuple[int, ...]
    forward_edges_min: tuple[float, ...]
    forward: tuple[int, ...]
    seconds: float
    forward_days: ForwardDays = ForwardDays(
        (), (), ()
    )  # time the queries took (the worker's part of a refresh)


def _bucket_start(key: str, unit: str) -> datetime:
    if unit == "hour":
        return datetime.strptime(key, "%Y-%m-%d %H").replace(tzinfo=UTC)
    return datetime.strptime(key, "%Y-%m-%d").replace(tzinfo=UTC) - LOCAL


class DashboardService:
    """``database`` is an open Database or a function giving one (called on a worker)."""

    def __init__(
        self,
        database: Database | Callable[[], Database],
        *,
        clock: Callable[[], datetime] | None = None,
        top_units: int = TOP_UNITS,
    ) -> None:
        self._database = database
        self._clock = clock or (lambda: datetime.now(UTC))
        self._top = top_units

    def now(self) -> datetime:
        return self._clock()

    def settings_store(self) -> SlaSettingsStore:
        """The deadline settings, for the dialog the dashboard opens."""
        from pakn_desktop.services.sla import SlaSettingsStore

        return SlaSettingsStore(self._database)

    def _db(self) -> Database:
        database = self._database
        return database() if callable(database) else database

    def snapshot(self, range_: TimeRange, now: datetime | None = None) -> Snapshot:
        from pakn_desktop.data import dashboard as q
        from pakn_desktop.data import forward_watch, tally_read
        from pakn_desktop.data.settings.rows import read
        from pakn_desktop.data.settings.sla import AT_RISK_SHARE

        now = now or self._clock()
        start, end = range_.start, range_.end
        tick = time.perf_counter()
        # One snapshot: the tally's figures and the few rows counted beside them agree.
        with self._db().engine.connect() as conn, conn.begin():
            # The share is baked into each report's at_risk_at; the snapshot names it.
            share = read(conn, AT_RISK_SHARE)
            channels = tuple(q.channels(conn))
            codes = [c for c, _ in channels]
            # The tally answers ranges of whole hours (intake) or office days; a range cut
            # elsewhere is counted on the reports (the presets never are).
            intake_rows = tally_read.intake(conn, start, end, range_.unit, codes)
            if intake_rows is None:
                intake_rows = q.intake(conn, start, end, range_.unit, codes)
            by_state = tally_read.open_by_state(conn, now)
            units = tally_read.on_time_by_unit(conn, start, end)
            if units is None:
                units = q.on_time_by_unit(conn, start, end)
            backlog = tally_read.backlog_ages(conn, now, BACKLOG_EDGES)
            forward = tally_read.forward_minutes(conn, start, end, FORWARD_EDGES_MIN)
            if forward is None:
                forward = q.forward_minutes(conn, start, end, FORWARD_EDGES_MIN)
            forward_days = tally_read.forwarded_per_day(conn, start, end)
            if forward_days is None:
                forward_days = forward_watch.forwarded_per_bucket(conn, start, end, q.day_bucket)
        seconds = time.perf_counter() - tick
        return Snapshot(
            range=range_,
            now=now,
            at_risk_share=share,
            intake=_intake(channels, intake_rows, range_),
            by_state={k: by_state.get(k, 0) for k in STATE_KEYS},
            units=_top_units(units, self._top),
            backlog_edges=BACKLOG_EDGES,
            backlog=tuple(backlog),
            forward_edges_min=FORWARD_EDGES_MIN,
            forward=tuple(forward),
            seconds=seconds,
            forward_days=_forward_days(forward_days, range_),
        )


def _intake(
    channels: tuple[tuple[str, str], ...],
    rows: list[tuple[str, str, int]],
    range_: TimeRange,
) -> Intake:
    step, unit = range_.step, range_.unit
    starts: list[datetime] = []
    moment = range_.start
    while moment < range_.end:
        starts.append(moment)
        moment += step
    index = {s: i for i, s in enumerate(starts)}
    grid = {code: [0] * len(starts) for code, _ in channels}
    for code, key, n in rows:
        b = index.get(_bucket_start(key, unit))
        if b is not None and code in grid:
            grid[code][b] += n
    used = tuple((c, name) for c, name in channels if any(grid[c]))  # no empty legend rows
    return Intake(
        channels=used,
        starts=tuple(starts),
        step=step,
        counts=tuple(tuple(grid[c]) for c, _ in used),
    )


def _top_units(rows: list[tuple[uuid.UUID, str, int, int]], top: int) -> tuple[UnitRate, ...]:
    busiest = sorted(rows, key=lambda r: (-r[2], r[1]))[:top]
    rates = [UnitRate(u, name, n, ok) for u, name, n, ok in busiest]
    return tuple(sorted(rates, key=lambda r: (-r.rate, -r.closed, r.name)))


def _forward_days(rows: list[tuple[str, int, int]], range_: TimeRange) -> ForwardDays:
    """Every office day of the range, those without forwards at zero."""
    local = range_.start.astimezone(UTC) + LOCAL
    first = local.replace(hour=0, minute=0, second=0, microsecond=0) - LOCAL
    starts: list[datetime] = []
    moment = first
    while moment < range_.end:
        starts.append(moment)
        moment += timedelta(days=1)
    index = {s: i for i, s in enumerate(starts)}
    on_time, late = [0] * len(starts), [0] * len(starts)
    for key, ok, slow in rows:
        d = index.get(_bucket_start(key, "day"))
        if d is not None:
            on_time[d] += ok
            late[d] += slow
    return ForwardDays(tuple(starts), tuple(on_time), tuple(late))
