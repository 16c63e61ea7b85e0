"""Deadlines (SLA): working-time calendar, policies, due times and deadline states."""

from __future__ import annotations

from .calendar import DEFAULT_OFFICE_HOURS, DEFAULT_TIME_ZONE, DEFAULT_WEEKDAYS, WorkCalendar
from .deadlines import (
    Deadlines,
    Pause,
    deadlines,
    due,
    merge_pauses,
    pushed_due,
    resolve_due,
)
from .exceptions import ADMIN_SOURCE, PACKAGE_SOURCE, DayException
from .policy import Amount, Policy, Unit, category_matches, match_policy
from .rounds import ROUND_EVENTS, round_pauses
from .settings import DEFAULT_LADDER, Rung, SettingProblem, SlaSettings
from .state import (
    DEFAULT_AT_RISK_SHARE,
    DeadlineState,
    at_risk_at,
    deadline_state,
    forward_at_risk_at,
    report_at_risk_at,
    used_share,
)

__all__ = [
    "ADMIN_SOURCE",
    "PACKAGE_SOURCE",
    "DayException",
    "ROUND_EVENTS",
    "DEFAULT_AT_RISK_SHARE",
    "DEFAULT_LADDER",
    "DEFAULT_OFFICE_HOURS",
    "DEFAULT_TIME_ZONE",
    "DEFAULT_WEEKDAYS",
    "Amount",
    "DeadlineState",
    "Deadlines",
    "Pause",
    "Policy",
    "Rung",
    "SettingProblem",
    "SlaSettings",
    "Unit",
    "WorkCalendar",
    "at_risk_at",
    "category_matches",
    "deadline_state",
    "deadlines",
    "due",
    "forward_at_risk_at",
    "match_policy",
    "merge_pauses",
    "pushed_due",
    "report_at_risk_at",
    "resolve_due",
    "round_pauses",
    "used_share",
]
