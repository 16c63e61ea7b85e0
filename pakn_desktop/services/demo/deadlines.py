"""Deadlines of demo reports from the seeded SLA policies and the working-day calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection, select

from pakn_desktop.data.models import CalendarException, SlaPolicy

from .clock import DAY, HOUR, MIN, local_day


@dataclass(frozen=True)
class Policy:
    channel: str | None
    category: str | None
    kind: str | None
    urgency: str | None
    forward_minutes: int
    resolve_amount: int
    resolve_unit: str
    priority: int


_FALLBACK = Policy(None, None, None, None, 5, 60, "minutes", 0)


class Deadlines:
    def __init__(self, conn: Connection) -> None:
        self.off_days: set[date] = set()
        self.work_days: set[date] = set()
        for day, kind in conn.execute(select(CalendarException.day, CalendarException.kind)):
            (self.work_days if kind == "workday" else self.off_days).add(day)
        self.policies = [
            Policy(*row)
            for row in conn.execute(
                select(
                    SlaPolicy.channel_code,
                    SlaPolicy.category_code,
                    SlaPolicy.kind,
                    SlaPolicy.urgency,
                    SlaPolicy.forward_minutes,
                    SlaPolicy.resolve_amount,
                    SlaPolicy.resolve_unit,
                    SlaPolicy.priority,
                ).order_by(SlaPolicy.priority.desc(), SlaPolicy.name)
            )
        ]
        self._policy_cache: dict[tuple[str, str, str, str], Policy] = {}
        self._due_cache: dict[tuple[date, int], date] = {}

    def policy(self, channel: str, category: str, kind: str, urgency: str) -> Policy:
        """The highest-priority policy matching the report (NULL fields match anything)."""
        key = (channel, category, kind, urgency)
        found = self._policy_cache.get(key)
        if found is None:
            found = next(
                (
                    p
                    for p in self.policies
                    if p.channel in (None, channel)
                    and p.category in (None, category)
                    and p.kind in (None, kind)
                    and p.urgency in (None, urgency)
                ),
                _FALLBACK,
            )
            self._policy_cache[key] = found
        return found

    def is_day_off(self, day: date) -> bool:
        return day in self.off_days

    def _working_day_after(self, day: date, count: int) -> date:
        key = (day, count)
        found = self._due_cache.get(key)
        if found is None:
            found = day
            left = count
            while left:
                found += timedelta(days=1)
                weekend = found.weekday() >= 5
                if found in self.work_days or (not weekend and found not in self.off_days):
                    left -= 1
            self._due_cache[key] = found
        return found

    def resolve_due(self, start: int, policy: Policy) -> int:
        unit, amount = policy.resolve_unit, policy.resolve_amount
        if unit == "minutes":
            return start + amount * MIN
        if unit in ("hours", "working_hours"):
            return start + amount * HOUR
        if unit == "days":
            return start + amount * DAY
        day = local_day(start)
        target = self._working_day_after(day, amount)
        return start + (target - day).days * DAY
