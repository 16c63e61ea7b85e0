"""Deadlines of demo reports by ``domain.sla``, the rules intake uses: the stored policies,
settings and calendar (holidays, swapped days), on the generator's integer microseconds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection

from pakn_desktop.data import demo_reads, sla_store
from pakn_desktop.data.settings.rows import read_group
from pakn_desktop.data.settings.sla import SLA
from pakn_desktop.domain.sla import Policy, match_policy, report_at_risk_at
from pakn_desktop.domain.sla.deadlines import minutes_of

from .clock import MIN, us_of

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Rule:
    """A matched policy, with what a calendar-clock policy needs precomputed."""

    policy: Policy
    forward_us: int
    working: bool
    resolve_us: int  # calendar clock: the resolve budget; working clock: unused
    risk_us: int  # calendar clock: receipt → at risk (the same for every report)


class DemoDeadlines:
    def __init__(self, conn: Connection) -> None:
        self.settings = read_group(conn, SLA)
        self.calendar = sla_store.read_calendar(conn, self.settings)
        self.policies = sla_store.read_policies(conn)
        self.off_days: set[date] = demo_reads.days_off(conn)
        self._rules: dict[tuple[str, str, str, str], Rule | None] = {}

    def is_day_off(self, day: date) -> bool:
        return day in self.off_days

    def rule(self, channel: str, category: str, kind: str, urgency: str) -> Rule | None:
        """The policy intake would match for this report (None: no deadline)."""
        key = (channel, category, kind, urgency)
        if key in self._rules:
            return self._rules[key]
        policy = match_policy(self.policies, channel, category, kind, urgency)
        found = None if policy is None else self._rule(policy)
        self._rules[key] = found
        return found

    def _rule(self, policy: Policy) -> Rule:
        # Forward limits are calendar minutes (services.sla.load_policies).
        forward_us = round(minutes_of(policy.forward, self.calendar) * MIN)
        working = policy.resolve.unit.is_working
        if working:
            return Rule(policy, forward_us, True, 0, 0)
        resolve_us = round(minutes_of(policy.resolve, self.calendar) * MIN)
        # domain.sla.at_risk_at on the real clock: start + ceil(budget × share), any start.
        sample = datetime(2026, 1, 1, tzinfo=UTC)
        risk = report_at_risk_at(
            sample,
            sample + timedelta(microseconds=resolve_us),
            False,
            self.settings.at_risk_share,
            self.calendar,
        )
        return Rule(policy, forward_us, False, resolve_us, us_of(risk) - us_of(sample))

    def resolve(self, received: int, rule: Rule) -> tuple[int, int]:
        """(due, at risk) in µs for a report received at ``received`` (µs)."""
        if not rule.working:
            return received + rule.resolve_us, received + rule.risk_us
        start = _EPOCH + timedelta(microseconds=received)
        minutes = minutes_of(rule.policy.resolve, self.calendar)
        due = self.calendar.add_working_time(start, minutes)
        risk = report_at_risk_at(start, due, True, self.settings.at_risk_share, self.calendar)
        return us_of(due), us_of(risk)


__all__ = ["DemoDeadlines", "Rule"]
