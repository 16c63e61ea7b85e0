"""The reports a new one may repeat (``services.intake.duplicates`` scores them): the newest of
the same category and place, each with the first characters of its content."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from pakn_desktop.domain.enums import Status

from .models import Ticket


def recent_in_place(
    conn: Connection,
    *,
    category_code: str,
    commune_code: str,
    province_code: str,
    since: datetime,
    head_chars: int,
    limit: int,
) -> list[Any]:
    """(id, code, received_at, summary, status, head) of the newest ``limit`` reports of the
    category received since ``since``, in the commune (or else the province) when given, not
    duplicates; newest first."""
    query = select(
        Ticket.id,
        Ticket.code,
        Ticket.received_at,
        Ticket.summary,
        Ticket.status,
        func.substr(Ticket.content, 1, head_chars).label("head"),
    ).where(
        Ticket.category_code == category_code,
        Ticket.received_at >= since,
        Ticket.status != Status.DUPLICATE.value,
    )
    if commune_code:
        query = query.where(Ticket.commune_code == commune_code)
    elif province_code:
        query = query.where(Ticket.province_code == province_code)
    query = query.order_by(Ticket.received_at.desc(), Ticket.id.desc()).limit(limit)
    return list(conn.execute(query).all())
