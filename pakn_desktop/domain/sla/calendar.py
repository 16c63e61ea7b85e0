"""Working time: office hours, weekends, public holidays and swapped days, to the microsecond.

Every instant maps to a *working coordinate*: the working time (µs) elapsed from an origin day
to that instant. The map is monotonic and flat outside office hours, so adding working time is
"coordinate + amount, then back to an instant", and measuring it is a subtraction. Whole days
are skipped with two precomputed tables (working days before each day, and the n-th working
day), so no computation walks minutes or days one by one.

Conventions (the tests pin them):

* A deadline that lands exactly on a closing time is that closing time (11:30, 17:00), never
  the next opening: it is the earliest instant at which the working time has run out.
* A start outside office hours counts from the next opening; adding zero working time to it
  gives that opening.
* ``add_working_days(start, n)`` adds ``n`` lengths of a working day of working time (8 h by
  default). Since every working day has the same office hours, this is "the same moment of the
  n-th next working day": 16:45 on a Wednesday + 1 working day = 16:45 on Thursday; a start
  outside office hours starts at the next opening, so 20:00 Friday + 1 working day = 17:00 on
  Monday (the whole of Monday).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from typing import NamedTuple
from zoneinfo import ZoneInfo

from pakn_desktop.domain.office_time import OFFICE_ZONE_NAME

DEFAULT_TIME_ZONE = OFFICE_ZONE_NAME
DEFAULT_OFFICE_HOURS: tuple[tuple[time, time], ...] = (
    (time(7, 30), time(11, 30)),
    (time(13, 0), time(17, 0)),
)
DEFAULT_WEEKDAYS: frozenset[int] = frozenset(range(5))  # date.weekday(): Monday = 0

US_PER_MINUTE = 60_000_000
_US_PER_SECOND = 1_000_000
_US_PER_DAY = 86_400 * _US_PER_SECOND
# Margin kept on both sides of the configured exceptions, so ordinary use never rebuilds.
_MARGIN_DAYS = 3 * 366
_MIDNIGHTS_KEPT = 100_000


class _Tables(NamedTuple):
    """Per-day data over a span of days; ``before`` has one more entry than there are days."""

    first: int  # ordinal of the first day held
    origin: int  # working days counted before ``first`` (fixes the coordinates' origin)
    before: list[int]  # working days before each day, from the coordinates' origin
    nth: list[int]  # ordinal of each working day held, from index ``origin``
    flags: bytearray  # 1 on a working day


def _micros(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US_PER_SECOND + t.microsecond


class WorkCalendar:
    """Office hours on working days in one time zone.

    A day works when its weekday is in ``weekdays`` and it is not a holiday or a day off, or
    when it is a swapped working day (``workdays``: ngày làm bù, e.g. a Saturday worked). Every
    working day has the same ``office_hours``. Instances are read-only after construction,
    except for the internal day tables, which grow (by replacement, never in place) when a
    date outside them is asked for.
    """

    __slots__ = (
        "_day_minutes",
        "_day_us",
        "_holidays",
        "_intervals",
        "_midnights",
        "_tables",
        "_tz",
        "_weekdays",
        "_workdays",
        "office_hours",
        "time_zone",
    )

    def __init__(
        self,
        office_hours: Sequence[tuple[time, time]] = DEFAULT_OFFICE_HOURS,
        weekdays: Iterable[int] = DEFAULT_WEEKDAYS,
        holidays: Iterable[date] = (),
        workdays: Iterable[date] = (),
        days_off: Iterable[date] = (),
        tz: str = DEFAULT_TIME_ZONE,
    ) -> None:
        self.office_hours = tuple(office_hours)
        self.time_zone = tz
        self._tz: tzinfo = ZoneInfo(tz)
        self._weekdays = frozenset(weekdays)
        if not self._weekdays or not self._weekdays <= set(range(7)):
            raise ValueError("weekdays must be a non-empty subset of 0..6 (Monday = 0)")
        closed = frozenset(holidays) | frozenset(days_off)
        self._workdays = frozenset(workdays)
        both = closed & self._workdays
        if both:
            raise ValueError(f"days both closed and worked: {sorted(both)}")
        self._holidays = closed
        self._intervals = self._check_intervals(self.office_hours)
        self._day_us = sum(end - start for start, end, _ in self._intervals)
        self._day_minutes = self._day_us / US_PER_MINUTE
        self._midnights: dict[int, datetime] = {}
        exceptions = closed | self._workdays
        today = date.today()
        first = min(exceptions, default=today)
        last = max(exceptions, default=today)
        self._tables = self._build(
            first.toordinal() - _MARGIN_DAYS, last.toordinal() + _MARGIN_DAYS
        )

    @staticmethod
    def _check_intervals(
        office_hours: Sequence[tuple[time, time]],
    ) -> tuple[tuple[int, int, int], ...]:
        """(start µs, end µs, working µs before it) per interval; sorted and disjoint."""
        if not office_hours:
            raise ValueError("office_hours must hold at least one interval")
        out: list[tuple[int, int, int]] = []
        before = 0
        previous_end = -1
        for start, end in office_hours:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("office hours are local wall-clock times (no tzinfo)")
            s, e = _micros(start), _micros(end)
            if not s < e or s < previous_end:
                raise ValueError("office hours must be increasing, non-overlapping intervals")
            out.append((s, e, before))
            before += e - s
            previous_end = e
        return tuple(out)

    # --- day tables -------------------------------------------------------------------

    def _works(self, day: date) -> bool:
        if day in self._workdays:
            return True
        return day.weekday() in self._weekdays and day not in self._holidays

    def _build(self, first: int, last: int, origin: int = 0) -> _Tables:
        """Day tables for ordinals ``first..last``; ``origin``: working days counted before
        ``first``, so coordinates stay the same whichever tables computed them."""
        before = [origin]
        nth: list[int] = []
        flags = bytearray()
        count = origin
        weekday = date.fromordinal(first).weekday()
        exceptions = self._holidays | self._workdays
        for offset in range(last - first + 1):
            if exceptions:
                works = self._works(date.fromordinal(first + offset))
            else:
                works = (weekday + offset) % 7 in self._weekdays
            if works:
                nth.append(first + offset)
                count += 1
            flags.append(works)
            before.append(count)
        return _Tables(first, origin, before, nth, flags)

    def _cover(self, ordinal: int) -> _Tables:
        """Tables holding ``ordinal``, grown (replaced whole, never in place) when needed."""
        tables = self._tables
        if tables.first <= ordinal < tables.first + len(tables.flags):
            return tables
        first = min(tables.first, ordinal - _MARGIN_DAYS)
        last = max(tables.first + len(tables.flags) - 1, ordinal + _MARGIN_DAYS)
        grown = self._build(first, last)
        # Re-anchor so the coordinates of days both tables hold do not change.
        shift = tables.origin - grown.before[tables.first - first]
        if shift:
            grown = self._build(first, last, shift)
        self._tables = grown
        return grown

    def _nth(self, k: int) -> int:
        """Ordinal of the working day with absolute index ``k``."""
        tables = self._tables
        while not tables.origin <= k < tables.origin + len(tables.nth):
            edge = tables.first - 1 if k < tables.origin else tables.first + len(tables.flags)
            tables = self._cover(edge)
        return tables.nth[k - tables.origin]

    # --- days -------------------------------------------------------------------------

    @property
    def tz(self) -> tzinfo:
        return self._tz

    @property
    def working_day_minutes(self) -> float:
        """Working time in one working day (480 with the default office hours)."""
        return self._day_minutes

    def is_working_day(self, day: date) -> bool:
        ordinal = day.toordinal()
        tables = self._cover(ordinal)
        return bool(tables.flags[ordinal - tables.first])

    def working_intervals(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The office-hours intervals of ``day`` as aware datetimes; empty on a day off."""
        if not self.is_working_day(day):
            return ()
        ordinal = day.toordinal()
        return tuple((self._at(ordinal, s), self._at(ordinal, e)) for s, e, _ in self._intervals)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        ordinal = day.toordinal()
        tables = self._cover(ordinal)
        return date.fromordinal(self._nth(tables.before[ordinal - tables.first + 1]))

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in ``[a, b)`` (negative when ``b`` is before ``a``)."""
        return self._before(b.toordinal()) - self._before(a.toordinal())

    def _before(self, ordinal: int) -> int:
        tables = self._cover(ordinal)
        return tables.before[ordinal - tables.first]

    # --- instants <-> working coordinates ---------------------------------------------

    def _local(self, moment: datetime) -> tuple[int, int]:
        """(local ordinal, µs since local midnight) of an aware datetime."""
        if moment.tzinfo is None:
            raise ValueError("naive datetime: give an aware one (time zone required)")
        if moment.tzinfo is not self._tz:
            moment = moment.astimezone(self._tz)
        micros = (
            (moment.hour * 60 + moment.minute) * 60 + moment.second
        ) * _US_PER_SECOND + moment.microsecond
        return moment.toordinal(), micros

    def _at(self, ordinal: int, micros: int) -> datetime:
        # Wall-clock construction: right for zones without DST, such as Asia/Ho_Chi_Minh.
        # Midnights are cached: building an aware datetime from scratch was half the cost of
        # a deadline. A few thousand days cover years of use; the cap only guards misuse.
        midnight = self._midnights.get(ordinal)
        if midnight is None:
            if len(self._midnights) > _MIDNIGHTS_KEPT:
                self._midnights.clear()
            midnight = datetime.fromordinal(ordinal).replace(tzinfo=self._tz)
            self._midnights[ordinal] = midnight
        return midnight + timedelta(microseconds=micros)

    def _coordinate(self, ordinal: int, micros: int) -> int:
        """Working µs from the (fixed) origin of the coordinates to this local instant."""
        tables = self._tables
        i = ordinal - tables.first
        if not 0 <= i < len(tables.flags):
            tables = self._cover(ordinal)
            i = ordinal - tables.first
        value = tables.before[i] * self._day_us
        if tables.flags[i]:
            for s, e, w in self._intervals:
                if micros <= s:
                    return value + w
                if micros < e:
                    return value + w + micros - s
            return value + self._day_us
        return value

    def _instant(self, value: int, *, at_close: bool) -> datetime:
        """The working instant of coordinate ``value``.

        ``at_close``: a coordinate on an interval boundary is its closing time (the earliest
        instant that much working time has passed); otherwise the next opening.
        """
        if at_close:
            k, rem = divmod(value - 1, self._day_us)
            rem += 1  # in (0, day]
        else:
            k, rem = divmod(value, self._day_us)  # in [0, day)
        ordinal = self._nth(k)
        for s, e, w in self._intervals:
            if rem < w + e - s or (at_close and rem == w + e - s):
                return self._at(ordinal, s + rem - w)
        raise AssertionError("unreachable: rem is within one working day")

    def coordinate(self, moment: datetime) -> int:
        """Working µs from a fixed origin to ``moment``: differences are working time."""
        return self._coordinate(*self._local(moment))

    def instant(self, coordinate: int, *, closing: bool = True) -> datetime:
        """The earliest working instant at ``coordinate`` (inverse of ``coordinate``).

        ``closing``: a coordinate that is the end of an office-hours interval gives its
        closing time (a deadline); otherwise the next opening (a start).
        """
        return self._instant(coordinate, at_close=closing)

    # --- public arithmetic --------------------------------------------------------------

    def is_working_instant(self, moment: datetime) -> bool:
        """On a working day, within office hours (both ends included)."""
        ordinal, micros = self._local(moment)
        if not self.is_working_day(date.fromordinal(ordinal)):
            return False
        return any(s <= micros <= e for s, e, _ in self._intervals)

    def next_opening(self, moment: datetime) -> datetime:
        """``moment`` itself when it is a working instant, else the next opening."""
        return self.add_working_time(moment, 0)

    def add_working_time(self, start: datetime, minutes: float) -> datetime:
        """The earliest working instant by which ``minutes`` of working time have passed."""
        if minutes < 0:
            raise ValueError("minutes must be ≥ 0")
        amount = round(minutes * US_PER_MINUTE)
        ordinal, micros = self._local(start)
        value = self._coordinate(ordinal, micros)
        if amount:
            return self._instant(value + amount, at_close=True)
        tables = self._tables
        if tables.flags[ordinal - tables.first]:
            for s, e, _ in self._intervals:
                if s <= micros <= e:
                    return start.astimezone(self._tz)
        return self._instant(value, at_close=False)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """``days`` working days of working time later (see the module docstring)."""
        if days < 0:
            raise ValueError("days must be ≥ 0")
        return self.add_working_time(start, days * self.working_day_minutes)

    def working_micros_between(self, a: datetime, b: datetime) -> int:
        """Working µs from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
        return self.coordinate(b) - self.coordinate(a)

    def working_minutes_between(self, a: datetime, b: datetime) -> float:
        """Working minutes from ``a`` to ``b``; exact whenever the answer is whole minutes."""
        return self.working_micros_between(a, b) / US_PER_MINUTE

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(tz={self.time_zone!r}, office_hours={self.office_hours!r}, "
            f"weekdays={sorted(self._weekdays)!r}, exceptions={len(self._holidays)}+"
            f"{len(self._workdays)})"
        )


__all__ = [
    "DEFAULT_OFFICE_HOURS",
    "DEFAULT_TIME_ZONE",
    "DEFAULT_WEEKDAYS",
    "US_PER_MINUTE",
    "WorkCalendar",
]
