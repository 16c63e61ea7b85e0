"""What the sync left on this workstation for people to look at (decision 53): the changes the
server refused (parked with its reason, ``sync_local.park``) and the conflicts the pull settled
(the values that lost, from the reports' ``sync_conflict`` events, ``sync_apply``). Read by
``services.sync.activity``; a parked change is sent again by ``unpark``."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, text, update

from pakn_desktop.domain.labels import SYNC_CONFLICT

from .models import Base

_OUTBOX = Base.metadata.tables["outbox"]
_EVENT = Base.metadata.tables["ticket_event"]
_TICKET = Base.metadata.tables["ticket"]
_STATION = Base.metadata.tables["station"]
# Written out, not bound: a partial index is used only where the query's own terms imply its
# WHERE, which a parameter cannot (SQLite and PostgreSQL's generic plans alike).
_IS_CONFLICT = text(f"ticket_event.kind = '{SYNC_CONFLICT}'")


@dataclass(frozen=True)
class ParkedChange:
    seq: int
    table: str
    op: str
    reason: str  # the server's, without values (``services.sync.push._reason``)
    parked_at: datetime | None
    ticket_id: uuid.UUID | None  # the report the row belongs to, when it says
    code: str | None  # that report's code here


@dataclass(frozen=True)
class Conflict:
    at: datetime
    ticket_id: uuid.UUID
    code: str
    table: str
    lost: dict[str, Any]  # column → the value that lost (the server kept another)
    station_code: str | None  # the station that found it (its pull)


def parked(conn: Connection, limit: int) -> list[ParkedChange]:
    """The refused changes, the latest first, at most ``limit``."""
    rows = conn.execute(
        select(
            _OUTBOX.c.seq,
            _OUTBOX.c.table_name,
            _OUTBOX.c.op,
            _OUTBOX.c.row_id,
            _OUTBOX.c.payload,
            _OUTBOX.c.last_error,
            _OUTBOX.c.parked_at,
        )
        .where(_OUTBOX.c.parked_at.is_not(None))
        .order_by(_OUTBOX.c.seq.desc())
        .limit(limit)
    ).all()
    reports = {r.seq: _report_of(r.table_name, r.row_id, r.payload) for r in rows}
    found = _codes(conn, {t for t in reports.values() if t is not None})
    codes: dict[uuid.UUID | None, str] = dict(found.items())
    return [
        ParkedChange(
            r.seq,
            r.table_name,
            r.op,
            r.last_error or "",
            r.parked_at,
            reports[r.seq],
            codes.get(reports[r.seq]),
        )
        for r in rows
    ]


def _report_of(table: str, row_id: str, payload: Any) -> uuid.UUID | None:
    if isinstance(payload, str):  # a driver that hands JSON back as text
        payload = json.loads(payload)
    found = row_id if table == "ticket" else (payload or {}).get("ticket_id")
    try:
        return uuid.UUID(str(found)) if found else None
    except ValueError:
        return None


def _codes(conn: Connection, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = conn.execute(select(_TICKET.c.id, _TICKET.c.code).where(_TICKET.c.id.in_(ids)))
    return {r.id: r.code for r in rows}


def unpark(conn: Connection) -> int:
    """Every parked change pending again (sent at the next round); the server's last reason
    stays until it is sent. How many."""
    done = conn.execute(
        update(_OUTBOX).where(_OUTBOX.c.parked_at.is_not(None)).values(parked_at=None)
    )
    return int(done.rowcount or 0)


def conflicts(conn: Connection, limit: int) -> list[Conflict]:
    """The conflicts the pull settled, the latest first, at most ``limit`` (the partial index
    ``ix_ticket_event_sync_conflict``)."""
    rows = conn.execute(
        select(_EVENT.c.at, _EVENT.c.ticket_id, _TICKET.c.code, _EVENT.c.data, _STATION.c.code)
        .join(_TICKET, _TICKET.c.id == _EVENT.c.ticket_id)
        .outerjoin(_STATION, _STATION.c.id == _EVENT.c.station_id)
        .where(_IS_CONFLICT)
        .order_by(_EVENT.c.at.desc())
        .limit(limit)
    ).all()
    found = []
    for at, ticket_id, code, data, station_code in rows:
        if isinstance(data, str):
            data = json.loads(data)
        lost = data.get("lost") if isinstance(data, dict) else None
        table = str(data.get("table", "")) if isinstance(data, dict) else ""
        found.append(Conflict(at, ticket_id, code, table, dict(lost or {}), station_code))
    return found


def conflict_count(conn: Connection) -> int:
    stmt = select(func.count()).select_from(_EVENT).where(_IS_CONFLICT)
    return int(conn.scalar(stmt) or 0)
