"""Where a report stands against one deadline: on track, at risk, overdue, or done."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from enum import StrEnum

from .calendar import WorkCalendar

DEFAULT_AT_RISK_SHARE = 0.8


class DeadlineState(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    DONE = "done"


def used_share(
    now: datetime, start: datetime, due: datetime, calendar: WorkCalendar | None = None
) -> float:
    """Share of the time from ``start`` to ``due`` used by ``now`` (0 before start, may pass 1).

    With ``calendar`` the share is of working time, so a working-day deadline does not turn
    "at risk" overnight while nobody can act; without it, of real time.
    """
    if calendar is None:
        total = (due - start).total_seconds()
        used = (now - start).total_seconds()
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
) -> DeadlineState:
    """DONE once ``done_at`` is set (whether on time is ``done_at <= due``); OVERDUE after
    ``due``; AT_RISK once ``at_risk_share`` of the time is used; else ON_TRACK.

    Overdue is judged on the real clock (a working-time share stays at 1 all evening after a
    17:00 deadline, yet the report is late); ``due`` itself is still in time.
    """
    if not 0 <= at_risk_share <= 1:
        raise ValueError(f"at_risk_share must be within [0, 1]: {at_risk_share}")
    if done_at is not None and done_at <= now:
        return DeadlineState.DONE
    if now > due:
        return DeadlineState.OVERDUE
    if used_share(now, start, due, calendar) >= at_risk_share:
        return DeadlineState.AT_RISK
    return DeadlineState.ON_TRACK


def at_risk_at(
    start: datetime,
    due: datetime,
    at_risk_share: float = DEFAULT_AT_RISK_SHARE,
    calendar: WorkCalendar | None = None,
) -> datetime:
    """The first instant ``deadline_state`` says AT_RISK (before ``due``): where
    ``at_risk_share`` of the time is used. Lets a screen colour a cached row with two
    comparisons (now ≥ at_risk_at, now > due) instead of calendar arithmetic per paint.

    Rounded up to the µs, so at the returned instant the used share is ≥ the threshold.
    """
    if not 0 <= at_risk_share <= 1:
        raise ValueError(f"at_risk_share must be within [0, 1]: {at_risk_share}")
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
