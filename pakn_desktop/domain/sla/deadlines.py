"""Due times of a report under a policy: forward, first response, resolve.

Calendar units (minutes, hours, days) add real elapsed time (a day is 24 h: Asia/Ho_Chi_Minh
has no daylight saving, so this is also the same wall-clock time n days later). Working units
(working_hours, working_days) count office hours on working days through the ``WorkCalendar``.

Pauses (waiting for the citizen) stop the resolve clock; approved extensions add to its
budget; a reopen starts a new, full resolve clock at the reopen time. Forward and first
response run from the original receipt and ignore all three: they are over before handling,
where pauses and extensions happen, begins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .calendar import US_PER_MINUTE, WorkCalendar
from .policy import Amount, Policy, Unit

Pause = tuple[datetime, datetime]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_CALENDAR_MINUTES = {Unit.MINUTES: 1, Unit.HOURS: 60, Unit.DAYS: 1440}


@dataclass(frozen=True, slots=True)
class Deadlines:
    """Aware datetimes in the calendar's time zone; ``first_response_due`` is ``None`` when
    the policy sets no first-response limit."""

    forward_due: datetime
    first_response_due: datetime | None
    resolve_due: datetime


def minutes_of(amount: Amount, calendar: WorkCalendar) -> float:
    """The amount in minutes of its own clock (working minutes for working units)."""
    unit = amount.unit
    if unit is Unit.WORKING_DAYS:
        return amount.value * calendar.working_day_minutes
    if unit is Unit.WORKING_HOURS:
        return amount.value * 60
    return amount.value * _CALENDAR_MINUTES[unit]


def due(
    start: datetime,
    amount: Amount,
    calendar: WorkCalendar,
    pauses: Sequence[Pause] = (),
    extensions: Sequence[Amount] = (),
) -> datetime:
    """When ``amount`` (plus ``extensions``) of clock time has run from ``start``.

    ``pauses`` are (start, end) intervals in any order, overlapping or not, during which the
    clock stops; for a pause still running, pass the current time as its end (the due time
    then moves while the pause lasts). Extensions must count on the same clock as ``amount``
    (working or calendar): adding a working day to a 30-calendar-day limit has no meaning.
    """
    # Written for speed (issue 8: ≥ 100k deadlines/s): one dict lookup decides the clock.
    per_minute = _CALENDAR_MINUTES.get(amount.unit)
    working = per_minute is None
    minutes = amount.value * per_minute if per_minute is not None else minutes_of(amount, calendar)
    for extra in extensions:
        if extra.unit.is_working is not working:
            raise ValueError(f"extension in {extra.unit} on a {amount.unit} clock")
        minutes += minutes_of(extra, calendar)
    if working:
        if not pauses:
            return calendar.add_working_time(start, minutes)
        return _paused(
            start, round(minutes * US_PER_MINUTE), pauses, calendar.coordinate, calendar.instant
        )
    if start.tzinfo is None:
        raise ValueError("naive datetime: give an aware one (time zone required)")
    if not pauses:
        # In UTC: real elapsed time, whatever the zone's offsets do in between.
        return (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(calendar.tz)
    return _paused(
        start,
        round(minutes * US_PER_MINUTE),
        pauses,
        _epoch_micros,
        lambda value, closing=True: (_EPOCH + value * _ONE_US).astimezone(calendar.tz),
    )


def _epoch_micros(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: give an aware one (time zone required)")
    return (moment - _EPOCH) // _ONE_US


def merge_pauses(pauses: Iterable[Pause]) -> list[Pause]:
    """Sorted, disjoint pauses (overlapping or touching ones joined)."""
    merged: list[Pause] = []
    for begin, end in sorted(pauses):
        if end < begin:
            raise ValueError(f"pause ends before it starts: {begin.isoformat()}")
        if merged and begin <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((begin, end))
    return merged


def _paused(
    start: datetime,
    budget: int,
    pauses: Sequence[Pause],
    coordinate: Callable[[datetime], int],
    instant: Callable[..., datetime],
) -> datetime:
    """Due time on a clock given as (coordinate, inverse): each pause that begins before the
    clock runs out pushes the target by the clock time the pause covers."""
    origin = coordinate(start)
    target = origin + budget
    for begin, end in merge_pauses(pauses):
        if end <= start:
            continue
        begin_at = max(coordinate(begin), origin)
        if begin_at >= target:
            break  # the clock ran out before this pause began
        target += coordinate(end) - begin_at
    return instant(target, closing=target > origin)


def pushed_due(due_at: datetime, pause: Pause, calendar: WorkCalendar, working: bool) -> datetime:
    """``due_at`` moved later by the clock time ``pause`` covers: working time when
    ``working`` (a working-time policy), real time otherwise; in the calendar's zone.

    The rule of ``due`` with pauses, applied to a due time already given (which may carry an
    approved extension ``resolve_due`` cannot know): a pause that begins once the clock ran
    out (at or after ``due_at`` on the clock) moves nothing, since waiting cannot undo
    lateness. Applied pause after pause, it gives what ``resolve_due`` gives with them all.
    """
    begin, end = pause
    if end < begin:
        raise ValueError(f"pause ends before it starts: {begin.isoformat()}")
    if working:
        coordinate: Callable[[datetime], int] = calendar.coordinate
        instant: Callable[..., datetime] = calendar.instant
    else:
        coordinate = _epoch_micros

        def instant(value: int, closing: bool = True) -> datetime:
            return (_EPOCH + value * _ONE_US).astimezone(calendar.tz)

    target, begin_at = coordinate(due_at), coordinate(begin)
    if begin_at >= target:
        return due_at.astimezone(calendar.tz)
    return instant(target + coordinate(end) - begin_at, closing=True)


def resolve_due(
    start: datetime,
    policy: Policy,
    calendar: WorkCalendar,
    pauses: Sequence[Pause] = (),
    extensions: Sequence[Amount] = (),
    reopened_at: datetime | None = None,
) -> datetime:
    """The resolve deadline. After a reopen the clock starts afresh (full budget) at
    ``reopened_at``: pass only the pauses and extensions of that new round (earlier pauses
    are ignored anyway, being before the new start)."""
    clock_start = start if reopened_at is None else reopened_at
    return due(clock_start, policy.resolve, calendar, pauses, extensions)


def deadlines(
    start: datetime,
    policy: Policy,
    calendar: WorkCalendar,
    pauses: Sequence[Pause] = (),
    extensions: Sequence[Amount] = (),
    reopened_at: datetime | None = None,
) -> Deadlines:
    """Every due time of ``policy`` for a report received at ``start``."""
    first_response = (
        None if policy.first_response is None else due(start, policy.first_response, calendar)
    )
    return Deadlines(
        forward_due=due(start, policy.forward, calendar),
        first_response_due=first_response,
        resolve_due=resolve_due(start, policy, calendar, pauses, extensions, reopened_at),
    )
