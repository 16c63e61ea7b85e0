"""Where a report stands against one deadline: on track, at risk, overdue, or done."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from enum import StrEnum

from .calendar import WorkCalendar
from .deadlines import _EPOCH, _ONE_US, Pause, _epoch_micros, _paused, merge_pauses

DEFAULT_AT_RISK_SHARE = 0.8


class DeadlineState(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    DONE = "done"


def _measure(calendar: WorkCalendar | None) -> Callable[[datetime], int]:
    """The clock's coordinate (µs): working time with a calendar, else real time."""
    return _epoch_micros if calendar is None else calendar.coordinate


def _running(
    a: datetime, b: datetime, pauses: Sequence[Pause], coordinate: Callable[[datetime], int]
) -> int:
    """Clock µs from ``a`` to ``b`` (``b`` ≥ ``a``) outside the pauses."""
    low, high = coordinate(a), coordinate(b)
    total = high - low
    for begin, end in merge_pauses(pauses):
        overlap = min(coordinate(end), high) - max(coordinate(begin), low)
        if overlap > 0:
            total -= overlap
    return total


def used_share(
    now: datetime,
    start: datetime,
    due: datetime,
    calendar: WorkCalendar | None = None,
    pauses: Sequence[Pause] = (),
) -> float:
    """Share of the time from ``start`` to ``due`` used by ``now`` (0 before start, may pass 1).

    With ``calendar`` the share is of working time, so a working-day deadline does not turn
    "at risk" overnight while nobody can act; without it, of real time. Time inside
    ``pauses`` (waiting for the citizen; a running pause ends at ``now``) counts on neither
    side: ``due`` is then the paused due time (``domain.sla.due`` with the same pauses).
    """
    if pauses:
        coordinate = _measure(calendar)
        total = _running(start, due, pauses, coordinate)
        used = _running(start, now, pauses, coordinate) if now > start else 0
    elif calendar is None:
        total = (due - start) // _ONE_US
        used = (now - start) // _ONE_US
    else:
        total = calendar.working_micros_between(start, due)
        used = calendar.working_micros_between(start, now)
    if total <= 0:
        return 1.0 if now >= due else 0.0
    return max(used, 0) / total


def deadline_state(
    now: datetime,
    start: datetime,
    due: datetime,
    at_risk_share: float = DEFAULT_AT_RISK_SHARE,
    *,
    calendar: WorkCalendar | None = None,
    done_at: datetime | None = None,
    pauses: Sequence[Pause] = (),
) -> DeadlineState:
    """DONE once ``done_at`` is set (whether on time is ``done_at <= due``); OVERDUE after
    ``due``; AT_RISK once ``at_risk_share`` of the running time is used; else ON_TRACK.

    Overdue is judged on the real clock (a working-time share stays at 1 all evening after a
    17:00 deadline, yet the report is late); ``due`` itself is still in time. ``pauses``
    stop the clock (see ``used_share``): a report waiting for the citizen does not drift
    into "at risk" while it waits.
    """
    if not 0 <= at_risk_share <= 1:
        raise ValueError(f"at_risk_share must be within [0, 1]: {at_risk_share}")
    if done_at is not None and done_at <= now:
        return DeadlineState.DONE
    if now > due:
        return DeadlineState.OVERDUE
    if used_share(now, start, due, calendar, pauses) >= at_risk_share:
        return DeadlineState.AT_RISK
    return DeadlineState.ON_TRACK


def at_risk_at(
    start: datetime,
    due: datetime,
    at_risk_share: float = DEFAULT_AT_RISK_SHARE,
    calendar: WorkCalendar | None = None,
    pauses: Sequence[Pause] = (),
) -> datetime:
    """The first instant ``deadline_state`` says AT_RISK (before ``due``): where
    ``at_risk_share`` of the running time is used. Stored on the report (``ticket.at_risk_at``)
    so SQL compares a column: the queue filter, the dashboard and the alerts agree.

    Rounded up to the µs, so at the returned instant the used share is ≥ the threshold.
    """
    if not 0 <= at_risk_share <= 1:
        raise ValueError(f"at_risk_share must be within [0, 1]: {at_risk_share}")
    if pauses:
        coordinate = _measure(calendar)
        span = _running(start, due, pauses, coordinate)
        if span <= 0:
            return due
        budget = math.ceil(span * at_risk_share)
        if calendar is None:
            tz = start.tzinfo

            def instant(value: int, closing: bool = True) -> datetime:
                return (_EPOCH + value * _ONE_US).astimezone(tz)

            moment = _paused(start, budget, pauses, coordinate, instant)
        else:
            moment = _paused(start, budget, pauses, coordinate, calendar.instant)
        return min(moment, due)
    if calendar is None:
        total = due - start
        if total.total_seconds() <= 0:
            return due
        micros = -((-total // timedelta(microseconds=1)) * at_risk_share // 1)  # ceil
        return start + timedelta(microseconds=int(micros))
    origin = calendar.coordinate(start)
    span = calendar.coordinate(due) - origin
    if span <= 0:
        return due
    moment = calendar.instant(origin + math.ceil(span * at_risk_share), closing=True)
    return min(moment, due)


def report_at_risk_at(
    received: datetime,
    due: datetime,
    working: bool,
    at_risk_share: float,
    calendar: WorkCalendar,
    pauses: Sequence[Pause] = (),
) -> datetime:
    """A report's at-risk moment, measured on the clock its resolve deadline counts on:
    working time for a working-time policy (a working-day deadline does not turn "at risk"
    overnight), real time for a calendar one (the 60-minute rule runs around the clock, as the
    hotline does; a working share of 20:00–21:00 would be empty)."""
    return at_risk_at(received, due, at_risk_share, calendar if working else None, pauses)


def forward_at_risk_at(
    received: datetime, forward_due: datetime, at_risk_share: float = DEFAULT_AT_RISK_SHARE
) -> datetime:
    """When a report not yet forwarded turns "at risk of a late forward" (sắp quá hạn chuyển).

    Always on the real clock, whatever the policy's resolve clock: the forward limit is
    calendar minutes (HCMC letter 2061/UBND-VX: "trong vòng 05 phút" from reception, a hotline
    answering around the clock), so 10:00 → due 10:05 → at risk at 10:04 with the 80 % share,
    at 23:58 as at 10:00, on a Sunday as on a Monday. Stored as ``ticket.forward_at_risk_at``.
    """
    return at_risk_at(received, forward_due, at_risk_share, None)
