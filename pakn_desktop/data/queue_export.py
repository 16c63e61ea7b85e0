"""SQL an export needs beyond the queue's pages: who reported each row (to mask or, when
allowed, to show), read with the page in one round trip, and rows by id in a given order (a
copied selection)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, select

from .models import Reporter, Ticket
from .queue import raw_page
from .queue_rows import ROW_COLUMNS, ensure_units, to_row
from .queue_types import Names, QueueQuery, QueueRow, SortKey


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
    for tid, protected, confidential, meta, *reporter in conn.execute(stmt):
        sender = meta.get("sender_name") if isinstance(meta, dict) else None
        out[tid] = _reporting(protected, confidential, sender, *reporter)
    return out


# Read after a page's ROW_COLUMNS, in this order (_reporting).
_REPORTER_COLUMNS = (
    Ticket.identity_protected,
    Ticket.confidential,
    Ticket.intake_meta["sender_name"].as_string(),
    Reporter.full_name,
    Reporter.phone,
    Reporter.phone_raw,
    Reporter.email,
    Reporter.address,
)


def _with_reporter(stmt: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    return stmt.add_columns(*_REPORTER_COLUMNS).outerjoin(
        Reporter, Ticket.reporter_id == Reporter.id
    )


def export_page(
    conn: Connection, query: QueueQuery, names: Names, after: SortKey | None, limit: int
) -> list[tuple[QueueRow, Reporting]]:
    """The queue's next page (data.queue.page_after) with each row's reporter, read in the
    same statement (a join on the reporter's key): no second query, no id list bound."""
    start = len(ROW_COLUMNS)
    return [
        (to_row(r, names), _reporting(*r[start:]))
        for r in raw_page(conn, query, names, after, limit, extend=_with_reporter)
    ]


def _reporting(
    protected: Any,
    confidential: Any,
    sender: Any,
    name: str | None,
    phone: str | None,
    raw: str | None,
    email: str | None,
    address: str | None,
) -> Reporting:
    return Reporting(
        protected=bool(protected),
        confidential=bool(confidential),
        name=name or "",
        phone=phone or "",
        phone_raw=raw or "",
        email=email or "",
        address=address or "",
        sender_name=str(sender or ""),
    )


def rows_by_id(conn: Connection, names: Names, ids: Sequence[uuid.UUID]) -> list[QueueRow]:
    """The queue rows of ``ids``, in that order (ids no longer there are left out)."""
    if not ids:
        return []
    raw = conn.execute(select(*ROW_COLUMNS).where(Ticket.id.in_(list(ids)))).all()
    ensure_units(conn, names, {r[9] for r in raw if r[9] is not None})
    found = {r[0]: to_row(r, names) for r in raw}
    return [found[i] for i in ids if i in found]
