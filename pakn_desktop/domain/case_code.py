"""Human case codes, unique without a server: prefix, local date, station code, daily sequence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .text import fold

_STATION = re.compile(r"^[A-Z0-9]{2,8}$")
_CODE = re.compile(r"^PA-(\d{6})-([A-Z0-9]{2,8})-(\d{4,})$")


class InvalidStationCode(ValueError):
    pass


def check_station_code(station: str) -> str:
    if not _STATION.match(station):
        raise InvalidStationCode(station)
    return station


@dataclass(frozen=True)
class CaseCode:
    """``PA-261124-HN01-0042``: the 42nd report of 24 Nov 2026 taken at station HN01.

    Station codes are unique per installation, so two stations working offline can never
    hand out the same code; the sequence is kept per station and local day.
    """

    day: date
    station: str
    seq: int

    def __str__(self) -> str:
        day = self.day  # fields, not strftime: this runs on every save
        return f"PA-{day.year % 100:02d}{day.month:02d}{day.day:02d}-{self.station}-{self.seq:04d}"

    @classmethod
    def parse(cls, text: str) -> CaseCode:
        match = _CODE.match(text.strip().upper())
        if match is None:
            raise ValueError(f"not a case code: {text!r}")
        ymd, station, seq = match.groups()
        day = date(2000 + int(ymd[:2]), int(ymd[2:4]), int(ymd[4:6]))
        return cls(day, station, int(seq))


_TYPED_WORDS = re.compile(r"[^\W_]+")


def typed_case_code(text: str) -> str | None:
    """The case code in ``text`` as the search box takes it: any case, the dashes typed as
    spaces or other dashes, accents on the letters ("pá 261124 hn01 0042"), the sequence
    without its leading zeros; None when ``text`` is not one whole case code."""
    words = _TYPED_WORDS.findall(fold(text).upper())
    if len(words) != 4 or words[0] != "PA" or not words[3].isdigit():
        return None
    try:
        return str(CaseCode.parse("-".join(words[:3]) + f"-{int(words[3]):04d}"))
    except ValueError:
        return None
