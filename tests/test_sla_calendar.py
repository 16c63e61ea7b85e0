"""The working-time calendar: hand-computed cases (Tết 2027, swapped days) and properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pakn_desktop.domain.sla import WorkCalendar
from tests.sla_calendars import TZ, at, vn_calendar

# --- Tết 2027 -------------------------------------------------------------------------


def test_tet_2027_as_the_holidays_package_states_it() -> None:
    # The facts the Tết case below rests on, read from holidays.VN: 29 Tết (Thu 4 Feb 2027)
    # to Mùng năm (Wed 10 Feb) off, no swapped working day in 2027 (only 22 Aug 2026 nearby).
    package = holidays.country_holidays("VN", years=(2026, 2027))
    tet = [date(2027, 2, d) for d in range(4, 11)]
    assert all(day in package for day in tet)
    assert date(2027, 2, 3) not in package and date(2027, 2, 11) not in package
    swapped = {d for d in getattr(package, "weekend_workdays", ()) if d.year in (2026, 2027)}
    assert swapped == {date(2026, 8, 22)}
    calendar = vn_calendar()
    assert calendar.is_working_day(date(2027, 2, 3))  # Wed: the last working day before Tết
    assert not any(calendar.is_working_day(d) for d in tet)
    assert calendar.next_working_day(date(2027, 2, 3)) == date(2027, 2, 11)  # Thu


def test_1645_on_the_last_working_day_before_tet_plus_one_working_day() -> None:
    # Wed 3 Feb 2027 16:45 → 15 min left that day (16:45–17:00); 480 − 15 = 465 remain.
    # Thu 4 – Wed 10 Feb: Tết (and the weekend of 6–7 Feb). Thu 11 Feb: 07:30–11:30 = 240,
    # 465 − 240 = 225 from 13:00 → 16:45. Same moment, first working day after Tết.
    calendar = vn_calendar()
    start = at(2027, 2, 3, 16, 45)
    due = calendar.add_working_days(start, 1)
    assert due == at(2027, 2, 11, 16, 45)
    assert due.utcoffset() == timedelta(hours=7)
    assert calendar.working_minutes_between(start, due) == 480
    # Two working hours from the same start: 15 on Wed, 105 on Thu 11 Feb → 07:30 + 105 = 09:15.
    assert calendar.add_working_time(start, 120) == at(2027, 2, 11, 9, 15)


# --- swapped days -------------------------------------------------------------------------


def test_a_configured_swapped_saturday_is_worked() -> None:
    # Saturday 7 Mar 2026 configured as a working day (làm bù), Monday 9 Mar off in exchange.
    # Fri 6 Mar 16:00 + 1 working day: Fri 16:00–17:00 = 60; Sat 07:30–11:30 = 240 (300);
    # Sat 13:00 + 180 = 16:00 Saturday.
    swapped = WorkCalendar(workdays={date(2026, 3, 7)}, days_off={date(2026, 3, 9)})
    plain = WorkCalendar()
    start = at(2026, 3, 6, 16, 0)
    assert swapped.add_working_days(start, 1) == at(2026, 3, 7, 16, 0)
    assert plain.add_working_days(start, 1) == at(2026, 3, 9, 16, 0)
    # Sat 7 Mar 16:00 + 1 working day: Sat 60 more; Sun off, Mon 9 Mar off (swap) → Tue 16:00.
    assert swapped.add_working_days(at(2026, 3, 7, 16, 0), 1) == at(2026, 3, 10, 16, 0)
    assert swapped.working_intervals(date(2026, 3, 7)) == (
        (at(2026, 3, 7, 7, 30), at(2026, 3, 7, 11, 30)),
        (at(2026, 3, 7, 13, 0), at(2026, 3, 7, 17, 0)),
    )
    assert swapped.working_intervals(date(2026, 3, 9)) == ()


def test_the_packages_swap_of_august_2026() -> None:
    # holidays.VN: Sat 22 Aug 2026 worked, in exchange for Mon 31 Aug off; 1–2 Sep Quốc khánh.
    calendar = vn_calendar()
    # Fri 21 Aug 16:45 + 1 working day: 15 on Fri, 465 on Sat 22 → 16:45 Saturday.
    assert calendar.add_working_days(at(2026, 8, 21, 16, 45), 1) == at(2026, 8, 22, 16, 45)
    # Fri 28 Aug 16:45: 15 on Fri; Sat 29, Sun 30 weekend; Mon 31 swap day off; Tue 1 and
    # Wed 2 Sep national day → Thu 3 Sep 16:45.
    assert calendar.add_working_days(at(2026, 8, 28, 16, 45), 1) == at(2026, 9, 3, 16, 45)


# --- starts outside office hours -------------------------------------------------------------


def test_a_start_in_the_lunch_break_counts_from_1300() -> None:
    calendar = WorkCalendar()
    lunch = at(2026, 3, 4, 12, 10)  # Wednesday
    # Nothing counts until 13:00: + 120 working minutes → 15:00.
    assert calendar.add_working_time(lunch, 120) == at(2026, 3, 4, 15, 0)
    assert calendar.next_opening(lunch) == at(2026, 3, 4, 13, 0)
    # + 1 working day: the morning (240) is behind; 240 on Wed afternoon, then Thu's
    # 240-minute morning ends the clock at 11:30 Thursday (a deadline at a closing time stays
    # there rather than moving to the 13:00 opening).
    assert calendar.add_working_days(lunch, 1) == at(2026, 3, 5, 11, 30)
    assert calendar.working_minutes_between(lunch, at(2026, 3, 4, 13, 0)) == 0


def test_a_start_on_sunday_evening_counts_from_monday_0730() -> None:
    calendar = WorkCalendar()
    sunday = at(2026, 3, 8, 20, 0)
    # + 60 working minutes → Mon 9 Mar 07:30 + 60 = 08:30.
    assert calendar.add_working_time(sunday, 60) == at(2026, 3, 9, 8, 30)
    # + 1 working day → the whole of Monday: 17:00.
    assert calendar.add_working_days(sunday, 1) == at(2026, 3, 9, 17, 0)
    assert calendar.next_opening(sunday) == at(2026, 3, 9, 7, 30)


def test_closing_times_and_exact_fits() -> None:
    calendar = WorkCalendar()
    # 07:30 + 480 is 17:00 the same day, not 07:30 the next one.
    assert calendar.add_working_days(at(2026, 3, 4, 7, 30), 1) == at(2026, 3, 4, 17, 0)
    assert calendar.add_working_time(at(2026, 3, 4, 11, 0), 30) == at(2026, 3, 4, 11, 30)
    assert calendar.add_working_time(at(2026, 3, 4, 11, 0), 31) == at(2026, 3, 4, 13, 1)
    # A start at closing time: zero working time left that day.
    assert calendar.add_working_time(at(2026, 3, 4, 17, 0), 1) == at(2026, 3, 5, 7, 31)
    # Friday 16:00 + 2 working hours: 60 on Fri, 60 on Mon → 08:30 Monday.
    assert calendar.add_working_time(at(2026, 3, 6, 16, 0), 120) == at(2026, 3, 9, 8, 30)
    # Zero working time from a working instant is that instant.
    assert calendar.add_working_time(at(2026, 3, 4, 10, 0), 0) == at(2026, 3, 4, 10, 0)


def test_measuring_working_time() -> None:
    calendar = WorkCalendar()
    # Fri 16:00 → Mon 09:00: 60 + 90 = 150; backwards is negative.
    assert calendar.working_minutes_between(at(2026, 3, 6, 16), at(2026, 3, 9, 9)) == 150
    assert calendar.working_minutes_between(at(2026, 3, 9, 9), at(2026, 3, 6, 16)) == -150
    # Two whole weeks: 10 working days.
    assert calendar.working_minutes_between(at(2026, 3, 2), at(2026, 3, 16)) == 10 * 480
    assert calendar.working_days_between(date(2026, 3, 2), date(2026, 3, 16)) == 10
    # Seconds count: 10:00:30 → 10:01:00 is half a minute.
    half = datetime(2026, 3, 4, 10, 0, 30, tzinfo=TZ)
    assert calendar.working_minutes_between(half, at(2026, 3, 4, 10, 1)) == 0.5


def test_other_zones_in_and_out() -> None:
    calendar = WorkCalendar()
    # 02:00 UTC is 09:00 in Hà Nội; + 60 → 10:00 local, returned in the calendar's zone.
    due = calendar.add_working_time(datetime(2026, 3, 4, 2, 0, tzinfo=UTC), 60)
    assert due == at(2026, 3, 4, 10, 0)
    assert due.tzinfo is calendar.tz


def test_far_dates_grow_the_tables() -> None:
    calendar = WorkCalendar(holidays={date(2026, 9, 2)})
    # Far outside the precomputed span, both ways; weekday rule only there.
    assert calendar.add_working_time(at(1990, 2, 3, 11), 30) == at(1990, 2, 5, 8, 0)  # Sat
    assert calendar.add_working_days(at(2200, 2, 3, 11), 1) == at(2200, 2, 4, 11)
    # The coordinates still agree with those computed before the tables grew.
    assert calendar.working_minutes_between(at(2026, 9, 1, 8), at(2026, 9, 3, 8)) == 480
    assert calendar.working_days_between(date(1990, 1, 1), date(1990, 1, 8)) == 5


def test_bad_input() -> None:
    calendar = WorkCalendar()
    with pytest.raises(ValueError, match="naive"):
        calendar.add_working_time(datetime(2026, 3, 4, 9), 10)
    with pytest.raises(ValueError):
        calendar.add_working_time(at(2026, 3, 4, 9), -1)
    with pytest.raises(ValueError):
        WorkCalendar(office_hours=((time(8), time(12)), (time(11), time(17))))
    with pytest.raises(ValueError):
        WorkCalendar(holidays={date(2026, 3, 7)}, workdays={date(2026, 3, 7)})
    with pytest.raises(ValueError):
        WorkCalendar(weekdays=())


# --- properties -----------------------------------------------------------------------------

STARTS = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(TZ)
)
MINUTES = st.integers(min_value=0, max_value=30 * 480)


def _in_office_hours(calendar: WorkCalendar, moment: datetime) -> bool:
    local = moment.astimezone(TZ)
    if not calendar.is_working_day(local.date()):
        return False
    return any(start <= local <= end for start, end in calendar.working_intervals(local.date()))


@settings(max_examples=400, deadline=None)
@given(start=STARTS, minutes=MINUTES)
def test_adding_then_measuring_round_trips(start: datetime, minutes: int) -> None:
    calendar = vn_calendar()
    due = calendar.add_working_time(start, minutes)
    assert calendar.working_minutes_between(start, due) == minutes
    assert due >= start


@settings(max_examples=400, deadline=None)
@given(start=STARTS, minutes=MINUTES)
def test_a_working_deadline_never_falls_in_a_break_a_weekend_or_a_holiday(
    start: datetime, minutes: int
) -> None:
    calendar = vn_calendar()
    due = calendar.add_working_time(start, minutes)
    assert _in_office_hours(calendar, due)
    assert calendar.is_working_instant(due)
    # The earliest such instant: a minute less of working time is never later.
    if minutes:
        assert calendar.add_working_time(start, minutes - 1) < due


@settings(max_examples=300, deadline=None)
@given(start=STARTS, a=MINUTES, b=MINUTES)
def test_monotonic_in_minutes(start: datetime, a: int, b: int) -> None:
    calendar = vn_calendar()
    low, high = sorted((a, b))
    assert calendar.add_working_time(start, low) <= calendar.add_working_time(start, high)


@settings(max_examples=300, deadline=None)
@given(a=STARTS, b=STARTS)
def test_measuring_is_additive_and_antisymmetric(a: datetime, b: datetime) -> None:
    calendar = vn_calendar()
    middle = a + (b - a) / 2
    ab = calendar.working_micros_between(a, b)
    assert ab == -calendar.working_micros_between(b, a)
    assert ab == calendar.working_micros_between(a, middle) + calendar.working_micros_between(
        middle, b
    )


def _walk(calendar: WorkCalendar, start: datetime, minutes: int) -> datetime:
    """Reference: step minute by minute (slow, obviously right) from a whole-minute start."""
    moment = start.astimezone(TZ)

    def working(m: datetime) -> bool:  # the minute [m, m + 1) is worked
        return any(s <= m < e for s, e in calendar.working_intervals(m.date()))

    while not working(moment):
        if minutes == 0 and _in_office_hours(calendar, moment):
            return moment
        moment += timedelta(minutes=1)
    left = minutes
    while left:
        if working(moment):
            left -= 1
        moment += timedelta(minutes=1)
    return moment


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2027, 1, 25), max_value=datetime(2027, 2, 20), timezones=st.just(TZ)
    ).map(lambda d: d.replace(second=0, microsecond=0)),
    minutes=st.integers(min_value=1, max_value=3 * 480),
)
def test_agrees_with_a_minute_by_minute_walk_around_tet(start: datetime, minutes: int) -> None:
    calendar = vn_calendar()
    assert calendar.add_working_time(start, minutes) == _walk(calendar, start, minutes)
