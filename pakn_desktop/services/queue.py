"""The queue use cases: paged, sorted, filtered rows and one report's read-only detail.

Every method opens its own connection, so calls may run on any worker thread (the GUI runs
them through ``ui/tasks.py``); results are frozen dataclasses, never ORM objects.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, exists, select

from pakn_desktop.data import queue as q
from pakn_desktop.data.models import (
    Province,
    Reporter,
    Station,
    Ticket,
    TicketEvent,
    User,
)

from .database import Database

Anchor = q.Anchor
Names = q.Names
QueueQuery = q.QueueQuery
QueueRow = q.QueueRow
SortKey = q.SortKey
SORT_KEYS = q.SORT_KEYS
sort_key = q.sort_key


@dataclass(frozen=True)
class QueueShape:
    """How many rows a query has, and its anchors: read in one transaction, so they agree."""

    count: int
    anchors: tuple[Anchor, ...]
    every: int


@dataclass(frozen=True)
class ReporterInfo:
    full_name: str
    phone: str
    email: str
    address: str


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str
    actor: str
    data: Mapping[str, Any]


@dataclass(frozen=True)
class TicketDetail:
    """Everything the read-only detail pane shows about one report."""

    id: uuid.UUID
    code: str
    station: str
    received_at: datetime
    channel: str
    category: str
    kind: str
    urgency: str
    province: str
    commune: str
    address: str
    event_at: datetime | None
    summary: str
    content: str
    status: str
    unit: str
    forward_due_at: datetime | None
    due_at: datetime | None
    closed_at: datetime | None
    confidential: bool
    no_publish: bool
    identity_protected: bool
    reporter: ReporterInfo | None
    events: tuple[TimelineEvent, ...]


class QueueService:
    """Facade over ``data.queue`` with the reference names cached (they change rarely)."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._names: Names | None = None
        self._lock = threading.Lock()

    # --- reference names ------------------------------------------------------------------

    def names(self, conn: Connection | None = None) -> Names:
        with self._lock:
            if self._names is None:
                if conn is None:
                    with self._database.engine.connect() as own:
                        self._names = q.load_names(own)
                else:
                    self._names = q.load_names(conn)
            return self._names

    def forget_names(self) -> None:
        """Reload channel/category/unit names on next use (after an administrator edits them)."""
        with self._lock:
            self._names = None

    # --- queue ----------------------------------------------------------------------------

    def is_empty(self) -> bool:
        with self._database.engine.connect() as conn:
            return not conn.execute(select(exists().where(Ticket.id.is_not(None)))).scalar_one()

    def count(self, query: QueueQuery) -> int:
        with self._database.engine.connect() as conn:
            return q.count(conn, query)

    def first_page(self, query: QueueQuery, limit: int) -> list[QueueRow]:
        with self._database.engine.connect() as conn:
            return q.first_page(conn, query, self.names(conn), limit)

    def page_after(
        self, query: QueueQuery, after: SortKey | None, limit: int, *, inclusive: bool = False
    ) -> list[QueueRow]:
        with self._database.engine.connect() as conn:
            return q.page_after(conn, query, self.names(conn), after, limit, inclusive=inclusive)

    def anchors(self, query: QueueQuery, every: int) -> list[Anchor]:
        with self._database.engine.connect() as conn:
            return q.anchors(conn, query, every)

    def shape(self, query: QueueQuery, every: int) -> QueueShape:
        with self._database.engine.connect() as conn, conn.begin():
            total = q.count(conn, query)
            marks = q.anchors(conn, query, every) if total else []
        return QueueShape(count=total, anchors=tuple(marks), every=every)

    # --- detail ---------------------------------------------------------------------------

    def ticket_detail(self, ticket_id: uuid.UUID) -> TicketDetail:
        """The report with its reporter and timeline; KeyError when it does not exist."""
        with self._database.engine.connect() as conn:
            names = self.names(conn)
            t = conn.execute(select(Ticket.__table__).where(Ticket.id == ticket_id)).one_or_none()
            if t is None:
                raise KeyError(ticket_id)
            m = t._mapping
            province = ""
            if m["province_code"] is not None:
                province = (
                    conn.execute(
                        select(Province.name).where(Province.code == m["province_code"])
                    ).scalar_one_or_none()
                    or ""
                )
            station = conn.execute(
                select(Station.code).where(Station.id == m["station_id"])
            ).scalar_one_or_none()
            return TicketDetail(
                id=m["id"],
                code=m["code"],
                station=station or "",
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
