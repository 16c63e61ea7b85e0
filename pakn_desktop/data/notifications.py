"""The notification table: what a forward's message needs, due jobs, claims, delivery state."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, or_, select

from .models import Category, Commune, Notification, Province, Reporter, SyncState, Ticket, Unit
from .models import UnitContact as UnitContactRow
from .stations import STATION_KEY
from .writes import update_row

_N = Notification


@dataclass(frozen=True)
class NotificationView:
    id: uuid.UUID
    ticket_id: uuid.UUID
    unit_id: uuid.UUID
    channel: str
    recipient: str
    state: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    sent_at: datetime | None
    created_at: datetime | None = None  # when the forward queued it


@dataclass(frozen=True)
class TicketFacts:
    """What a message about a report may draw on (the reporter's part only to mask it)."""

    code: str
    summary: str
    category: str
    place: str
    due_at: datetime | None
    protected: bool
    reporter: dict[str, str] | None  # name, phone, phone_raw, email, address
    commune: str = ""
    province: str = ""
    sender: str = ""  # a message's sender (intake_meta), as protected as the reporter


@dataclass(frozen=True)
class UnitContact:
    id: uuid.UUID
    name: str
    phone: str
    email: str


def ticket_facts(conn: Connection, ticket_id: uuid.UUID) -> TicketFacts:
    t = conn.execute(
        select(
            Ticket.code,
            Ticket.summary,
            Category.name,
            Commune.name,
            Province.name,
            Ticket.due_at,
            Ticket.identity_protected,
            Ticket.confidential,
            Reporter.full_name,
            Reporter.phone,
            Reporter.phone_raw,
            Reporter.email,
            Reporter.address,
            Ticket.reporter_id,
            Ticket.intake_meta,
        )
        .join(Category, Category.code == Ticket.category_code)
        .outerjoin(Commune, Commune.code == Ticket.commune_code)
        .outerjoin(Province, Province.code == Ticket.province_code)
        .outerjoin(Reporter, Reporter.id == Ticket.reporter_id)
        .where(Ticket.id == ticket_id)
    ).one()
    reporter = None
    if t[13] is not None:
        keys = ("name", "phone", "phone_raw", "email", "address")
        reporter = {k: str(v or "") for k, v in zip(keys, t[8:13], strict=True)}
    return TicketFacts(
        code=t[0],
        summary=t[1],
        category=t[2],
        place=", ".join(p for p in (t[3], t[4]) if p),
        due_at=t[5],
        protected=bool(t[6]) or bool(t[7]),
        reporter=reporter,
        commune=t[3] or "",
        province=t[4] or "",
        sender=str((t[14] if isinstance(t[14], dict) else {}).get("sender_name") or ""),
    )


def unit_contacts(
    conn: Connection, unit_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[UnitContact]]:
    """Who hears of a forward to each unit: its contacts, a phone only where the contact
    receives SMS and an e-mail only where they receive mail. A unit with no contact rows falls
    back to its old single-contact columns (rows from stations that predate ``unit_contact``)."""
    found: dict[uuid.UUID, list[UnitContact]] = {u: [] for u in unit_ids}
    c = UnitContactRow
    rows = conn.execute(
        select(c.id, c.unit_id, c.name, c.phone, c.email, c.receives_sms, c.receives_email)
        .where(c.unit_id.in_(unit_ids))
        .order_by(c.unit_id, c.created_at, c.id)
    )
    for cid, unit_id, name, phone, email, sms, mail in rows:
        found[unit_id].append(
            UnitContact(cid, name, (phone or "") if sms else "", (email or "") if mail else "")
        )
    bare = [u for u, contacts in found.items() if not contacts]
    if bare:
        legacy = conn.execute(
            select(Unit.id, Unit.contact_name, Unit.contact_phone, Unit.contact_email).where(
                Unit.id.in_(bare)
            )
        )
        for unit_id, old_name, old_phone, old_email in legacy:
            if old_phone or old_email:
                found[unit_id].append(
                    UnitContact(unit_id, old_name or "", old_phone or "", old_email or "")
                )
    return found


def local_station_id(conn: Connection) -> uuid.UUID | None:
    value = conn.execute(select(SyncState.value).where(SyncState.key == STATION_KEY)).scalar()
    return uuid.UUID(value) if value else None


_VIEW = (
    _N.id,
    _N.ticket_id,
    _N.unit_id,
    _N.channel,
    _N.recipient,
    _N.state,
    _N.attempts,
    _N.next_attempt_at,
    _N.last_error,
    _N.sent_at,
    _N.created_at,
)


def _view(row: Any) -> NotificationView:
    return NotificationView(*row[: len(_VIEW)])


def due_jobs(
    conn: Connection, now: datetime, limit: int
) -> list[tuple[NotificationView, str, str]]:
    """Pending jobs of this station (or of none) due by ``now``: (job, subject, body)."""
    station = local_station_id(conn)
    mine = (
        _N.station_id.is_(None)
        if station is None
        else or_(_N.station_id == station, _N.station_id.is_(None))
    )
    rows = conn.execute(
        select(*_VIEW, _N.subject, _N.body)
        .where(_N.state == "pending", _N.next_attempt_at <= now, mine)
        .order_by(_N.next_attempt_at, _N.id)
        .limit(limit)
    )
    body_at = len(_VIEW)  # subject and body follow the view's columns
    return [(_view(r), str(r[body_at]), str(r[body_at + 1])) for r in rows]


def pending_channels(conn: Connection, ticket_id: uuid.UUID | None = None) -> set[str]:
    """The channels of this station's jobs still waiting to be sent (of one report, or of
    all): what a missing gateway or mail server holds back."""
    station = local_station_id(conn)
    mine = (
        _N.station_id.is_(None)
        if station is None
        else or_(_N.station_id == station, _N.station_id.is_(None))
    )
    query = select(_N.channel).where(_N.state == "pending", mine).distinct()
    if ticket_id is not None:
        query = query.where(_N.ticket_id == ticket_id)
    return set(conn.scalars(query))


def claim(conn: Connection, job: NotificationView, until: datetime) -> bool:
    """Take ``job`` by pushing its next attempt to ``until``, if nobody took it since it was
    read (compare-and-set on next_attempt_at); local only, not worth a sync row."""
    table = Notification.__table__
    assert isinstance(table, Table)
    done = conn.execute(
        table.update()
        .where(
            table.c.id == job.id,
            table.c.state == "pending",
            table.c.next_attempt_at == job.next_attempt_at,
        )
        .values(next_attempt_at=until)
    )
    return bool(done.rowcount)


def mark_sent(conn: Connection, job_id: uuid.UUID, at: datetime, attempts: int) -> None:
    # Written without reading first: on SQLite a read before the write would make this
    # transaction unable to take the write lock if another dispatcher wrote meanwhile.
    values = {"state": "sent", "sent_at": at, "attempts": attempts, "last_error": None}
    update_row(conn, "notification", job_id, values)


def mark_failed(
    conn: Connection, job_id: uuid.UUID, error: str, attempts: int, retry_at: datetime | None
) -> None:
    """Record a failed attempt: retried at ``retry_at``, or given up when it is None."""
    values: dict[str, Any] = {"attempts": attempts, "last_error": error}
    if retry_at is None:
        values["state"] = "failed"
    else:
        values["next_attempt_at"] = retry_at
    update_row(conn, "notification", job_id, values)


def for_ticket(conn: Connection, ticket_id: uuid.UUID) -> tuple[NotificationView, ...]:
    rows = conn.execute(
        select(*_VIEW).where(_N.ticket_id == ticket_id).order_by(_N.created_at, _N.channel)
    )
    return tuple(_view(r) for r in rows)
