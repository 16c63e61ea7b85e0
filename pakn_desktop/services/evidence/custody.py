"""Chain of custody: attach, detach, view, export and redaction are events on the report's
timeline, hash-chained like every other event (``domain.audit_chain``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pakn_desktop.data.models import Ticket, TicketEvent
from pakn_desktop.data.outbox import to_json
from pakn_desktop.domain.audit_chain import GENESIS_HASH, event_hash
from pakn_desktop.domain.ids import new_id

ATTACHED = "evidence_attached"
DETACHED = "evidence_detached"
VIEWED = "evidence_viewed"
EXPORTED = "evidence_exported"
REDACTED = "evidence_redacted"


def append_event(
    session: Session,
    ticket_id: uuid.UUID,
    kind: str,
    data: dict[str, Any],
    *,
    at: datetime,
    actor_id: uuid.UUID | None,
    station_id: uuid.UUID | None,
) -> TicketEvent:
    """Add the next event of ``ticket_id``'s chain to ``session`` (flushed by the caller's
    commit, which also writes its outbox row).

    The ticket row is locked first (``FOR UPDATE``; a no-op on SQLite, whose writer is
    already alone), so two workstations appending on a shared PostgreSQL take turns instead
    of both claiming the same ``seq``.
    """
    session.execute(select(Ticket.id).where(Ticket.id == ticket_id).with_for_update())
    last = session.execute(
        select(TicketEvent.seq, TicketEvent.hash)
        .where(TicketEvent.ticket_id == ticket_id)
        .order_by(TicketEvent.seq.desc())
        .limit(1)
    ).first()
    seq, prev = (last.seq + 1, last.hash) if last is not None else (1, GENESIS_HASH)
    fields: dict[str, Any] = {
        "id": new_id(),
        "ticket_id": ticket_id,
        "seq": seq,
        "at": at,
        "kind": kind,
        "actor_id": actor_id,
        "station_id": station_id,
        "data": {k: to_json(v) for k, v in data.items()},
    }
    digest = event_hash(prev, {k: to_json(v) for k, v in fields.items()})
    event = TicketEvent(**fields, prev_hash=prev, hash=digest)
    session.add(event)
    session.flush()  # the next append in the same transaction must see this seq
    return event
