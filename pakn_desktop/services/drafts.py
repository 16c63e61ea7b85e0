"""Drafts of the intake form, saved while the operator types, so a crash loses nothing.

Drafts are local only (``draft`` is in ``outbox.LOCAL_TABLES``): they never reach the shared
database. The SQLite engine runs ``synchronous=FULL``, so a saved draft survives ``kill -9``
and a power cut.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pakn_desktop.data.types import utcnow

if TYPE_CHECKING:
    from .database import Database

TITLE_MAX = 80


@dataclass(frozen=True)
class DraftSummary:
    """One line of the "drafts to resume" list."""

    id: uuid.UUID
    mode: str
    title: str  # phone, else name, else the content's head, else "(trống)"
    updated_at: datetime


class DraftNotFound(KeyError):
    """The draft was discarded (or saved as a report) meanwhile."""


class DraftService:
    """Upsert, list, load and discard drafts; each call is one short transaction.

    ``data`` is the form as JSON-native values (``intake.form_to_mapping`` or the screen's own
    dict): keys ``reporter_phone``, ``reporter_name`` and ``content`` make the title.
    """

    def __init__(self, database: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._database = database
        self._clock = clock

    def save(self, draft_id: uuid.UUID | None, mode: str, data: dict[str, Any]) -> uuid.UUID:
        """Create (``draft_id`` None) or overwrite a draft; returns its id. One UPDATE (or
        INSERT) and a commit: cheap enough to call once a second while typing."""
        raise NotImplementedError

    def list_open(self) -> list[DraftSummary]:
        """Every draft, most recently updated first."""
        raise NotImplementedError

    def load(self, draft_id: uuid.UUID) -> dict[str, Any]:
        """The draft's data; DraftNotFound when it is gone."""
        raise NotImplementedError

    def discard(self, draft_id: uuid.UUID) -> None:
        """Delete the draft (no error when it is already gone)."""
        raise NotImplementedError
