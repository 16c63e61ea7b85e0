"""What a write changed, told to every screen (Anki's ``OpChanges``): the reports created or
updated, and which reference data or settings. A write service returns or carries one; the
GUI's hub (``ui/changes_hub.py``) broadcasts it and each screen decides whether to read again.

The sync pull returns one for what it brought from other workstations (``services.sync.pull``):
the reports by id when they are few, ``every_report`` when a batch is too big to name them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

# Past this many reports a value names none of them: every screen reads all again, which
# costs less than placing each row (and a bulk close of a million keeps no million ids).
MANY_REPORTS = 1000


class Topic(StrEnum):
    """Data other than the reports' own rows that a write may change."""

    UNITS = "units"  # units and their contact people (names shown on reports)
    ROUTING_RULES = "routing_rules"
    DEADLINE_SETTINGS = "deadline_settings"  # working time, holidays, shares, ladder
    NOTIFY_SETTINGS = "notify_settings"  # SMS gateway and mail server
    SYNC_SETTINGS = "sync_settings"  # the shared server's address or password (the sync restarts)
    SYNC_OUTBOX = "sync_outbox"  # refused changes made pending again (the sync runs a round)
    NOTIFICATIONS = "notifications"  # unit notification jobs written (a forward)
    DELIVERIES = "deliveries"  # a notification sent, retried or given up (the dispatcher)
    ALERTS = "alerts"  # deadline alerts or escalations recorded
    EVIDENCE = "evidence"  # a report's evidence or custody events (attach, redact, export)


@dataclass(frozen=True)
class Changes:
    """Frozen and combinable with ``|``; an empty value changed nothing (false)."""

    created: frozenset[uuid.UUID] = frozenset()
    updated: frozenset[uuid.UUID] = frozenset()
    # Too many reports to name, or not known which (the demo generator, deadline settings
    # that moved every open report's at-risk moment): screens read all again.
    every_report: bool = False
    topics: frozenset[Topic] = frozenset()

    @classmethod
    def reports_created(cls, ids: Iterable[uuid.UUID]) -> Changes:
        return cls(created=frozenset(ids))._capped()

    @classmethod
    def reports_updated(cls, ids: Iterable[uuid.UUID], *topics: Topic) -> Changes:
        return cls(updated=frozenset(ids), topics=frozenset(topics))._capped()

    @classmethod
    def of(cls, *topics: Topic, every_report: bool = False) -> Changes:
        return cls(topics=frozenset(topics), every_report=every_report)

    def __or__(self, other: Changes) -> Changes:
        created = self.created | other.created
        return Changes(
            created=created,
            updated=(self.updated | other.updated) - created,  # new is what the screens need
            every_report=self.every_report or other.every_report,
            topics=self.topics | other.topics,
        )._capped()

    def _capped(self) -> Changes:
        if len(self.created) + len(self.updated) <= MANY_REPORTS:
            return self
        return Changes(every_report=True, topics=self.topics)

    def __bool__(self) -> bool:
        return bool(self.created or self.updated or self.every_report or self.topics)

    @property
    def reports(self) -> frozenset[uuid.UUID]:
        """Every report named, created or updated."""
        return self.created | self.updated

    def touches_reports(self) -> bool:
        """Some report's row changed: counts and aggregates over reports are stale."""
        return self.every_report or bool(self.created or self.updated)

    def concerns(self, ticket_id: uuid.UUID | None) -> bool:
        """Report ``ticket_id`` (None: none) may read differently now."""
        return ticket_id is not None and (self.every_report or ticket_id in self.reports)

    def has(self, *topics: Topic) -> bool:
        return any(topic in self.topics for topic in topics)


NOTHING = Changes()

# Which screens' data a table is, for a write known by its tables (a pulled batch, another
# program's outbox rows; decision 42); reports are named by id.
TABLE_TOPICS: dict[str, tuple[Topic, ...]] = {
    "unit": (Topic.UNITS,),
    "unit_contact": (Topic.UNITS,),
    "routing_rule": (Topic.ROUTING_RULES,),
    "sla_policy": (Topic.DEADLINE_SETTINGS,),
    "calendar_exception": (Topic.DEADLINE_SETTINGS,),
    "setting": (Topic.DEADLINE_SETTINGS, Topic.NOTIFY_SETTINGS),
    "notification": (Topic.NOTIFICATIONS,),
    "evidence": (Topic.EVIDENCE,),
    "blob": (Topic.EVIDENCE,),
}


def topics_of(tables: Iterable[str]) -> set[Topic]:
    return {topic for table in tables for topic in TABLE_TOPICS.get(table, ())}


def combine(values: Iterable[Changes]) -> Changes:
    """Several changes as one (a bulk run's reports): one pass, not a new set per value."""
    created: set[uuid.UUID] = set()
    updated: set[uuid.UUID] = set()
    topics: set[Topic] = set()
    every = False
    for value in values:
        created |= value.created
        updated |= value.updated
        topics |= value.topics
        every = every or value.every_report
    return Changes(
        created=frozenset(created),
        updated=frozenset(updated - created),
        every_report=every,
        topics=frozenset(topics),
    )._capped()
