"""Calendars the SLA tests share: Vietnam's from the ``holidays`` package, as the seeds do."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from pakn_desktop.domain.sla import WorkCalendar

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
YEARS = range(2024, 2029)


@cache
def vn_calendar() -> WorkCalendar:
    """Public holidays (Tết included) and swapped working Saturdays of ``holidays.VN``."""
    package = holidays.country_holidays("VN", years=YEARS)
    return WorkCalendar(
        holidays=set(package), workdays=set(getattr(package, "weekend_workdays", ()))
    )


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An Asia/Ho_Chi_Minh local time."""
    return datetime(year, month, day, hour, minute, tzinfo=TZ)
