"""Deadline states honour pauses (waiting for the citizen): hand-computed cases and the
property that ``at_risk_at`` is the first instant ``deadline_state`` says "at risk"."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from pakn_desktop.domain.sla import (
    Amount,
    DeadlineState,
    Unit,
    WorkCalendar,
    at_risk_at,
    deadline_state,
    due,
    used_share,
)
from tests.sla_calendars import at, vn_calendar

US = timedelta(microseconds=1)
ONE_DAY = Amount(1, Unit.WORKING_DAYS)


def test_a_pause_keeps_a_working_day_report_on_track() -> None:
    calendar = WorkCalendar()
    start = at(2026, 3, 9, 9, 0)  # Monday
    pause = (at(2026, 3, 9, 10), at(2026, 3, 9, 15))
    # Due (test_sla_deadlines): 480 working minutes + the 210 the pause covers → Tue 14:00.
    end = due(start, ONE_DAY, calendar, [pause])
    assert end == at(2026, 3, 10, 14, 0)
    # 80 % of 480 = 384 running minutes: 60 before the pause (09:00–10:00), 120 after it on
    # Monday (15:00–17:00), 204 on Tuesday from 07:30 → 10:54.
    moment = at_risk_at(start, end, 0.8, calendar, [pause])
    assert moment == at(2026, 3, 10, 10, 54)
    state = deadline_state(at(2026, 3, 10, 10, 53), start, end, calendar=calendar, pauses=[pause])
    assert state is DeadlineState.ON_TRACK
    state = deadline_state(at(2026, 3, 10, 10, 54), start, end, calendar=calendar, pauses=[pause])
    assert state is DeadlineState.AT_RISK
    # Blind to the pause, 10:53 already looks at risk: 593 of 690 working minutes (86 %).
    assert deadline_state(at(2026, 3, 10, 10, 53), start, end, calendar=calendar) is (
        DeadlineState.AT_RISK
    )


def test_a_running_pause_freezes_the_share_on_the_real_clock() -> None:
    # 60 calendar minutes from 08:00; waiting for the citizen since 08:30, still at 09:10:
    # the due time has moved by 40 minutes to 09:40, and 30 of 60 running minutes are used.
    start, now = at(2026, 3, 9, 8, 0), at(2026, 3, 9, 9, 10)
    pause = (at(2026, 3, 9, 8, 30), now)
    end = due(start, Amount(60, Unit.MINUTES), WorkCalendar(), [pause])
    assert end == at(2026, 3, 9, 9, 40)
    assert used_share(now, start, end, pauses=[pause]) == 0.5
    assert deadline_state(now, start, end, pauses=[pause]) is DeadlineState.ON_TRACK
    # Resumed at 09:10: 80 % (48 running minutes) is reached 18 minutes later, at 09:28.
    assert at_risk_at(start, end, 0.8, None, [pause]) == at(2026, 3, 9, 9, 28)
    assert deadline_state(at(2026, 3, 9, 9, 28), start, end, pauses=[pause]) is (
        DeadlineState.AT_RISK
    )


def test_a_pause_across_tet() -> None:
    # Wed 3 Feb 2027 16:45 + 1 working day = Thu 11 Feb 16:45 (Tết: 4–10 Feb off). Waiting
    # for the citizen Thu 11 Feb 08:00–09:00: Wed 16:45–17:00 (15), Thu 07:30–08:00 (30),
    # 09:00–11:30 (150), 13:00–17:00 (240) = 435 of 480; the last 45 run Fri 07:30–08:15.
    calendar = vn_calendar()
    start = at(2027, 2, 3, 16, 45)
    pause = (at(2027, 2, 11, 8), at(2027, 2, 11, 9))
    end = due(start, ONE_DAY, calendar, [pause])
    assert end == at(2027, 2, 12, 8, 15)
    # 384 running minutes: 15 on Wednesday, 30 on Thursday 07:30–08:00, then 339 from 09:00:
    # 09:00–11:30 (150), 13:00 + 189 → 16:09 Thursday.
    assert at_risk_at(start, end, 0.8, calendar, [pause]) == at(2027, 2, 11, 16, 9)


_MOMENTS = st.datetimes(min_value=datetime(2026, 3, 2), max_value=datetime(2026, 3, 20)).map(
    lambda d: d.replace(tzinfo=at(2026, 1, 1).tzinfo)
)


@settings(max_examples=150, deadline=None)
@given(
    start=_MOMENTS,
    minutes=st.integers(min_value=10, max_value=3 * 480),
    pauses=st.lists(
        st.tuples(_MOMENTS, st.integers(min_value=0, max_value=3 * 24 * 60)), max_size=3
    ),
    share=st.sampled_from([0.5, 0.75]),
    working=st.booleans(),
)
def test_at_risk_at_is_the_first_at_risk_instant(
    start: datetime,
    minutes: int,
    pauses: list[tuple[datetime, int]],
    share: float,
    working: bool,
) -> None:
    calendar = vn_calendar()
    spans = [(b, b + timedelta(minutes=m)) for b, m in pauses]
    unit = Unit.WORKING_HOURS if working else Unit.MINUTES
    end = due(start, Amount(minutes / 60 if working else minutes, unit), calendar, spans)
    clock = calendar if working else None
    moment = at_risk_at(start, end, share, clock, spans)
    assert start <= moment <= end

    def state(now: datetime) -> DeadlineState:
        return deadline_state(now, start, end, share, calendar=clock, pauses=spans)

    assert state(moment) is DeadlineState.AT_RISK
    if moment > start:
        assert state(moment - US) is DeadlineState.ON_TRACK
