"""A queue row as read from ``ticket``: its columns, the row, and the unit names it needs.

Here, below both, because data.queue and data.search return the same rows.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, select

from .models import Ticket, Unit
from .queue_types import Names, QueueRow

_T = Ticket

# ``to_row`` reads them by position.
ROW_COLUMNS = (
    _T.id,
    _T.code,
    _T.received_at,
    _T.channel_code,
    _T.category_code,
    _T.kind,
    _T.commune_code,
    _T.summary,
    _T.status,
    _T.lead_unit_id,
    _T.due_at,
    _T.at_risk_at,
    _T.paused_at,
    _T.forward_due_at,
    _T.forward_at_risk_at,
    _T.forwarded_at,
    _T.forward_on_time,
)


def to_row(r: Any, names: Names) -> QueueRow:
    (tid, code, received, channel, category, kind, commune, summary, status, unit, due, risk) = r[
        :12
    ]
    return QueueRow(
        id=tid,
        code=code,
        received_at=received,
        channel=names.channels.get(channel, channel),
        category=names.categories.get(category, category),
        kind=names.kinds.get(kind, kind),
        commune=names.communes.get(commune, commune or "") if commune else "",
        summary=summary,
        status=status,
        unit=names.units.get(unit, "") if unit is not None else "",
        due_at=due,
        channel_code=channel,
        category_code=category,
        kind_code=kind,
        commune_code=commune,
        unit_id=unit,
        at_risk_at=risk,
        paused_at=r[12],
        forward_due_at=r[13],
        forward_at_risk_at=r[14],
        forwarded_at=r[15],
        forward_on_time=None if r[16] is None else bool(r[16]),
    )


def ensure_units(conn: Connection, names: Names, wanted: set[uuid.UUID]) -> None:
    """Add the names of ``wanted`` units missing from the cache: one small IN query per page,
    so the first page never waits for the whole (growing) unit table."""
    missing = [u for u in wanted if u not in names.units]
    if missing:
        found = conn.execute(select(Unit.id, Unit.name).where(Unit.id.in_(missing)))
        units = names.units
        assert isinstance(units, dict)
        units.update({row[0]: row[1] for row in found})
