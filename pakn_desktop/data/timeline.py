"""Appending to a report's timeline: each event hash-chained to the one before it.

The one place that builds chained event rows (``domain.audit_chain``): intake writes a new
report's first events with :func:`chained_events`, later actions :func:`append`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from pakn_desktop.domain.audit_chain import GENESIS_HASH, event_hash
from pakn_desktop.domain.ids import new_id

from .models import Ticket, TicketEvent
from .outbox import to_json
from .writes import insert_rows

Step = tuple[str, Mapping[str, Any]]  # (event kind, data in JSON form)


def chained_events(
    ticket_id: uuid.UUID,
    steps: Sequence[Step],
    *,
    at: datetime,
    actor_id: uuid.UUID | None,
    station_id: uuid.UUID | None,
    prev_hash: str = GENESIS_HASH,
    last_seq: int = 0,
) -> list[dict[str, Any]]:
    """Event rows for ``steps``, numbered after ``last_seq`` and chained to ``prev_hash``."""
    rows: list[dict[str, Any]] = []
    for seq, (kind, data) in enumerate(steps, last_seq + 1):
        event: dict[str, Any] = {
            "id": new_id(),
            "ticket_id": ticket_id,
            "seq": seq,
            "at": at,
            "kind": kind,
            "actor_id": actor_id,
            "station_id": station_id,
            "data": dict(data),
        }
        digest = event_hash(prev_hash, {k: to_json(v) for k, v in event.items()})
        event["prev_hash"], event["hash"] = prev_hash, digest
        prev_hash = digest
        rows.append(event)
    return rows


def tail(conn: Connection, ticket_id: uuid.UUID) -> tuple[int, str]:
    """(seq, hash) of the report's last event; (0, genesis) for none."""
    last = conn.execute(
        select(TicketEvent.seq, TicketEvent.hash)
        .where(TicketEvent.ticket_id == ticket_id)
        .order_by(TicketEvent.seq.desc())
        .limit(1)
    ).first()
    return (0, GENESIS_HASH) if last is None else (int(last[0]), str(last[1]))


def lock(conn: Connection, ticket_id: uuid.UUID) -> None:
    """The report's row locked (``FOR UPDATE``; a no-op on SQLite, whose writer is alone) so
    that two workstations appending to its chain take turns."""
    conn.execute(select(Ticket.id).where(Ticket.id == ticket_id).with_for_update())


def append(
    conn: Connection,
    ticket_id: uuid.UUID,
    steps: Sequence[Step],
    *,
    at: datetime,
    actor_id: uuid.UUID | None,
    station_id: uuid.UUID | None,
) -> list[dict[str, Any]]:
    """Append ``steps`` to the report's chain with their outbox rows (caller's transaction;
    the caller holds the report's row lock, so no other append interleaves)."""
    last_seq, prev_hash = tail(conn, ticket_id)
    rows = chained_events(
        ticket_id,
        steps,
        at=at,
        actor_id=actor_id,
        station_id=station_id,
        prev_hash=prev_hash,
        last_seq=last_seq,
    )
    insert_rows(conn, "ticket_event", rows)
    return rows


def moments(
    conn: Connection, ticket_id: uuid.UUID, wanted: Sequence[str]
) -> list[tuple[str, datetime]]:
    """(kind, at) of the report's events of the ``wanted`` kinds, in order (the pauses and
    reopens a resume measures its round by)."""
    found = conn.execute(
        select(TicketEvent.kind, TicketEvent.at)
        .where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind.in_(list(wanted)))
        .order_by(TicketEvent.seq)
    )
    return [(str(k), at) for k, at in found]


def moments_by_ticket(
    conn: Connection, wanted: Sequence[str]
) -> dict[uuid.UUID, list[tuple[str, datetime]]]:
    """(kind, at) of every report's events of the ``wanted`` kinds, in order, by report; only
    reports that have any (pauses and reopens are rare: for a settings-wide recompute)."""
    found = conn.execute(
        select(TicketEvent.ticket_id, TicketEvent.kind, TicketEvent.at)
        .where(TicketEvent.kind.in_(list(wanted)))
        .order_by(TicketEvent.ticket_id, TicketEvent.seq)
    )
    by_ticket: dict[uuid.UUID, list[tuple[str, datetime]]] = {}
    for ticket_id, kind, at in found:
        by_ticket.setdefault(ticket_id, []).append((str(kind), at))
    return by_ticket


def kinds(conn: Connection, ticket_id: uuid.UUID) -> list[str]:
    """The report's event kinds in order (for checks such as a pending extension)."""
    found = conn.execute(
        select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.seq)
    )
    return [str(k) for k in found.scalars()]
