"""Chain of custody: attach, detach, view, export and redaction are events on the report's
timeline, hash-chained like every other event through the one builder, ``data.timeline``."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from pakn_desktop.data import timeline
from pakn_desktop.data.outbox import to_json

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
) -> dict[str, Any]:
    """Append the next event of ``ticket_id``'s chain, with its outbox row, in the
    ``session``'s transaction (committed by the caller); the event row as written.

    The ticket row is locked first (``FOR UPDATE``; a no-op on SQLite, whose writer is
    already alone), so two workstations appending on a shared PostgreSQL take turns instead
    of both claiming the same ``seq``. The evidence service works through the ORM, so its
    pending rows are flushed first: the Core insert below shares the session's connection.
    """
    session.flush()
    timeline.lock(session.connection(), ticket_id)
    rows = timeline.append(
        session.connection(),
        ticket_id,
        [(kind, {k: to_json(v) for k, v in data.items()})],
        at=at,
        actor_id=actor_id,
        station_id=station_id,
    )
    return rows[0]
