"""The daily report's lists: the overdue reports and the period's reports, as plain rows.

Each row carries what identifies its reporter (name, phones, e-mail, address, a message
sender's name) only so that ``services.reports.daily`` can mask it out of the summary; the
identity itself never reaches a writer.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select

from .alerts_store import DELAY_REASON
from .deadline_sql import OVERDUE, deadline_condition
from .models import Category, Channel, KindLabel, Reporter, Ticket, TicketEvent, Unit

_T = Ticket
_CHUNK = 500  # ids per IN (...): under SQLite's and psycopg's parameter limits
ESCALATED = "escalated"  # the deadline watch's timeline event (services.alerts)


@dataclass(frozen=True)
class Row:
    id: uuid.UUID
    code: str
    received_at: datetime
    channel: str
    category: str
    kind: str
    summary: str
    unit: str
    status: str
    due_at: datetime | None
    closed_at: datetime | None
    forward_on_time: bool | None
    identity: tuple[str, str, str, str, str]  # name, phone, phone as typed, e-mail, address
    sender: str  # a message's sender name (intake_meta), "" if none


def _select() -> Any:
    return (
        select(
            _T.id,
            _T.code,
            _T.received_at,
            func.coalesce(Channel.name, _T.channel_code),
            func.coalesce(Category.name, _T.category_code),
            func.coalesce(KindLabel.name, _T.kind),
            _T.summary,
            func.coalesce(Unit.name, ""),
            _T.status,
            _T.due_at,
            _T.closed_at,
            _T.forward_on_time,
            Reporter.full_name,
            Reporter.phone,
            Reporter.phone_raw,
            Reporter.email,
            Reporter.address,
            _T.intake_meta,
        )
        .select_from(_T)
        .outerjoin(Channel, Channel.code == _T.channel_code)
        .outerjoin(Category, Category.code == _T.category_code)
        .outerjoin(KindLabel, KindLabel.code == _T.kind)
        .outerjoin(Unit, Unit.id == _T.lead_unit_id)
        .outerjoin(Reporter, Reporter.id == _T.reporter_id)
    )


def _row(r: Any) -> Row:
    meta = r[17] if isinstance(r[17], dict) else {}
    return Row(
        id=r[0],
        code=r[1],
        received_at=r[2],
        channel=r[3],
        category=r[4],
        kind=r[5],
        summary=r[6] or "",
        unit=r[7],
        status=r[8],
        due_at=r[9],
        closed_at=r[10],
        forward_on_time=r[11],
        identity=(r[12] or "", r[13] or "", r[14] or "", r[15] or "", r[16] or ""),
        sender=str(meta.get("sender_name") or ""),
    )


def received_rows(conn: Connection, start: datetime, end: datetime) -> list[Row]:
    """The reports received in [start, end), in order of receipt."""
    stmt = (
        _select()
        .where(_T.received_at >= start, _T.received_at < end)
        .order_by(_T.received_at, _T.id)
    )
    return [_row(r) for r in conn.execute(stmt)]


def overdue_rows(conn: Connection, open_statuses: Sequence[str], now: datetime) -> list[Row]:
    """The open reports overdue at ``now`` (the dashboard's overdue bar), oldest due first."""
    stmt = (
        _select()
        .where(and_(_T.status.in_(list(open_statuses)), deadline_condition(OVERDUE, now)))
        .order_by(_T.due_at, _T.id)
    )
    return [_row(r) for r in conn.execute(stmt)]


def delays_and_escalations(
    conn: Connection, ticket_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, int]]:
    """Per report: its last delay reason ("" if none) and how many times it was escalated."""
    found: dict[uuid.UUID, tuple[str, int]] = {}
    for i in range(0, len(ticket_ids), _CHUNK):
        chunk = list(ticket_ids[i : i + _CHUNK])
        rows = conn.execute(
            select(TicketEvent.ticket_id, TicketEvent.kind, TicketEvent.data)
            .where(
                TicketEvent.ticket_id.in_(chunk),
                TicketEvent.kind.in_([DELAY_REASON, ESCALATED]),
            )
            .order_by(TicketEvent.ticket_id, TicketEvent.seq)
        )
        for tid, kind, data in rows:
            reason, count = found.get(tid, ("", 0))
            if kind == ESCALATED:
                count += 1
            else:
                reason = str((data or {}).get("reason") or "").strip() or reason
            found[tid] = (reason, count)
    return found
