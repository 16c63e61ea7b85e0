"""The alert scanner's reads and writes: a range of the due-time index, escalation events."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session, sessionmaker

from . import timeline
from .deadline_sql import clock_running, unindexed
from .models import Assignment, Ticket, TicketEvent, Unit
from .types import utcnow

_T = Ticket
_CHUNK = 500  # ids per IN list: well under SQLite's bound-parameter limit


def open_due_between(
    conn: Connection,
    open_statuses: Sequence[str],
    low: datetime,
    high: datetime,
    *,
    include_low: bool,
) -> list[tuple[uuid.UUID, str, datetime, datetime]]:
    """(id, code, received_at, due_at) of open reports due in (low, high] (or [low, high]),
    paused ones left out (waiting for the citizen: neither overdue nor escalated).

    A range of ``ix_ticket_due``; the status and the pause are checked on the rows found
    (``+status``, so SQLite never trades the bounded range for the status index).
    """
    lower = _T.due_at >= low if include_low else _T.due_at > low
    stmt = (
        select(_T.id, _T.code, _T.received_at, _T.due_at)
        .where(
            lower,
            _T.due_at <= high,
            unindexed(_T.status).in_(list(open_statuses)),
            clock_running(),
        )
        .order_by(_T.due_at, _T.id)
    )
    return [(r[0], r[1], r[2], r[3]) for r in conn.execute(stmt) if r[3] is not None]


def open_at_risk_between(
    conn: Connection, open_statuses: Sequence[str], low: datetime, high: datetime
) -> list[tuple[uuid.UUID, str, datetime, datetime]]:
    """(id, code, at_risk_at, due_at) of open reports turning at risk in (low, high], paused
    ones left out: a range of ``ix_ticket_at_risk``, status and pause checked on the rows
    found."""
    stmt = (
        select(_T.id, _T.code, _T.at_risk_at, _T.due_at)
        .where(
            _T.at_risk_at > low,
            _T.at_risk_at <= high,
            unindexed(_T.status).in_(list(open_statuses)),
            clock_running(),
        )
        .order_by(_T.at_risk_at, _T.id)
    )
    return [
        (r[0], r[1], r[2], r[3])
        for r in conn.execute(stmt)
        if r[2] is not None and r[3] is not None
    ]


def escalated_levels(
    conn: Connection, ticket_ids: Sequence[uuid.UUID], kind: str
) -> dict[uuid.UUID, set[str]]:
    """The escalation levels already on each report's timeline."""
    found: dict[uuid.UUID, set[str]] = {}
    for i in range(0, len(ticket_ids), _CHUNK):
        chunk = list(ticket_ids[i : i + _CHUNK])
        rows = conn.execute(
            select(TicketEvent.ticket_id, TicketEvent.data).where(
                TicketEvent.ticket_id.in_(chunk), TicketEvent.kind == kind
            )
        )
        for tid, data in rows:
            found.setdefault(tid, set()).add(str((data or {}).get("level")))
    return found


def lock_and_units(
    conn: Connection, ticket_id: uuid.UUID, open_statuses: Sequence[str]
) -> list[tuple[uuid.UUID, str]] | None:
    """Lock the report's row (a no-op UPDATE, as ``workflow_store.lock_ticket``) and give
    the units handling it (open assignments, else the lead unit); None when it is closed."""
    conn.execute(update(_T).where(_T.id == ticket_id).values(version=_T.version))
    row = conn.execute(select(_T.status, _T.lead_unit_id).where(_T.id == ticket_id)).first()
    if row is None or row[0] not in open_statuses:
        return None
    assigned = conn.execute(
        select(Assignment.unit_id)
        .where(Assignment.ticket_id == ticket_id, Assignment.returned_at.is_(None))
        .order_by(Assignment.role.desc(), Assignment.assigned_at)  # the lead first
    ).scalars()
    ids = list(dict.fromkeys(assigned))
    if not ids and row[1] is not None:
        ids = [row[1]]
    if not ids:
        return []
    names = dict(conn.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all())
    return [(u, str(names.get(u, u))) for u in ids]


def append_event(
    conn: Connection,
    ticket_id: uuid.UUID,
    kind: str,
    data: Mapping[str, Any],
    station_id: uuid.UUID | None,
    at: datetime | None = None,
) -> None:
    timeline.append(
        conn, ticket_id, [(kind, data)], at=at or utcnow(), actor_id=None, station_id=station_id
    )


def local_station_id(sessions: sessionmaker[Session]) -> uuid.UUID:
    from .stations import local_station

    with sessions.begin() as session:
        return local_station(session).id


DELAY_REASON = "explain_delay"  # the timeline event of domain.workflow.Action.EXPLAIN_DELAY


def latest_delay_reason(conn: Connection, ticket_id: uuid.UUID) -> str | None:
    """The reason for the delay the lead unit (or the centre for it) typed last, if any."""
    row = conn.execute(
        select(TicketEvent.data)
        .where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind == DELAY_REASON)
        .order_by(TicketEvent.seq.desc())
        .limit(1)
    ).first()
    reason = str((row[0] or {}).get("reason") or "").strip() if row is not None else ""
    return reason or None
