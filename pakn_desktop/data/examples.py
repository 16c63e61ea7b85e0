"""Examples the screenshots show (``ui/screenshot``), read from the demo database: the report
the intake shots type back in, the routes its routing rules are made of."""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, Row, func, select

from pakn_desktop.data.models import Reporter, Ticket


def latest_named_report(
    conn: Connection,
) -> Row[str | None, str | None, str | None, str | None, str, str]:
    """(phone, full_name, province_code, commune_code, category_code, summary)."""
    query = (
        select(
            Reporter.phone,
            Reporter.full_name,
            Ticket.province_code,
            Ticket.commune_code,
            Ticket.category_code,
            Ticket.summary,
        )
        .join(Reporter, Ticket.reporter_id == Reporter.id)
        .where(
            Reporter.phone.is_not(None),
            Ticket.commune_code.is_not(None),
            Ticket.identity_protected.is_(False),
            Ticket.status != "duplicate",
        )
        .order_by(Ticket.received_at.desc())
        .limit(1)
    )
    return conn.execute(query).one()


def routing_examples(conn: Connection, limit: int) -> list[Row[str, str | None, uuid.UUID | None]]:
    """(category_code, province_code, lead_unit_id): the most frequent routes of reports already
    forwarded, at most one per category and province, most frequent first."""
    count = func.count().label("n")
    rows = conn.execute(
        select(Ticket.category_code, Ticket.province_code, Ticket.lead_unit_id)
        .where(Ticket.lead_unit_id.is_not(None))
        .group_by(Ticket.category_code, Ticket.province_code, Ticket.lead_unit_id)
        .order_by(count.desc(), Ticket.category_code)
        .limit(limit * 4)
    ).all()
    seen: set[tuple[str, str | None]] = set()
    found: list[Row[str, str | None, uuid.UUID | None]] = []
    for row in rows:
        if (row.category_code, row.province_code) not in seen and len(found) < limit:
            seen.add((row.category_code, row.province_code))
            found.append(row)
    return found
