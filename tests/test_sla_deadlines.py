"""Due times under a policy: calendar and working units, pauses, extensions, reopen, matching,
deadline states."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pakn_desktop.domain.sla import (
    Amount,
    DeadlineState,
    Policy,
    Unit,
    WorkCalendar,
    deadline_state,
    deadlines,
    due,
    match_policy,
    merge_pauses,
    resolve_due,
)
from pakn_desktop.domain.sla.calendar import US_PER_MINUTE
from tests.sla_calendars import TZ, at, vn_calendar

FIVE_MINUTES = Amount(5, Unit.MINUTES)
# The seeds (data/reference.py): HCMC 60 minutes, Khánh Hòa 1 working day, complaints 30 days.
DEFAULT = Policy("mac_dinh", FIVE_MINUTES, Amount(60, Unit.MINUTES))
URBAN = Policy(
    "ha_tang_do_thi",
    FIVE_MINUTES,
    Amount(1, Unit.WORKING_DAYS),
    category_code="ha_tang_do_thi",
    priority=10,
)
COMPLAINT = Policy("khieu_nai", FIVE_MINUTES, Amount(30, Unit.DAYS), kind="khieu_nai", priority=20)


# --- hand-computed due times --------------------------------------------------------------


def test_every_deadline_of_the_tet_case() -> None:
    # Wed 3 Feb 2027 16:45, 1 working day → Thu 11 Feb 16:45 (see test_sla_calendar);
    # forward: 5 calendar minutes → 16:50; first response: 2 working hours → 15 min on Wed,
    # 105 on Thu 11 Feb → 09:15.
    policy = Policy("x", FIVE_MINUTES, Amount(1, Unit.WORKING_DAYS), Amount(2, Unit.WORKING_HOURS))
    got = deadlines(at(2027, 2, 3, 16, 45), policy, vn_calendar())
    assert got.forward_due == at(2027, 2, 3, 16, 50)
    assert got.first_response_due == at(2027, 2, 11, 9, 15)
    assert got.resolve_due == at(2027, 2, 11, 16, 45)
    assert deadlines(at(2027, 2, 3, 16, 45), URBAN, vn_calendar()).first_response_due is None


def test_sixty_calendar_minutes_across_midnight_ignore_the_holiday() -> None:
    # 31 Dec 2026 23:30 + 60 real minutes = 1 Jan 2027 00:30, a public holiday: calendar
    # minutes run around the clock (the hotline does).
    assert resolve_due(at(2026, 12, 31, 23, 30), DEFAULT, vn_calendar()) == at(2027, 1, 1, 0, 30)
    # Forward during Tết at night: 5 Feb 2027 23:58 + 5 → 6 Feb 00:03.
    got = deadlines(at(2027, 2, 5, 23, 58), DEFAULT, vn_calendar())
    assert got.forward_due == at(2027, 2, 6, 0, 3)


def test_thirty_days_for_a_complaint() -> None:
    # 9 Mar 2026 09:00 + 30 × 24 h = 8 Apr 2026 09:00 (no DST in Asia/Ho_Chi_Minh).
    assert resolve_due(at(2026, 3, 9, 9), COMPLAINT, vn_calendar()) == at(2026, 4, 8, 9)


def test_pause_and_resume_on_a_working_day_clock() -> None:
    calendar = WorkCalendar()
    start = at(2026, 3, 9, 9, 0)  # Monday
    assert resolve_due(start, URBAN, calendar) == at(2026, 3, 10, 9, 0)
    # Waiting for the citizen Mon 10:00–15:00 covers 10:00–11:30 (90) + 13:00–15:00 (120) =
    # 210 working minutes: Tue 09:00 + 210 → 09:00–11:30 (150), 13:00 + 60 = 14:00 Tuesday.
    pause = (at(2026, 3, 9, 10), at(2026, 3, 9, 15))
    assert resolve_due(start, URBAN, calendar, pauses=[pause]) == at(2026, 3, 10, 14, 0)
    # A pause from Mon 10:00 to Tue 14:00: 60 worked before it, 420 left from Tue 14:00:
    # 14:00–17:00 (180), then 240 on Wed morning → 11:30 Wednesday (a closing time).
    long_pause = (at(2026, 3, 9, 10), at(2026, 3, 10, 14))
    assert resolve_due(start, URBAN, calendar, pauses=[long_pause]) == at(2026, 3, 11, 11, 30)


def test_pauses_that_cost_no_working_time_or_come_too_late() -> None:
    calendar = WorkCalendar()
    start = at(2026, 3, 9, 9, 0)
    night = (at(2026, 3, 9, 18), at(2026, 3, 10, 7))  # outside office hours: no effect
    after = (at(2026, 3, 10, 10), at(2026, 3, 11, 10))  # begins after the due time
    before = (at(2026, 3, 6, 10), at(2026, 3, 9, 8))  # over before the start
    expected = at(2026, 3, 10, 9, 0)
    for pause in (night, after, before):
        assert resolve_due(start, URBAN, calendar, pauses=[pause]) == expected
    # A pause straddling the start counts from the start: 09:00–10:00 → due Tue 10:00.
    straddle = (at(2026, 3, 9, 8), at(2026, 3, 9, 10))
    assert resolve_due(start, URBAN, calendar, pauses=[straddle]) == at(2026, 3, 10, 10, 0)


def test_overlapping_pauses_count_once() -> None:
    calendar = WorkCalendar()
    start = at(2026, 3, 9, 9, 0)
    # 10:00–11:00 and 10:30–11:30 are one pause 10:00–11:30 (90): Tue 09:00 + 90 = 10:30.
    pauses = [
        (at(2026, 3, 9, 10, 30), at(2026, 3, 9, 11, 30)),
        (at(2026, 3, 9, 10), at(2026, 3, 9, 11)),
    ]
    assert merge_pauses(pauses) == [(at(2026, 3, 9, 10), at(2026, 3, 9, 11, 30))]
    assert resolve_due(start, URBAN, calendar, pauses=pauses) == at(2026, 3, 10, 10, 30)
    with pytest.raises(ValueError):
        merge_pauses([(at(2026, 3, 9, 11), at(2026, 3, 9, 10))])


def test_pause_on_a_calendar_minute_clock() -> None:
    # 60 minutes from 10:00, paused 10:20–10:50 (30): due 11:30. Pauses in another zone count
    # the same: 03:20–03:50 UTC is 10:20–10:50 local.
    start = at(2026, 3, 9, 10, 0)
    pause = (at(2026, 3, 9, 10, 20), at(2026, 3, 9, 10, 50))
    assert resolve_due(start, DEFAULT, WorkCalendar(), pauses=[pause]) == at(2026, 3, 9, 11, 30)
    utc_pause = (datetime(2026, 3, 9, 3, 20, tzinfo=UTC), datetime(2026, 3, 9, 3, 50, tzinfo=UTC))
    assert resolve_due(start, DEFAULT, WorkCalendar(), pauses=[utc_pause]) == at(2026, 3, 9, 11, 30)


def test_approved_extensions_add_to_the_resolve_budget() -> None:
    calendar = WorkCalendar()
    start = at(2026, 3, 9, 9, 0)  # Monday
    # 1 working day + 1 more → Wed 09:00.
    one_day = Amount(1, Unit.WORKING_DAYS)
    assert resolve_due(start, URBAN, calendar, extensions=[one_day]) == at(2026, 3, 11, 9, 0)
    # 1 working day + 4 working hours: Tue 09:00 + 240 → 09:00–11:30 (150), 13:00 + 90 = 14:30.
    four_hours = Amount(4, Unit.WORKING_HOURS)
    assert resolve_due(start, URBAN, calendar, extensions=[four_hours]) == at(2026, 3, 10, 14, 30)
    # 60 minutes + 30 minutes → 10:30; an extension and a pause together: paused 09:10–09:20
    # → 10:40.
    half_hour = Amount(30, Unit.MINUTES)
    assert resolve_due(start, DEFAULT, calendar, extensions=[half_hour]) == at(2026, 3, 9, 10, 30)
    pause = (at(2026, 3, 9, 9, 10), at(2026, 3, 9, 9, 20))
    got = resolve_due(start, DEFAULT, calendar, pauses=[pause], extensions=[half_hour])
    assert got == at(2026, 3, 9, 10, 40)
    with pytest.raises(ValueError, match="extension"):
        resolve_due(start, URBAN, calendar, extensions=[half_hour])


def test_reopen_starts_a_new_full_clock() -> None:
    calendar = vn_calendar()
    start = at(2026, 3, 9, 9, 0)
    # 60 minutes: reopened Thu 12 Mar 15:10 → 16:10; the forward deadline stays the first one.
    got = deadlines(start, DEFAULT, calendar, reopened_at=at(2026, 3, 12, 15, 10))
    assert got.resolve_due == at(2026, 3, 12, 16, 10)
    assert got.forward_due == at(2026, 3, 9, 9, 5)
    # 1 working day: reopened Fri 13 Mar 16:00 → Mon 16 Mar 16:00; a pause of the first round
    # (before the reopen) no longer counts.
    old_pause = (at(2026, 3, 9, 10), at(2026, 3, 9, 15))
    due_after_reopen = resolve_due(
        start, URBAN, calendar, pauses=[old_pause], reopened_at=at(2026, 3, 13, 16, 0)
    )
    assert due_after_reopen == at(2026, 3, 16, 16, 0)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        resolve_due(datetime(2026, 3, 9, 9), DEFAULT, WorkCalendar())
    with pytest.raises(ValueError, match="naive"):
        resolve_due(datetime(2026, 3, 9, 9), URBAN, WorkCalendar())
    with pytest.raises(ValueError):
        Amount(-1, Unit.MINUTES)


# --- properties ---------------------------------------------------------------------------

STARTS = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(TZ)
)
AMOUNTS = st.builds(Amount, st.integers(min_value=0, max_value=40), st.sampled_from(list(Unit)))
PAUSES = st.lists(
    st.tuples(
        st.integers(min_value=-3 * 24 * 60, max_value=20 * 24 * 60),
        st.integers(min_value=0, max_value=5 * 24 * 60),
    ),
    max_size=4,
)


def _pauses(start: datetime, spec: list[tuple[int, int]]) -> list[tuple[datetime, datetime]]:
    return [
        (start + timedelta(minutes=a), start + timedelta(minutes=a + length)) for a, length in spec
    ]


@settings(max_examples=400, deadline=None)
@given(start=STARTS, amount=AMOUNTS, spec=PAUSES)
def test_working_deadlines_land_in_office_hours_calendar_ones_anywhere(
    start: datetime, amount: Amount, spec: list[tuple[int, int]]
) -> None:
    calendar = vn_calendar()
    pauses = _pauses(start, spec)
    got = due(start, amount, calendar, pauses)
    plain = due(start, amount, calendar)
    assert got >= plain >= start  # a pause never brings a deadline forward
    assert got.tzinfo is calendar.tz
    if amount.unit.is_working:
        assert calendar.is_working_instant(got)
        assert calendar.is_working_instant(plain)
        # The clock ran exactly the amount plus the working time the pauses took.
        paused = sum(
            calendar.working_micros_between(max(a, start), min(b, got))
            for a, b in merge_pauses(pauses)
            if min(b, got) > max(a, start)
        )
        ran = calendar.working_micros_between(start, got) - paused
        if amount.value:
            minutes = amount.value * (480 if amount.unit is Unit.WORKING_DAYS else 60)
            assert ran == minutes * US_PER_MINUTE
    else:
        minutes = amount.value * {Unit.MINUTES: 1, Unit.HOURS: 60, Unit.DAYS: 1440}[amount.unit]
        assert plain == start + timedelta(minutes=minutes)


@settings(max_examples=300, deadline=None)
@given(start=STARTS, unit=st.sampled_from(list(Unit)), a=st.integers(0, 50), b=st.integers(0, 50))
def test_due_times_are_monotonic_in_the_amount(start: datetime, unit: Unit, a: int, b: int) -> None:
    calendar = vn_calendar()
    low, high = sorted((a, b))
    assert due(start, Amount(low, unit), calendar) <= due(start, Amount(high, unit), calendar)


# --- policy matching ------------------------------------------------------------------------

HOTLINE_URGENT = Policy(
    "hotline_khan", FIVE_MINUTES, Amount(30, Unit.MINUTES), channel_code="hotline", urgency="urgent"
)
WATER = Policy(
    "ha_tang_do_thi.cap_thoat_nuoc",
    FIVE_MINUTES,
    Amount(1, Unit.WORKING_DAYS),
    category_code="ha_tang_do_thi.cap_thoat_nuoc",
    priority=10,
)
POLICIES = (DEFAULT, URBAN, WATER, COMPLAINT, HOTLINE_URGENT)


@pytest.mark.parametrize(
    ("channel", "category", "kind", "urgency", "expected"),
    [
        ("hotline", "trat_tu_do_thi", "phan_anh", "normal", "mac_dinh"),
        # Parent prefix: "ha_tang_do_thi" covers a sub-category with no rule of its own...
        ("web", "ha_tang_do_thi.cay_xanh", "phan_anh", "normal", "ha_tang_do_thi"),
        # ...and the deeper rule wins where there is one (same priority).
        ("web", "ha_tang_do_thi.cap_thoat_nuoc", "phan_anh", "normal", WATER.name),
        # A prefix is a whole segment: "ha_tang_do_thi_x" is not under "ha_tang_do_thi".
        ("web", "ha_tang_do_thi_x", "phan_anh", "normal", "mac_dinh"),
        # The complaint rule (priority 20) outranks the category ones (10).
        ("web", "ha_tang_do_thi.cap_thoat_nuoc", "khieu_nai", "normal", "khieu_nai"),
        # Two named fields beat none at equal priority.
        ("hotline", "trat_tu_do_thi", "phan_anh", "urgent", "hotline_khan"),
        ("fanpage", None, None, None, "mac_dinh"),
    ],
)
def test_the_best_policy_wins(
    channel: str, category: str | None, kind: str | None, urgency: str | None, expected: str
) -> None:
    chosen = match_policy(POLICIES, channel, category, kind, urgency)
    assert chosen is not None and chosen.name == expected
    assert match_policy(reversed(POLICIES), channel, category, kind, urgency) == chosen


def test_ties_are_broken_by_name_and_no_match_is_none() -> None:
    a = Policy("a", FIVE_MINUTES, Amount(1, Unit.HOURS), kind="gop_y")
    b = Policy("b", FIVE_MINUTES, Amount(2, Unit.HOURS), channel_code="web")
    assert match_policy([b, a], "web", None, "gop_y", None) is a
    assert match_policy([a, b], "web", None, "gop_y", None) is a
    assert match_policy([a, b], "hotline", None, "phan_anh", None) is None


# --- deadline states ------------------------------------------------------------------------


def test_states_on_the_real_clock() -> None:
    start, end = at(2026, 3, 9, 9, 0), at(2026, 3, 9, 10, 0)  # 60 minutes
    assert deadline_state(at(2026, 3, 9, 9, 47), start, end) is DeadlineState.ON_TRACK
    assert deadline_state(at(2026, 3, 9, 9, 48), start, end) is DeadlineState.AT_RISK  # 80 %
    assert deadline_state(end, start, end) is DeadlineState.AT_RISK  # the due minute is in time
    assert deadline_state(end + timedelta(seconds=1), start, end) is DeadlineState.OVERDUE
    late = at(2026, 3, 9, 11, 0)
    assert deadline_state(late, start, end, done_at=late) is DeadlineState.DONE
    assert deadline_state(at(2026, 3, 9, 9, 30), start, end, 0.5) is DeadlineState.AT_RISK
    with pytest.raises(ValueError):
        deadline_state(start, start, end, 1.5)


def test_states_on_working_time() -> None:
    calendar = WorkCalendar()
    start = at(2026, 3, 9, 9, 0)
    end = calendar.add_working_days(start, 1)  # Tue 09:00
    # Mon 22:00: 13 of 24 real hours used (54 %), but 150 + 240 = 390 of 480 working minutes
    # (81 %): at risk on working time, on track on the real clock.
    night = at(2026, 3, 9, 22, 0)
    assert deadline_state(night, start, end, calendar=calendar) is DeadlineState.AT_RISK
    assert deadline_state(night, start, end) is DeadlineState.ON_TRACK
    # Mon 15:00: 90 + 120 = 210 of 480 (44 %).
    assert (
        deadline_state(at(2026, 3, 9, 15), start, end, calendar=calendar) is DeadlineState.ON_TRACK
    )
    assert (
        deadline_state(at(2026, 3, 10, 9, 1), start, end, calendar=calendar)
        is DeadlineState.OVERDUE
    )
