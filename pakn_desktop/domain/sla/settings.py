"""The deadline settings administrators change: at-risk share, escalation ladder, office hours,
working weekdays, the unit's result deadline. Plain values and their validation (codes); each
field is a declared setting (``data.settings.sla``: stored form, defaults, words)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from enum import StrEnum

from .calendar import DEFAULT_OFFICE_HOURS, DEFAULT_WEEKDAYS
from .policy import Amount, Unit
from .state import DEFAULT_AT_RISK_SHARE

DEFAULT_RESULT_MINUTES = 60  # HCMC letter 2061/UBND-VX; 30 in some current practice
SHARE_MIN, SHARE_MAX = 0.01, 0.99
RESULT_MINUTES_MAX = 24 * 60


@dataclass(frozen=True)
class Rung:
    """One rung of the escalation ladder: reached ``after`` the due time."""

    code: str  # "supervisor" | "leadership"
    after: Amount


DEFAULT_LADDER: tuple[Rung, ...] = (
    Rung("supervisor", Amount(0, Unit.MINUTES)),
    Rung("leadership", Amount(1, Unit.WORKING_DAYS)),
)


class SettingProblem(StrEnum):
    """Why a settings value is refused (the settings form words each one)."""

    SHARE_RANGE = "share_range"
    NO_OFFICE_HOURS = "no_office_hours"
    HOURS_ORDER = "hours_order"  # an interval ends before it starts
    HOURS_OVERLAP = "hours_overlap"  # intervals overlap or are out of order
    NO_WEEKDAYS = "no_weekdays"
    LADDER_ORDER = "ladder_order"  # leadership before supervisor
    RESULT_RANGE = "result_range"


@dataclass(frozen=True)
class SlaSettings:
    """Typed, validated deadline settings (the defaults are the seeds' rules)."""

    at_risk_share: float = DEFAULT_AT_RISK_SHARE
    office_hours: tuple[tuple[time, time], ...] = DEFAULT_OFFICE_HOURS
    weekdays: frozenset[int] = field(default=DEFAULT_WEEKDAYS)
    ladder: tuple[Rung, ...] = DEFAULT_LADDER
    result_minutes: int = DEFAULT_RESULT_MINUTES

    def problems(self) -> list[tuple[str, SettingProblem]]:
        """(field, problem) for each refused value; empty when the settings are usable."""
        found: list[tuple[str, SettingProblem]] = []
        if not SHARE_MIN <= self.at_risk_share <= SHARE_MAX:
            found.append(("at_risk_share", SettingProblem.SHARE_RANGE))
        if not self.office_hours:
            found.append(("office_hours", SettingProblem.NO_OFFICE_HOURS))
        previous: time | None = None
        for start, end in self.office_hours:
            if not start < end:
                found.append(("office_hours", SettingProblem.HOURS_ORDER))
                break
            if previous is not None and start < previous:
                found.append(("office_hours", SettingProblem.HOURS_OVERLAP))
                break
            previous = end
        if not self.weekdays or not self.weekdays <= frozenset(range(7)):
            found.append(("weekdays", SettingProblem.NO_WEEKDAYS))
        minutes = [_rung_minutes(r.after) for r in self.ladder]
        if minutes != sorted(minutes):
            found.append(("ladder", SettingProblem.LADDER_ORDER))
        if not 1 <= self.result_minutes <= RESULT_MINUTES_MAX:
            found.append(("result_minutes", SettingProblem.RESULT_RANGE))
        return found


def _rung_minutes(amount: Amount) -> float:
    """Rough minutes of a rung, only to check the ladder's order (a working day ≈ 8 h)."""
    per = {
        Unit.MINUTES: 1.0,
        Unit.HOURS: 60.0,
        Unit.DAYS: 1440.0,
        Unit.WORKING_HOURS: 60.0,
        Unit.WORKING_DAYS: 480.0,
    }
    return amount.value * per[amount.unit]
