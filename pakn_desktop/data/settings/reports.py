"""The exported reports' letterhead and the daily report's cut-off hour: shared rows, the
same on every workstation (one centre issues one report a day, whoever exports it)."""

from __future__ import annotations

from pakn_desktop.domain.daily_figures import DEFAULT_CUTOFF
from pakn_desktop.domain.letterhead import DEFAULT_ISSUER, DEFAULT_PLACE

from .registry import TEXT, Setting, Where


def _named(value: str) -> str | None:
    return None if value.strip() else "Cần ghi tên, không được để trống."


def _hh_mm(value: str) -> str | None:
    """'HH:MM' on the office's clock (07:00, 17:30)."""
    hours, _, minutes = value.partition(":")
    ok = len(hours) == len(minutes) == 2 and (hours + minutes).isdigit()
    if ok and int(hours) < 24 and int(minutes) < 60:
        return None
    return "Giờ chốt số liệu phải có dạng GG:PP, ví dụ 07:00."


ISSUER = Setting("report.issuer", Where.SHARED, DEFAULT_ISSUER, TEXT, _named)
PLACE = Setting("report.place", Where.SHARED, DEFAULT_PLACE, TEXT, _named)
DAILY_CUTOFF = Setting("report.daily_cutoff", Where.SHARED, f"{DEFAULT_CUTOFF:%H:%M}", TEXT, _hh_mm)
