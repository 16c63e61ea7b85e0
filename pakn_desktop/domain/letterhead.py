"""What an exported document's heading names (Decree 30/2020/NĐ-CP): the issuing body, the
place on the date line and the number; a plain value so that the settings (``data``) and the
writers (``reports``), which may not import each other, share it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DEFAULT_ISSUER = "TRUNG TÂM TIẾP NHẬN PHẢN ÁNH, KIẾN NGHỊ"
DEFAULT_PLACE = "Hà Nội"
DEFAULT_NUMBER = "      /BC-TTPAKN"  # left blank for the clerk, as on paper


@dataclass(frozen=True)
class Letterhead:
    issuer: str = DEFAULT_ISSUER
    place: str = DEFAULT_PLACE
    number: str = DEFAULT_NUMBER


def date_line(place: str, day: date) -> str:
    """ "Hà Nội, ngày 7 tháng 12 năm 2026" (days and months below 10 as written by hand)."""
    return f"{place}, ngày {day.day} tháng {day.month} năm {day.year}"
