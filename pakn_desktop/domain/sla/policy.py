"""Deadline policies and the rule that picks one for a report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    """How an amount of time is counted (the ``sla_policy.resolve_unit`` codes)."""

    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"

    @property
    def is_working(self) -> bool:
        """Counted in working time (office hours on working days), not on the wall clock."""
        return self in (Unit.WORKING_HOURS, Unit.WORKING_DAYS)


@dataclass(frozen=True, slots=True)
class Amount:
    """A length of time: ``value`` in ``unit``."""

    value: float
    unit: Unit

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError(f"amount must be ≥ 0: {self.value}")


@dataclass(frozen=True, slots=True)
class Policy:
    """Deadlines for the reports it matches; a ``None`` match field matches anything.

    ``forward`` (to the handling unit) and ``first_response`` are usually calendar minutes,
    since the hotline runs around the clock; ``resolve`` is whatever the rule says (60
    minutes, 1 working day, 30 days).
    """

    name: str
    forward: Amount
    resolve: Amount
    first_response: Amount | None = None
    channel_code: str | None = None
    category_code: str | None = None
    kind: str | None = None
    urgency: str | None = None
    priority: int = 0

    def matches(
        self, channel: str | None, category: str | None, kind: str | None, urgency: str | None
    ) -> bool:
        return (
            (self.channel_code is None or self.channel_code == channel)
            and (self.kind is None or self.kind == kind)
            and (self.urgency is None or self.urgency == urgency)
            and category_matches(self.category_code, category)
        )

    def rank(self) -> tuple[int, int, int, str]:
        """Sort key, best first: priority, then specificity, then name (deterministic ties).

        Priority comes first because it is the administrator's explicit word (the seeds use it
        to make the complaint and denunciation rules outrank the category ones); among equal
        priorities the policy naming more fields wins, and a deeper category ("a.b") beats
        its parent ("a").
        """
        fields = sum(
            f is not None for f in (self.channel_code, self.category_code, self.kind, self.urgency)
        )
        depth = 0 if self.category_code is None else self.category_code.count(".") + 1
        return (-self.priority, -fields, -depth, self.name)


def category_matches(policy_category: str | None, category: str | None) -> bool:
    """``None`` matches all; a code matches itself and its descendants ("a" matches "a.b")."""
    if policy_category is None:
        return True
    if category is None:
        return False
    return category == policy_category or category.startswith(policy_category + ".")


def match_policy(
    policies: Iterable[Policy],
    channel: str | None,
    category: str | None,
    kind: str | None,
    urgency: str | None,
) -> Policy | None:
    """The best policy matching a report (see ``Policy.rank``), or ``None`` when none does."""
    best: Policy | None = None
    best_rank: tuple[int, int, int, str] | None = None
    for policy in policies:
        if not policy.matches(channel, category, kind, urgency):
            continue
        rank = policy.rank()
        if best_rank is None or rank < best_rank:
            best, best_rank = policy, rank
    return best
