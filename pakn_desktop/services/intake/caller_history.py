"""Caller history: a caller's earlier reports, found by the phone number as typed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from pakn_desktop.domain.phone import normalise_phone

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database

DEFAULT_LIMIT = 20


@dataclass(frozen=True)
class HistoryItem:
    """One earlier report of the caller, newest first in ``lookup``'s list.

    A tố cáo (``identity_protected``) or a report whose reporter asked for confidentiality is
    never in the list, not even as a withheld line: whoever types a number must not learn
    that it denounced someone (Law on Denunciations), nor that it reported in confidence.
    """

    id: uuid.UUID
    code: str
    received_at: datetime
    status: str
    kind: str
    category: str  # category code; the UI names it from the reference data
    summary: str
    due_at: datetime | None
    identity_protected: bool = False


class CallerHistory:
    """Runs on a worker thread; each lookup opens its own connection."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def lookup(self, phone_as_typed: str, limit: int = DEFAULT_LIMIT) -> list[HistoryItem]:
        """Reports of every reporter with this phone (normalised to E.164), newest first,
        protected ones left out; [] when the number is incomplete or invalid. Two index walks
        (reporter.phone, ticket.reporter_id): ~1 ms at a million reports."""
        phone = normalise_phone(phone_as_typed)
        if phone is None:
            return []
        return self.lookup_e164(phone, limit)

    def lookup_e164(self, phone: str, limit: int = DEFAULT_LIMIT) -> list[HistoryItem]:
        """``lookup`` for a number already in E.164 (``+84912345678``)."""
        if limit <= 0:
            return []
        from pakn_desktop.data.caller_history import history_rows

        with self._database.engine.connect() as conn:
            rows = history_rows(conn, phone, limit)
        return [
            HistoryItem(
                id=r.id,
                code=r.code,
                received_at=r.received_at,
                status=r.status,
                kind=r.kind,
                category=r.category_code,
                summary=r.summary,
                due_at=r.due_at,
                identity_protected=r.identity_protected,
            )
            for r in rows
        ]
