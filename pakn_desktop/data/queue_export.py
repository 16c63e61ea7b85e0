"""SQL an export needs beyond the queue's pages: who reported each row (to mask or, when
allowed, to show), and rows by id in a given order (a copied selection)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from .models import Reporter, Ticket
from .queue_rows import ROW_COLUMNS, ensure_units, to_row
from .queue_types import Names, QueueRow


@dataclass(frozen=True)
class Reporting:
    """One report's reporter and how protected they are."""

    protected: bool  # a denouncer (ticket.identity_protected)
    confidential: bool  # the reporter asked for confidentiality
    name: str = ""
    phone: str = ""
    phone_raw: str = ""
    email: str = ""
    address: str = ""
    sender_name: str = ""  # the sender of a message (intake_meta), who is as protected


def reportings(conn: Connection, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Reporting]:
    """The reporter of each of ``ids`` (a page: one IN query on the primary key)."""
    if not ids:
        return {}
    stmt = (
        select(
            Ticket.id,
            Ticket.identity_protected,
            Ticket.confidential,
            Ticket.intake_meta,
            Reporter.full_name,
            Reporter.phone,
            Reporter.phone_raw,
            Reporter.email,
            Reporter.address,
        )
        .outerjoin(Reporter, Ticket.reporter_id == Reporter.id)
        .where(Ticket.id.in_(list(ids)))
    )
    out: dict[uuid.UUID, Reporting] = {}
    for tid, protected, confidential, meta, name, phone, raw, email, address in conn.execute(stmt):
        sender = meta.get("sender_name") if isinstance(meta, dict) else None
        out[tid] = Reporting(
            protected=bool(protected),
            confidential=bool(confidential),
            name=name or "",
            phone=phone or "",
            phone_raw=raw or "",
            email=email or "",
            address=address or "",
            sender_name=str(sender or ""),
        )
    return out


def rows_by_id(conn: Connection, names: Names, ids: Sequence[uuid.UUID]) -> list[QueueRow]:
    """The queue rows of ``ids``, in that order (ids no longer there are left out)."""
    if not ids:
        return []
    raw = conn.execute(select(*ROW_COLUMNS).where(Ticket.id.in_(list(ids)))).all()
    ensure_units(conn, names, {r[9] for r in raw if r[9] is not None})
    found = {r[0]: to_row(r, names) for r in raw}
    return [found[i] for i in ids if i in found]
