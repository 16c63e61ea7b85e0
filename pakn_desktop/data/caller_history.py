"""SQL of what a typed phone number may tell the operator: its earlier reports, how many there
are and the name last given with it.

One rule for all three (the Law on Denunciations; a reporter's request for confidentiality):
a report of a denouncer (``identity_protected``) or of a reporter who asked for
confidentiality counts for nothing here. Not listed, not counted, its name never offered:
even a "withheld" line would tell that the number had denounced someone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select

from .models import Reporter, Ticket


def _open_reports_of(phone: str) -> tuple[ColumnElement[bool], ...]:
    """The number's reports that its history may show (E.164 ``phone``)."""
    return (
        Reporter.phone == phone,
        Ticket.identity_protected.is_(False),
        Ticket.confidential.is_(False),
    )


def history_rows(conn: Connection, phone: str, limit: int) -> Sequence[Any]:
    """The newest ``limit`` reports of ``phone`` the history may show (index walks on
    reporter.phone and ticket.reporter_id)."""
    query = (
        select(
            Ticket.id,
            Ticket.code,
            Ticket.received_at,
            Ticket.status,
            Ticket.kind,
            Ticket.category_code,
            Ticket.summary,
            Ticket.due_at,
            Ticket.identity_protected,
        )
        .join(Reporter, Ticket.reporter_id == Reporter.id)
        .where(*_open_reports_of(phone))
        .order_by(Ticket.received_at.desc(), Ticket.id.desc())
        .limit(limit)
    )
    return conn.execute(query).all()


def count_and_last_name(conn: Connection, phone: str) -> tuple[int, str]:
    """How many reports of ``phone`` the history may show, and the name given with the newest
    of them that has one ("" when none)."""
    count = (
        select(func.count())
        .select_from(Ticket)
        .join(Reporter, Ticket.reporter_id == Reporter.id)
        .where(*_open_reports_of(phone))
    )
    name = (
        select(Reporter.full_name)
        .join(Ticket, Ticket.reporter_id == Reporter.id)
        .where(*_open_reports_of(phone), func.coalesce(Reporter.full_name, "") != "")
        .order_by(Ticket.received_at.desc(), Ticket.id.desc())
        .limit(1)
    )
    return int(conn.scalar(count) or 0), str(conn.scalar(name) or "").strip()
