"""The deadline settings administrators change (``domain.sla.SlaSettings``), as shared rows:
one JSON value per key, so two administrators editing different settings never overwrite each
other in a sync. The domain checks each value (codes); the words are here, once."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from typing import Any

from pakn_desktop.domain.sla import (
    DEFAULT_LADDER,
    Amount,
    Rung,
    SettingProblem,
    SlaSettings,
    Unit,
)

from .registry import INTEGER, NUMBER, TEXT, Group, Kind, Setting, Where

WORDS = {
    SettingProblem.SHARE_RANGE: "Tỷ lệ cảnh báo phải từ 1 đến 99 %.",
    SettingProblem.NO_OFFICE_HOURS: "Cần ít nhất một buổi làm việc.",
    SettingProblem.HOURS_ORDER: "Giờ kết thúc một buổi phải sau giờ bắt đầu.",
    SettingProblem.HOURS_OVERLAP: "Buổi chiều phải bắt đầu sau khi buổi sáng kết thúc.",
    SettingProblem.NO_WEEKDAYS: "Chọn ít nhất một ngày làm việc trong tuần.",
    SettingProblem.LADDER_ORDER: "Mức báo cáo UBND tỉnh phải sau mức lãnh đạo phụ trách.",
    SettingProblem.RESULT_RANGE: "Hạn ghi kết quả phải từ 1 đến 1.440 phút.",
}


def _checked(name: str) -> Any:
    """The domain's check of one field (the others at their defaults), worded."""

    def check(value: Any) -> str | None:
        for found, problem in replace(SlaSettings(), **{name: value}).problems():
            if found == name:
                return WORDS[problem]
        return None

    return check


def _hhmm(t: time) -> str:
    return t.strftime("%H:%M")


def _no_text(_raw: str) -> Any:
    raise ValueError("set only in the settings dialog")


_HOURS: Kind[tuple[tuple[time, time], ...]] = Kind(
    lambda rows: tuple((time.fromisoformat(s), time.fromisoformat(e)) for s, e in rows),
    lambda hours: [[_hhmm(s), _hhmm(e)] for s, e in hours],
    _no_text,
    "chỉ đặt trong hộp thoại cài đặt",
)
_WEEKDAYS: Kind[frozenset[int]] = Kind(
    lambda days: frozenset(int(d) for d in days),
    sorted,
    _no_text,
    "chỉ đặt trong hộp thoại cài đặt",
)
_LADDER: Kind[tuple[Rung, ...]] = Kind(
    lambda rungs: tuple(
        Rung(str(r["code"]), Amount(float(r["value"]), Unit(r["unit"]))) for r in rungs
    ),
    lambda ladder: [
        {"code": r.code, "value": r.after.value, "unit": r.after.unit.value} for r in ladder
    ],
    _no_text,
    "chỉ đặt trong hộp thoại cài đặt",
)

_DEFAULTS = SlaSettings()
AT_RISK_SHARE = Setting(
    "sla.at_risk_share", Where.SHARED, _DEFAULTS.at_risk_share, NUMBER, _checked("at_risk_share")
)
OFFICE_HOURS = Setting(
    "sla.office_hours", Where.SHARED, _DEFAULTS.office_hours, _HOURS, _checked("office_hours")
)
WEEKDAYS = Setting(
    "sla.weekdays", Where.SHARED, _DEFAULTS.weekdays, _WEEKDAYS, _checked("weekdays")
)
LADDER = Setting("sla.ladder", Where.SHARED, DEFAULT_LADDER, _LADDER, _checked("ladder"))
RESULT_MINUTES = Setting(
    "sla.result_minutes",
    Where.SHARED,
    _DEFAULTS.result_minutes,
    INTEGER,
    _checked("result_minutes"),
)
# Bumped when administrators change the calendar exceptions: every station's deadline cache
# (services.sla.SlaService) sees the settings rows change and reloads its calendar.
CALENDAR_VERSION = Setting("sla.calendar_version", Where.SHARED, "", TEXT)

SLA: Group[SlaSettings] = Group(
    SlaSettings,
    {
        "at_risk_share": AT_RISK_SHARE,
        "office_hours": OFFICE_HOURS,
        "weekdays": WEEKDAYS,
        "ladder": LADDER,
        "result_minutes": RESULT_MINUTES,
    },
)
# What SlaService re-reads to notice an edit made here or on another station.
WATCHED = (*SLA.settings(), CALENDAR_VERSION)
