"""The queue's plain values: the question (QueueQuery) and the answers (rows, anchors, detail).

Standard library only, so the GUI can import them without loading SQLAlchemy on its start path.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SortKey = tuple[Any, ...]
"""The values of a row's sort columns, lead column first and ``id`` last."""

# The queue's sortable columns; each has a (column[, received_at], id) index (data.queue).
SORT_KEYS: tuple[str, ...] = (
    "code",
    "received_at",
    "channel",
    "category",
    "kind",
    "commune",
    "summary",
    "status",
    "unit",
    "due_at",
)


@dataclass(frozen=True)
class QueueQuery:
    """What the queue shows: filters (all optional, ANDed) and one sort column."""

    statuses: tuple[str, ...] = ()
    channel: str | None = None
    category: str | None = None
    kind: str | None = None
    unit: uuid.UUID | None = None
    text: str = ""
    sort: str = "received_at"
    descending: bool = True
    # Dashboard drill-down (issue 8): received in [received_from, received_to); a deadline
    # state (data.deadline_sql: "on_track", "at_risk", "overdue", "paused", "no_due") judged
    # at ``now`` against the stored due time and at-risk moment — fixed when the filter is
    # made, so every page of the result agrees. The forward deadline's states
    # ("forward_on_track", "forward_at_risk", "forward_overdue") are judged the same way.
    received_from: datetime | None = None
    received_to: datetime | None = None
    deadline: str | None = None
    now: datetime | None = None
    # Saved views (issue 7): several kinds at once (complaints and denunciations), one commune,
    # the reports received at one workstation ("mine" until there are logins).
    kinds: tuple[str, ...] = ()
    commune: str | None = None
    station_code: str | None = None
    # Dashboard drill-down (issue 8): minutes from receipt to the first assignment in
    # [low, high) (either end None: open), as data.dashboard.forward_minutes bins them.
    forward_minutes: tuple[float | None, float | None] | None = None

    def __post_init__(self) -> None:
        if self.sort not in SORT_KEYS:
            raise ValueError(f"unknown sort key {self.sort!r}; expected one of {SORT_KEYS}")


@dataclass(frozen=True)
class QueueRow:
    """One queue line: display names resolved, codes kept for sorting and filtering."""

    id: uuid.UUID
    code: str
    received_at: datetime
    channel: str
    category: str
    kind: str
    commune: str
    summary: str
    status: str  # a domain.enums.Status value; the UI words it
    unit: str
    due_at: datetime | None
    channel_code: str = ""
    category_code: str = ""
    kind_code: str = ""
    commune_code: str | None = None
    unit_id: uuid.UUID | None = None
    # The stored moment an open report turns "at risk" (ticket.at_risk_at, issue 8): the same
    # column the deadline filter compares, so a badge and a filter never disagree.
    at_risk_at: datetime | None = None
    # Waiting for the citizen since (ticket.paused_at, the "pause" action): the clock stopped.
    paused_at: datetime | None = None
    # The forward (5-minute) deadline: its due time, the stored at-risk moment (set only
    # while the report waits to be forwarded, data.forward_watch), the first forward and
    # whether it was on time.
    forward_due_at: datetime | None = None
    forward_at_risk_at: datetime | None = None
    forwarded_at: datetime | None = None
    forward_on_time: bool | None = None


@dataclass(frozen=True)
class Anchor:
    """Row ``index`` (0-based, in the query's order) has sort key ``key``."""

    index: int
    key: SortKey


@dataclass(frozen=True)
class Names:
    """Small reference tables as dicts, so a page query never joins (it stays an index walk)."""

    channels: Mapping[str, str] = field(default_factory=dict)
    categories: Mapping[str, str] = field(default_factory=dict)
    kinds: Mapping[str, str] = field(default_factory=dict)
    communes: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[uuid.UUID, str] = field(default_factory=dict)


@dataclass(frozen=True)
class QueueShape:
    """How many rows a query has, and its anchors: read in one transaction, so they agree."""

    count: int
    anchors: tuple[Anchor, ...]
    every: int


@dataclass(frozen=True)
class ReporterInfo:
    full_name: str
    phone: str
    email: str
    address: str


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str
    actor: str
    data: Mapping[str, Any]
    case: str = ""  # the case code of a report merged into the shown one; "" for its own


@dataclass(frozen=True)
class Delivery:
    """One SMS or e-mail to a unit about the report, and how its sending went."""

    channel: str  # sms | email
    recipient: str
    unit: str
    state: str  # pending | sent | failed
    attempts: int
    queued_at: datetime | None
    sent_at: datetime | None
    next_attempt_at: datetime | None
    error: str  # the last failure in Vietnamese ("" when none)


@dataclass(frozen=True)
class Outcome:
    """What came of the report: the unit's result, the text published, the moderator's
    handling note and the answer given on the call."""

    result: str = ""
    result_at: datetime | None = None
    publication: str = ""
    published_at: datetime | None = None
    handling_note: str = ""
    answer: str = ""


@dataclass(frozen=True)
class TicketDetail:
    """Everything the read-only detail pane shows about one report."""

    id: uuid.UUID
    code: str
    station: str
    received_at: datetime
    channel: str
    category: str
    kind: str
    urgency: str
    province: str
    commune: str
    address: str
    event_at: datetime | None
    summary: str
    content: str
    status: str
    unit: str
    forward_due_at: datetime | None
    due_at: datetime | None
    closed_at: datetime | None
    confidential: bool
    no_publish: bool
    identity_protected: bool
    reporter: ReporterInfo | None
    events: tuple[TimelineEvent, ...]
    version: int = 0  # ticket.version when read: workflow actions pass it (stale check)
    duplicate_of: tuple[uuid.UUID, str] | None = None  # (id, case code) of the original
    merged: bool = False  # merged into ``duplicate_of`` (not only linked as its duplicate)
    merged_from: tuple[str, ...] = ()  # case codes of the reports merged into this one
    paused_at: datetime | None = None  # waiting for the citizen since (None: clock runs)
    outcome: Outcome = Outcome()
    deliveries: tuple[Delivery, ...] = ()  # the units' SMS and e-mail, oldest first
