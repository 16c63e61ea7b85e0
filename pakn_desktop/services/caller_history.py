"""Caller history: a caller's earlier reports, found by the phone number as typed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .database import Database

DEFAULT_LIMIT = 20


@dataclass(frozen=True)
class HistoryItem:
    """One earlier report of the caller, newest first in ``lookup``'s list.

    For a tố cáo (``identity_protected``) the summary is withheld: whoever reads the history
    of a number must not learn that it denounced someone.
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
        """Reports of every reporter with this phone (normalised to E.164), newest first;
        [] when the number is incomplete or invalid. Two index walks (reporter.phone,
        ticket.reporter_id): ~1 ms at a million reports."""
        raise NotImplementedError
