"""The daily steering-committee report's figures ("Báo cáo tổng hợp hằng ngày"), as values.

Plain frozen dataclasses in ``domain`` because two layers meet on them: the service that
computes them (``services.reports.daily``, over the dashboard's SQL) and the workbook writer
(``reports.daily_workbook``), which may not import services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from .office_time import OFFICE_OFFSET, OFFICE_ZONE

DEFAULT_CUTOFF = time(7, 0)  # the HCMC centres close their day at 07:00


@dataclass(frozen=True)
class Period:
    """Reports received in [start, end) (aware UTC); ``day`` is the report's date, the day
    whose cut-off ends the period (the report of 7/12 at 07:00 covers 6/12 07:00 → 7/12
    07:00, on the office's clock)."""

    day: date
    cutoff: time
    days: int
    start: datetime
    end: datetime

    def shifted(self, days: int) -> Period:
        delta = timedelta(days=days)
        day = self.day + delta
        return Period(day, self.cutoff, self.days, self.start + delta, self.end + delta)


def daily_period(day: date, cutoff: time = DEFAULT_CUTOFF, days: int = 1) -> Period:
    """The ``days`` office days ending at ``cutoff`` on ``day`` (office clock, fixed +7 h)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    end_local = datetime.combine(day, cutoff)
    end = (end_local - OFFICE_OFFSET).replace(tzinfo=UTC)
    return Period(day, cutoff, days, end - timedelta(days=days), end)


@dataclass(frozen=True)
class Headline:
    """One period's main figures, for the comparison columns."""

    received: int
    forwarded_on_time: int  # within the forward deadline (5 minutes)
    forwarded_late: int
    closed: int  # closed reports with a due time, received in the period
    closed_on_time: int

    @property
    def on_time_rate(self) -> float | None:
        return self.closed_on_time / self.closed if self.closed else None

    @property
    def forward_rate(self) -> float | None:
        forwarded = self.forwarded_on_time + self.forwarded_late
        return self.forwarded_on_time / forwarded if forwarded else None


@dataclass(frozen=True)
class UnitLine:
    """One lead unit's reports received in the period."""

    name: str
    received: int
    on_time: int  # closed within the unit's deadline
    late: int  # closed after it
    in_progress: int  # open, not overdue at ``as_of``
    overdue: int  # open and overdue at ``as_of``


@dataclass(frozen=True)
class OverdueLine:
    """An open report past its deadline at ``as_of`` (whenever it was received)."""

    code: str
    received_at: datetime
    due_at: datetime
    unit: str
    summary: str  # reporter identity masked
    status: str  # Vietnamese word
    reason: str  # the unit's last reason for the delay, "" if none
    escalations: int  # "escalated" events on its timeline


@dataclass(frozen=True)
class DetailLine:
    """A report received in the period, its reporter's identity masked out of its summary."""

    code: str
    received_at: datetime
    channel: str
    category: str
    kind: str
    summary: str
    unit: str
    status: str
    due_at: datetime | None
    closed_at: datetime | None
    forwarded_on_time: bool | None


@dataclass(frozen=True)
class DailyFigures:
    period: Period
    as_of: datetime  # the moment open reports' states are judged at
    headline: Headline
    previous_day: Headline  # the period just before, as long (the day before for one day)
    last_week: Headline  # the same period seven days earlier
    by_channel: tuple[tuple[str, int], ...]  # (name, received), the list's order, zeros kept
    by_category: tuple[tuple[str, int], ...]  # only those received, most first
    by_kind: tuple[tuple[str, int], ...]
    units: tuple[UnitLine, ...]  # most received first
    overdue: tuple[OverdueLine, ...]  # oldest deadline first
    details: tuple[DetailLine, ...]  # in order of receipt


def _change(now: float | None, then: float | None) -> float | None:
    return None if now is None or then is None else now - then


def headline_rows(f: DailyFigures) -> list[list[Any]]:
    """The summary's main rows: label, this period, the period before, the same period last
    week, and the two changes (the workbook and the Reports screen's preview: one wording)."""

    def row(label: str, pick: Any) -> list[Any]:
        today, day, week = pick(f.headline), pick(f.previous_day), pick(f.last_week)
        return [label, today, day, week, _change(today, day), _change(today, week)]

    def rate(h: Headline) -> float | None:
        return h.on_time_rate

    def fwd(h: Headline) -> float | None:
        return h.forward_rate

    return [
        row("Tổng số phản ánh, kiến nghị tiếp nhận", lambda h: h.received),
        row("Chuyển xử lý trong 5 phút", lambda h: h.forwarded_on_time),
        row("Chuyển xử lý quá 5 phút", lambda h: h.forwarded_late),
        row("Tỷ lệ chuyển xử lý trong 5 phút", fwd),
        row("Đã có kết quả (trong số tiếp nhận)", lambda h: h.closed),
        row("Có kết quả trong hạn của đơn vị", lambda h: h.closed_on_time),
        row("Tỷ lệ có kết quả đúng hạn", rate),
    ]


RATE_ROWS = (3, 6)  # indexes of the rate rows in headline_rows: shown as percentages


def office_naive(moment: datetime) -> datetime:
    """An aware instant as a naive office wall-clock time: what an Excel cell holds."""
    return moment.astimezone(OFFICE_ZONE).replace(tzinfo=None)
