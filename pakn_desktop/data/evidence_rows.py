"""The evidence services' reads: what a verify of the stored files compares with and how it
names what it found wrong; what an archive (``services.archive``) packs."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Blob, Evidence, Ticket, TicketEvent


def blob_sizes(session: Session) -> list[tuple[str, int]]:
    """(sha256, size) of every stored blob, by hash."""
    rows = session.execute(select(Blob.sha256, Blob.size).order_by(Blob.sha256)).all()
    return [(sha, size) for sha, size in rows]


def uses_of(session: Session, hashes: Sequence[str]) -> list[tuple[str, str, str]]:
    """(sha256, display name, report code) of the evidence rows using ``hashes``, by report
    code then name."""
    rows = session.execute(
        select(Evidence.sha256, Evidence.display_name, Ticket.code)
        .join(Ticket, Ticket.id == Evidence.ticket_id)
        .where(Evidence.sha256.in_(hashes))
        .order_by(Ticket.code, func.lower(Evidence.display_name))
    ).all()
    return [(sha, name, code) for sha, name, code in rows]


def attached_with_blobs(session: Session, ticket_id: uuid.UUID) -> list[tuple[Evidence, Blob]]:
    """The report's evidence still attached, each with its blob, in capture order."""
    rows = session.execute(
        select(Evidence, Blob)
        .join(Blob, Blob.sha256 == Evidence.sha256)
        .where(Evidence.ticket_id == ticket_id, Evidence.detached_at.is_(None))
        .order_by(Evidence.captured_at, Evidence.id)
    ).all()
    return [(evidence, blob) for evidence, blob in rows]


def tickets_received(session: Session, since: datetime, until: datetime) -> list[Ticket]:
    """The reports received in [since, until), oldest first (an archive of a period)."""
    query = select(Ticket).where(Ticket.received_at >= since, Ticket.received_at < until)
    return list(session.scalars(query.order_by(Ticket.received_at, Ticket.id)))


def ticket_events(session: Session, ticket_id: uuid.UUID) -> list[TicketEvent]:
    """The report's timeline, in chain order."""
    query = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
    return list(session.scalars(query.order_by(TicketEvent.seq)))


def attached_copy(session: Session, ticket_id: uuid.UUID, sha256: str) -> Evidence | None:
    """The report's attached (not detached) evidence with these bytes, if any."""
    return session.scalars(
        select(Evidence).where(
            Evidence.ticket_id == ticket_id,
            Evidence.sha256 == sha256,
            Evidence.detached_at.is_(None),
        )
    ).first()


def of_ticket(session: Session, ticket_id: uuid.UUID, *, include_detached: bool) -> list[Evidence]:
    """The report's evidence in the order it was captured."""
    query = select(Evidence).where(Evidence.ticket_id == ticket_id)
    if not include_detached:
        query = query.where(Evidence.detached_at.is_(None))
    return list(session.scalars(query.order_by(Evidence.captured_at, Evidence.id)))


def ticket_code(session: Session, ticket_id: uuid.UUID) -> str:
    return session.scalar(select(Ticket.code).where(Ticket.id == ticket_id)) or ""
