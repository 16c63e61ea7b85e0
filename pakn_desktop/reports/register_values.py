"""A register's cell values read as what they mean: reception times and plain text.

Dates come as the workbook's real dates, as Excel serial numbers (a column formatted
"General"), or as text typed in a dozen ways: "07/12/2026", "7/12/26", "07-12-2026 08:30",
"8h30 ngày 7/12/2026", "2026-12-07T08:30". Day first, always: Vietnamese registers never put
the month first. A time without a zone is on the office's clock (``domain.office_time``).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from pakn_desktop.domain.office_time import as_office
from pakn_desktop.domain.text import fold

# Excel's day 0 (1900 system; the 1900 leap-year bug is why it is the 30th). Mac workbooks
# made before 2011 may use the 1904 system: openpyxl gives that epoch, passed in.
EXCEL_EPOCH = datetime(1899, 12, 30)
# Serials of a plausible reception: 1 Jan 2000 (36526) to 2100. Anything else in a date
# column is not a date (a count, a row number).
_SERIAL_RANGE = (36526.0, 73051.0)

_ISO = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ t](.*))?$")
# d/m/y with /, - or . (a dash is read as a slash before matching: ``fold`` would make it a
# space); a two-digit year is 20yy.
_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/.]\s*(\d{1,2})\s*[/.]\s*(\d{4}|\d{2})(?!\d)")
# "ngày 7 tháng 12 năm 2026" (folded)
_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4}|\d{2})(?!\d)")
# 08:30, 8:30:15, 8h30, 8h, 08 giờ 30 (folded: "gio")
_TIME = re.compile(r"(?<!\d)(\d{1,2})\s*(?::|h|gio)\s*(\d{1,2})?(?:\s*(?::|p|phut)\s*(\d{1,2}))?")
_DASH = re.compile(r"(?<=\d)\s*[-\u2010-\u2015]\s*(?=\d)")
_PM = re.compile(r"\b(pm|chieu|toi)\b")
_AM = re.compile(r"\b(am|sang)\b")


class BadDate(ValueError):
    """The value is in a date column but is no possible date; ``reason`` says why (Vietnamese)."""

    def __init__(self, reason: str, *, in_time: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.in_time = in_time  # the separate time cell is at fault, not the date


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value: object) -> str:
    """A cell as text: a whole number without ".0" (a phone typed as a number), dates as
    dd/mm/yyyy, everything trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def parse_received(
    value: object, time_value: object = None, *, epoch: datetime = EXCEL_EPOCH
) -> datetime:
    """The office-clock moment ``value`` (and an optional separate time cell) names; raises
    BadDate. A date without a time is taken at 00:00 of that day."""
    moment = _moment(value, epoch)
    if not is_blank(time_value):
        try:
            moment = datetime.combine(moment.date(), _time_of(time_value, epoch))
        except BadDate as bad:
            raise BadDate(bad.reason, in_time=True) from None
    return as_office(moment.replace(tzinfo=None) if moment.tzinfo else moment)


def _moment(value: object, epoch: datetime) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(float(value), epoch)
    text = text_of(value)
    if not text:
        raise BadDate("thiếu ngày")
    return _from_text(text, epoch)


def _serial(number: float, epoch: datetime) -> datetime:
    low, high = _SERIAL_RANGE
    if not low <= number < high:
        raise BadDate(f"số {text_of(number)} không phải ngày Excel")
    # Rounded to the second: 0.1 of a day is not exact in binary.
    return epoch + timedelta(seconds=round(number * 86400))


def _from_text(text: str, epoch: datetime) -> datetime:
    number = text.replace(",", ".")
    if re.fullmatch(r"\d+(\.\d+)?", number):
        return _serial(float(number), epoch)  # a serial saved as text by a CSV export
    folded = fold(_DASH.sub("/", text))
    iso = _ISO.match(folded)
    if iso is not None:
        day = _day(int(iso[1]), int(iso[2]), int(iso[3]), text)
        rest = iso[4] or ""
    else:
        found = _DMY.search(folded) or _WORDS.search(folded)
        if found is None:
            raise BadDate(f"“{text}” không phải ngày (cần dạng ngày/tháng/năm)")
        year = int(found[3])
        day = _day(year + 2000 if year < 100 else year, int(found[2]), int(found[1]), text)
        rest = folded[: found.start()] + " " + folded[found.end() :]
    return datetime.combine(day, _clock(rest, text) or time())


def _day(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise BadDate(f"“{text}” không phải ngày có thật") from None


def _time_of(value: object, epoch: datetime) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, int | float) and not isinstance(value, bool):
        fraction = float(value) % 1  # a time cell holds a fraction of a day
        return (epoch + timedelta(seconds=round(fraction * 86400))).time()
    text = text_of(value)
    found = _clock(fold(text), text)
    if found is None:
        raise BadDate(f"“{text}” không phải giờ")
    return found


def _clock(folded: str, text: str) -> time | None:
    found = _TIME.search(folded)
    if found is None:
        return None
    hour, minute, second = (int(g) if g else 0 for g in found.groups())
    if _PM.search(folded) and hour < 12:
        hour += 12
    elif _AM.search(folded) and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        raise BadDate(f"“{text}” không phải giờ có thật")
    return time(hour, minute, second)
