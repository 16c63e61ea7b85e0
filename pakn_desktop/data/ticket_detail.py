"""One report's read-only detail (the queue's detail pane): Core queries, dataclasses out."""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, select

from .models import Province, Reporter, Station, Ticket, TicketEvent, User
from .queue import ensure_units
from .queue_types import Names, ReporterInfo, TicketDetail, TimelineEvent

_T = Ticket


def ticket_detail(conn: Connection, names: Names, ticket_id: uuid.UUID) -> TicketDetail:
    """The report with its reporter and timeline; KeyError when it does not exist."""
    t = conn.execute(select(_T.__table__).where(_T.id == ticket_id)).one_or_none()
    if t is None:
        raise KeyError(ticket_id)
    m = t._mapping
    if m["lead_unit_id"] is not None:
        ensure_units(conn, names, {m["lead_unit_id"]})
    province = ""
    if m["province_code"] is not None:
        found = conn.execute(select(Province.name).where(Province.code == m["province_code"]))
        province = found.scalar_one_or_none() or ""
    station = conn.execute(select(Station.code).where(Station.id == m["station_id"]))
    return TicketDetail(
        id=m["id"],
        code=m["code"],
        station=station.scalar_one_or_none() or "",
        received_at=m["received_at"],
        channel=names.channels.get(m["channel_code"], m["channel_code"]),
        category=names.categories.get(m["category_code"], m["category_code"]),
        kind=names.kinds.get(m["kind"], m["kind"]),
        urgency=m["urgency"],
        province=province,
        commune=names.communes.get(m["commune_code"], "") if m["commune_code"] else "",
        address=m["address"] or "",
        event_at=m["event_at"],
        summary=m["summary"],
        content=m["content"],
        status=m["status"],
        unit=names.units.get(m["lead_unit_id"], "") if m["lead_unit_id"] else "",
        forward_due_at=m["forward_due_at"],
        due_at=m["due_at"],
        closed_at=m["closed_at"],
        confidential=bool(m["confidential"]),
        no_publish=bool(m["no_publish"]),
        identity_protected=bool(m["identity_protected"]),
        reporter=_reporter(conn, m["reporter_id"]),
        events=_events(conn, ticket_id),
    )


def _reporter(conn: Connection, reporter_id: uuid.UUID | None) -> ReporterInfo | None:
    if reporter_id is None:
        return None
    r = conn.execute(
        select(Reporter.full_name, Reporter.phone, Reporter.email, Reporter.address).where(
            Reporter.id == reporter_id
        )
    ).one_or_none()
    if r is None:
        return None
    return ReporterInfo(
        full_name=r.full_name or "",
        phone=r.phone or "",
        email=r.email or "",
        address=r.address or "",
    )


def _events(conn: Connection, ticket_id: uuid.UUID) -> tuple[TimelineEvent, ...]:
    rows = conn.execute(
        select(TicketEvent.at, TicketEvent.kind, User.full_name, TicketEvent.data)
        .outerjoin(User, User.id == TicketEvent.actor_id)
        .where(TicketEvent.ticket_id == ticket_id)
        .order_by(TicketEvent.seq)
    )
    return tuple(
        TimelineEvent(at=r[0], kind=r[1], actor=r[2] or "", data=dict(r[3] or {})) for r in rows
    )
