"""The workflow's reads and writes on ticket, assignment and ticket_result (Core, outbox kept)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, select, update

from pakn_desktop.domain.ids import new_id
from pakn_desktop.domain.workflow import WorkflowRefused

from .models import Assignment, Reporter, Ticket, TicketResult, Unit
from .writes import insert_rows, update_row

_T = Ticket


class ServiceRefusal(StrEnum):
    """Refusals that need the database to find (the state machine's are domain.Refusal)."""

    NOT_FOUND = "not_found"
    STALE = "stale"  # changed by someone else since the user looked
    UNIT_UNKNOWN = "unit_unknown"
    DUPLICATE_UNKNOWN = "duplicate_unknown"
    DUPLICATE_SELF = "duplicate_self"
    NO_LEAD_UNIT = "no_lead_unit"
    NO_PENDING_EXTENSION = "no_pending_extension"
    NO_RESULT = "no_result"


@dataclass(frozen=True)
class Facts:
    id: uuid.UUID
    code: str
    status: str
    version: int
    lead_unit_id: uuid.UUID | None
    due_at: datetime | None
    closed_at: datetime | None
    confidential: bool
    no_publish: bool
    identity_protected: bool
    state_secret: bool
    summary: str
    reporter_id: uuid.UUID | None


_FACTS = (
    _T.id,
    _T.code,
    _T.status,
    _T.version,
    _T.lead_unit_id,
    _T.due_at,
    _T.closed_at,
    _T.confidential,
    _T.no_publish,
    _T.identity_protected,
    _T.state_secret,
    _T.summary,
    _T.reporter_id,
)


def lock_ticket(conn: Connection, ticket_id: uuid.UUID) -> Facts:
    """The report's facts, its row locked for the transaction (a no-op UPDATE: SQLite takes
    the write lock at once, so no other writer slips in between this read and our writes;
    PostgreSQL locks the row). WorkflowRefused(not_found) when there is no such report."""
    done = conn.execute(update(_T).where(_T.id == ticket_id).values(version=_T.version))
    if not done.rowcount:
        raise WorkflowRefused(ServiceRefusal.NOT_FOUND, str(ticket_id))
    row = conn.execute(select(*_FACTS).where(_T.id == ticket_id)).one()
    return Facts(*tuple(row))


def update_ticket(conn: Connection, ticket_id: uuid.UUID, changes: Mapping[str, Any]) -> None:
    update_row(conn, "ticket", ticket_id, changes)


def active_units(conn: Connection, unit_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    found = conn.execute(select(Unit.id).where(Unit.id.in_(unit_ids), Unit.active.is_(True)))
    return set(found.scalars())


def find_ticket(conn: Connection, ref: str | uuid.UUID) -> uuid.UUID | None:
    """A report by id or case code (any case)."""
    if isinstance(ref, uuid.UUID):
        return conn.scalar(select(_T.id).where(_T.id == ref))
    text = ref.strip()
    try:
        return conn.scalar(select(_T.id).where(_T.id == uuid.UUID(text)))
    except ValueError:
        return conn.scalar(select(_T.id).where(_T.code == text.upper()))


_A = Assignment


def open_assignments(conn: Connection, ticket_id: uuid.UUID) -> list[tuple[uuid.UUID, str, Any]]:
    """(assignment id, role, unit id) of the assignments not returned or superseded."""
    rows = conn.execute(
        select(_A.id, _A.role, _A.unit_id).where(
            _A.ticket_id == ticket_id, _A.returned_at.is_(None)
        )
    )
    return [(r[0], r[1], r[2]) for r in rows]


def end_assignments(conn: Connection, ticket_id: uuid.UUID, at: datetime, note: str) -> None:
    for assignment_id, _role, _unit in open_assignments(conn, ticket_id):
        update_row(conn, "assignment", assignment_id, {"returned_at": at, "note": note})


def accept_lead(conn: Connection, ticket_id: uuid.UUID, at: datetime) -> None:
    for assignment_id, role, _unit in open_assignments(conn, ticket_id):
        if role == "lead":
            update_row(conn, "assignment", assignment_id, {"accepted_at": at})


def add_assignments(
    conn: Connection,
    ticket_id: uuid.UUID,
    units: Sequence[tuple[uuid.UUID, bool]],
    at: datetime,
    by: uuid.UUID | None,
) -> None:
    rows = [
        {
            "id": new_id(),
            "ticket_id": ticket_id,
            "unit_id": unit_id,
            "role": "lead" if lead else "coordinating",
            "assigned_at": at,
            "assigned_by_id": by,
            "accepted_at": None,
            "returned_at": None,
            "note": None,
        }
        for unit_id, lead in units
    ]
    insert_rows(conn, "assignment", rows)


def result_row(conn: Connection, ticket_id: uuid.UUID) -> Mapping[str, Any] | None:
    row = conn.execute(
        select(TicketResult.__table__).where(TicketResult.ticket_id == ticket_id)
    ).first()
    return None if row is None else dict(row._mapping)


def save_result(conn: Connection, ticket_id: uuid.UUID, values: Mapping[str, Any]) -> None:
    """Insert or update the report's result row."""
    if result_row(conn, ticket_id) is None:
        row = {
            "ticket_id": ticket_id,
            "result_text": "",
            "result_evidence": None,
            "result_at": values.get("result_at"),
            "result_by_id": None,
            "publication_text": None,
            "published_at": None,
            **values,
        }
        insert_rows(conn, "ticket_result", [row], key="ticket_id")
    else:
        update_row(conn, "ticket_result", ticket_id, values, key="ticket_id")


def reporter_identity(conn: Connection, reporter_id: uuid.UUID | None) -> dict[str, str]:
    if reporter_id is None:
        return {}
    r = conn.execute(
        select(
            Reporter.full_name, Reporter.phone, Reporter.phone_raw, Reporter.email, Reporter.address
        ).where(Reporter.id == reporter_id)
    ).one_or_none()
    if r is None:
        return {}
    keys = ("name", "phone", "phone_raw", "email", "address")
    return {k: str(v or "") for k, v in zip(keys, r, strict=True)}


def ticket_state_row(conn: Connection, ticket_id: uuid.UUID) -> dict[str, Any]:
    columns = (_T.id, _T.code, _T.status, _T.version, _T.lead_unit_id, _T.due_at)
    more = (_T.closed_at, _T.duplicate_of_id, _T.state_secret)
    row = conn.execute(select(*columns, *more).where(_T.id == ticket_id)).one()
    return dict(row._mapping)
