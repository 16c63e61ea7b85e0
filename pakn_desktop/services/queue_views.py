"""The queue's saved views as plain values (issue 7): their keys, Vietnamese names and queries.

Qt-free, so that the command line (``export queue --view NAME``) and the screen
(ui/queue/saved_views.py) build a view's query the one same way.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from pakn_desktop.domain.enums import OPEN_STATUSES
from pakn_desktop.domain.text import fold
from pakn_desktop.services.queue import QueueQuery
from pakn_desktop.services.view_names import (  # re-exported: the views' one vocabulary
    ALL as ALL,
)
from pakn_desktop.services.view_names import (
    AT_RISK as AT_RISK,
)
from pakn_desktop.services.view_names import (
    BY_CHANNEL as BY_CHANNEL,
)
from pakn_desktop.services.view_names import (
    BY_UNIT as BY_UNIT,
)
from pakn_desktop.services.view_names import (
    COMPLAINTS as COMPLAINTS,
)
from pakn_desktop.services.view_names import (
    FORWARD_AT_RISK as FORWARD_AT_RISK,
)
from pakn_desktop.services.view_names import (
    FORWARD_OVERDUE as FORWARD_OVERDUE,
)
from pakn_desktop.services.view_names import (
    MINE as MINE,
)
from pakn_desktop.services.view_names import (
    OVERDUE as OVERDUE,
)
from pakn_desktop.services.view_names import (
    PAUSED as PAUSED,
)
from pakn_desktop.services.view_names import (
    TO_SCREEN as TO_SCREEN,
)
from pakn_desktop.services.view_names import (
    VIEWS as VIEWS,
)
from pakn_desktop.services.view_names import (
    WAITING as WAITING,
)

OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))


@dataclass(frozen=True)
class Picks:
    """What a view needs besides its key: the moment deadlines are judged at, this station,
    the unit and channel chosen in the filter bar."""

    now: datetime
    station_code: str | None = None
    unit: uuid.UUID | None = None
    channel: str | None = None


def view_query(key: str, picks: Picks) -> QueueQuery:
    """The query of one saved view (sorting is the table's business)."""
    if key == TO_SCREEN:
        return QueueQuery(statuses=("new", "screening"))
    if key == WAITING:
        return QueueQuery(statuses=("forwarded",))
    if key in (AT_RISK, OVERDUE, PAUSED):  # PAUSED: the clock stopped (data.deadline_sql)
        return QueueQuery(statuses=OPEN, deadline=key, now=picks.now)
    if key in (FORWARD_AT_RISK, FORWARD_OVERDUE):
        # Only reports waiting to be forwarded carry a forward at-risk moment: no status
        # term, the range of ix_ticket_forward_at_risk is the whole read.
        return QueueQuery(deadline=key, now=picks.now)
    if key == MINE:
        # No logins yet: "mine" is what this workstation received and is still open.
        return QueueQuery(statuses=OPEN, station_code=picks.station_code or "?")
    if key == BY_UNIT:
        return QueueQuery(unit=picks.unit)
    if key == BY_CHANNEL:
        return QueueQuery(channel=picks.channel)
    if key == COMPLAINTS:
        return QueueQuery(kinds=("khieu_nai", "to_cao"))
    return QueueQuery()


def find_view(name: str) -> str | None:
    """The key of the view called ``name``: its key (``overdue``) or its Vietnamese name,
    with or without accents (``Quá hạn``, ``qua han``)."""
    wanted = fold(name)
    for key, label in VIEWS.items():
        if wanted in (fold(key), fold(label)):
            return key
    return None
