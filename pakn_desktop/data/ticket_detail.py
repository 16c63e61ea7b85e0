"""One report's read-only detail (the queue's detail pane): Core queries, dataclasses out.

A report others were merged into shows their timelines with its own, each event labelled
with its case code, in time order (issue 7: "the merged report keeps both timelines").
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, select

from pakn_desktop.domain.publication import Identity

from .models import Province, Reporter, Station, Ticket, TicketEvent, TicketResult, User
from .notifications import for_ticket
from .protected import withheld
from .queue_rows import ensure_units
from .queue_types import Delivery, Names, Outcome, ReporterInfo, TicketDetail, TimelineEvent
from .workflow_store import MERGED_FROM, merged_into

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
    duplicate_of = None
    is_merged = False
    if m["duplicate_of_id"] is not None:
        original = conn.scalar(select(_T.code).where(_T.id == m["duplicate_of_id"]))
        duplicate_of = (m["duplicate_of_id"], str(original or ""))
        is_merged = merged_into(conn, ticket_id) == m["duplicate_of_id"]
    merged = merged_into_tree(conn, ticket_id)
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
        events=_timeline(conn, ticket_id, merged),
        version=int(m["version"]),
        duplicate_of=duplicate_of,
        merged=is_merged,
        merged_from=tuple(code for _id, code in merged),
        paused_at=m["paused_at"],
        outcome=_outcome(conn, ticket_id, m),
        deliveries=_deliveries(conn, names, ticket_id),
    )


def _outcome(conn: Connection, ticket_id: uuid.UUID, m: Any) -> Outcome:
    r = conn.execute(
        select(
            TicketResult.result_text,
            TicketResult.result_at,
            TicketResult.publication_text,
            TicketResult.published_at,
        ).where(TicketResult.ticket_id == ticket_id)
    ).one_or_none()
    return Outcome(
        result=(r[0] or "") if r else "",
        result_at=r[1] if r else None,
        publication=(r[2] or "") if r else "",
        published_at=r[3] if r else None,
        handling_note=m["handling_note"] or "",
        answer=m["answer"] or "",
    )


def _deliveries(conn: Connection, names: Names, ticket_id: uuid.UUID) -> tuple[Delivery, ...]:
    jobs = for_ticket(conn, ticket_id)
    if jobs:
        ensure_units(conn, names, {job.unit_id for job in jobs})
    return tuple(
        Delivery(
            channel=job.channel,
            recipient=job.recipient,
            unit=names.units.get(job.unit_id, ""),
            state=job.state,
            attempts=job.attempts,
            queued_at=job.created_at,
            sent_at=job.sent_at,
            next_attempt_at=job.next_attempt_at if job.state == "pending" else None,
            error=job.last_error or "",
        )
        for job in jobs
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


def _kind_data(conn: Connection, ticket_id: uuid.UUID, kind: str) -> list[dict[str, Any]]:
    found = conn.scalars(
        select(TicketEvent.data)
        .where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind == kind)
        .order_by(TicketEvent.seq)
    )
    return [dict(d or {}) for d in found]


def merged_into_tree(
    conn: Connection, ticket_id: uuid.UUID, limit: int = 200
) -> list[tuple[uuid.UUID, str]]:
    """(id, case code) of every report merged into this one, and into those, and so on
    (A into B, then B into C: C shows A's timeline too). Each at most once."""
    out: list[tuple[uuid.UUID, str]] = []
    seen = {ticket_id}
    todo = [ticket_id]
    while todo and len(out) < limit:
        for data in _kind_data(conn, todo.pop(0), MERGED_FROM):
            child = uuid.UUID(str(data["ticket_id"]))
            if child not in seen:
                seen.add(child)
                out.append((child, str(data.get("code") or "")))
                todo.append(child)
    return out


def _timeline(
    conn: Connection, ticket_id: uuid.UUID, merged: list[tuple[uuid.UUID, str]]
) -> tuple[TimelineEvent, ...]:
    """The report's events, then those of the reports merged into it, in time order (the
    report's own first at equal times; each report's own order kept)."""
    cases = {ticket_id: "", **dict(merged)}
    order = {tid: n for n, tid in enumerate(cases)}
    found = conn.execute(
        select(
            TicketEvent.ticket_id,
            TicketEvent.seq,
            TicketEvent.at,
            TicketEvent.kind,
            User.full_name,
            TicketEvent.data,
        )
        .outerjoin(User, User.id == TicketEvent.actor_id)
        .where(TicketEvent.ticket_id.in_(list(cases)))
    ).all()
    rows = sorted(found, key=lambda r: (r[2], order[r[0]], r[1]))
    return tuple(
        TimelineEvent(at=r[2], kind=r[3], actor=r[4] or "", data=dict(r[5] or {}), case=cases[r[0]])
        for r in rows
    )


def withheld_identities(conn: Connection, ticket_id: uuid.UUID) -> tuple[Identity, ...] | None:
    """Who a protected report (a denunciation, or a reporter who asked for confidentiality)
    must not name, for output the reader's role cannot be proven for: the reporter, and the
    sender of a message (``data.protected``). None when the report is not protected; KeyError
    when none exists."""
    if conn.scalar(select(_T.id).where(_T.id == ticket_id)) is None:
        raise KeyError(ticket_id)
    return withheld(conn, [ticket_id]).get(ticket_id)
