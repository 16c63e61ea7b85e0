"""The office's time zone: every time a person reads or types is in it, whatever the
workstation's own setting.

Times are stored in UTC. Deadlines count in Asia/Ho_Chi_Minh office hours, case codes take
its date, the SMS to a unit names its local time; the screens must agree with them. A fresh
machine or a VM often runs in UTC, where "the machine's local time" would show a 17:00
deadline as 10:00 and read a typed "08:30" seven hours off.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

OFFICE_ZONE_NAME = "Asia/Ho_Chi_Minh"
OFFICE_ZONE = ZoneInfo(OFFICE_ZONE_NAME)
# Fixed: Vietnam has kept UTC+7 all year since 1975 (no daylight saving), which lets SQL
# shift instants into local days and hours by adding it.
OFFICE_OFFSET = timedelta(hours=7)


def office_now() -> datetime:
    return datetime.now(OFFICE_ZONE)


def to_office(value: datetime) -> datetime:
    """An aware instant as the office's wall clock shows it."""
    return value.astimezone(OFFICE_ZONE)


def as_office(value: datetime) -> datetime:
    """A wall-clock time given without a zone (typed, or ISO without an offset) read as the
    office's; an aware one is kept as it is."""
    return value if value.tzinfo is not None else value.replace(tzinfo=OFFICE_ZONE)
