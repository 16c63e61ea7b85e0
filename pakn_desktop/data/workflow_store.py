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

from .models import Assignment, Evidence, Ticket, TicketResult, Unit
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
    MERGE_SELF = "merge_self"
    ALREADY_MERGED = "already_merged"  # detail: the case code it was merged into
    MERGE_CYCLE = "merge_cycle"  # the survivor was itself merged into this report
    MERGE_TARGET_MERGED = "merge_target_merged"  # detail: the case code of its root
    MERGE_TARGET_REJECTED = "merge_target_rejected"


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
    paused_at: datetime | None  # waiting for the citizen since (None: the clock runs)
    forward_due_at: datetime | None = None
    forwarded_at: datetime | None = None  # the first forward (None: not forwarded yet)


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
    _T.paused_at,
    _T.forward_due_at,
    _T.forwarded_at,
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


def ticket_facts(conn: Connection, ticket_id: uuid.UUID) -> Facts:
    """The report's facts without a lock (a check before the real, locked action)."""
    row = conn.execute(select(*_FACTS).where(_T.id == ticket_id)).one_or_none()
    if row is None:
        raise WorkflowRefused(ServiceRefusal.NOT_FOUND, str(ticket_id))
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


def ticket_state_row(conn: Connection, ticket_id: uuid.UUID) -> dict[str, Any]:
    columns = (_T.id, _T.code, _T.status, _T.version, _T.lead_unit_id, _T.due_at)
    more = (_T.closed_at, _T.duplicate_of_id, _T.state_secret, _T.paused_at)
    row = conn.execute(select(*columns, *more).where(_T.id == ticket_id)).one()
    return dict(row._mapping)


# --- merging duplicates --------------------------------------------------------------------

MERGE = "merge"  # the merged report's event kind (the workflow action's value)
MERGED_FROM = "merged_from"  # the survivor's event kind


def lock_pair(conn: Connection, ticket_id: uuid.UUID, other_ref: Any) -> None:
    """Lock the report and the one ``other_ref`` names (id or case code), lower id first;
    nothing when the other is unknown or the same (the merge step refuses those)."""
    if other_ref is None or not str(other_ref).strip():
        return
    other = find_ticket(conn, other_ref if isinstance(other_ref, uuid.UUID) else str(other_ref))
    if other is None or other == ticket_id:
        return
    for one in sorted((ticket_id, other)):
        conn.execute(update(_T).where(_T.id == one).values(version=_T.version))


def duplicate_chain(conn: Connection, ticket_id: uuid.UUID, limit: int = 64) -> list[uuid.UUID]:
    """The report, then the report it duplicates, and so on to the root (stops at a repeat:
    a cycle written by an old version or a sync conflict must not hang the caller)."""
    chain = [ticket_id]
    while len(chain) < limit:
        parent = conn.scalar(select(_T.duplicate_of_id).where(_T.id == chain[-1]))
        if parent is None or parent in chain:
            break
        chain.append(parent)
    return chain


def merged_into(conn: Connection, ticket_id: uuid.UUID) -> uuid.UUID | None:
    """The report this one was last merged into (its ``merge`` event), if any."""
    from .models import TicketEvent

    data = conn.scalar(
        select(TicketEvent.data)
        .where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind == MERGE)
        .order_by(TicketEvent.seq.desc())
        .limit(1)
    )
    return None if not data else uuid.UUID(str(data["merge_into"]))


def routing_facts(conn: Connection, ticket_id: uuid.UUID) -> Any:
    """(category_code, commune_code, lead_unit_id) of a report that exists."""
    query = select(_T.category_code, _T.commune_code, _T.lead_unit_id).where(_T.id == ticket_id)
    return conn.execute(query).one()


def ticket_code(conn: Connection, ticket_id: uuid.UUID) -> str:
    return str(conn.scalar(select(_T.code).where(_T.id == ticket_id)) or "")


def code_and_link(conn: Connection, ticket_id: uuid.UUID) -> Any:
    """(code, duplicate_of_id) of a report, None when there is none."""
    return conn.execute(select(_T.code, _T.duplicate_of_id).where(_T.id == ticket_id)).one_or_none()


def publication_facts(conn: Connection, ticket_id: uuid.UUID) -> Any:
    """(summary, reporter_id, confidential, no_publish, state_secret) of a report, or None."""
    return conn.execute(
        select(_T.summary, _T.reporter_id, _T.confidential, _T.no_publish, _T.state_secret).where(
            _T.id == ticket_id
        )
    ).one_or_none()


def ticket_lines(conn: Connection, ids: Sequence[uuid.UUID]) -> list[Any]:
    """(id, code, summary, status) of the reports ``ids`` that exist, in no order."""
    if not ids:
        return []
    query = select(_T.id, _T.code, _T.summary, _T.status).where(_T.id.in_(ids))
    return list(conn.execute(query).all())


_E = Evidence


def carry_evidence(
    conn: Connection,
    source_id: uuid.UUID,
    target_id: uuid.UUID,
    at: datetime,
    by: uuid.UUID | None,
    station_id: uuid.UUID,
) -> list[dict[str, str]]:
    """New evidence rows on ``target_id`` for the attached evidence of ``source_id``: the
    same blobs (content-addressed, nothing copied), names, sources and purposes; bytes the
    target already holds are skipped. The source keeps its rows: proof is never moved away.
    A redacted copy carried with its original points at the target's copy of the original.
    Returns (new id, the source row's id, sha256) for the custody data of both events."""
    rows = conn.execute(
        select(_E.__table__)
        .where(_E.ticket_id == source_id, _E.detached_at.is_(None))
        .order_by(_E.captured_at, _E.id)
    ).all()
    held = set(
        conn.scalars(select(_E.sha256).where(_E.ticket_id == target_id, _E.detached_at.is_(None)))
    )
    new_ids: dict[uuid.UUID, uuid.UUID] = {}
    fresh: list[dict[str, Any]] = []
    for found in rows:
        old = dict(found._mapping)
        if old["sha256"] in held:
            continue
        held.add(old["sha256"])
        new_ids[old["id"]] = new_id()
        fresh.append(
            {
                **old,
                "id": new_ids[old["id"]],
                "ticket_id": target_id,
                "captured_by_id": by,
                "station_id": station_id,
                "captured_at": at,
            }
        )
    for row in fresh:
        row["derived_from"] = new_ids.get(row["derived_from"], row["derived_from"])
    insert_rows(conn, "evidence", fresh)
    by_new = {v: k for k, v in new_ids.items()}
    return [
        {
            "evidence_id": str(r["id"]),
            "from_evidence_id": str(by_new[r["id"]]),
            "sha256": r["sha256"],
        }
        for r in fresh
    ]
