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
from pakn_desktop.domain.errors import ExpectedError
from pakn_desktop.domain.ids import new_id

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database

TITLE_MAX = 80


@dataclass(frozen=True)
class DraftSummary:
    """One line of the "drafts to resume" list."""

    id: uuid.UUID
    mode: str
    title: str  # phone, else name, else the content's head, else "(trống)"
    updated_at: datetime


class DraftNotFound(ExpectedError, KeyError):
    """The draft was discarded (or saved as a report) meanwhile."""

    def __init__(self, draft_id: uuid.UUID) -> None:
        super().__init__(
            "draft_not_found", "Bản nháp không còn (đã được lưu thành phản ánh hoặc đã bỏ)"
        )
        self.draft_id = draft_id


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
        INSERT) and a commit: cheap enough to call once a second while typing.

        A draft discarded meanwhile (saved as a report on another screen) is created again
        under the same id: what the operator typed is never dropped silently.
        """
        from pakn_desktop.data import drafts

        now = self._clock()
        with self._database.writer.begin() as conn:
            if draft_id is not None and drafts.overwrite(conn, draft_id, mode, data, now):
                return draft_id
            new = draft_id or new_id()
            drafts.create(conn, new, mode, data, now)
        return new

    def list_open(self) -> list[DraftSummary]:
        """Every draft, most recently updated first."""
        from pakn_desktop.data import drafts

        with self._database.engine.connect() as conn:
            rows = drafts.listed(conn)
        return [DraftSummary(r.id, r.mode, draft_title(r.data), r.updated_at) for r in rows]

    def load(self, draft_id: uuid.UUID) -> dict[str, Any]:
        """The draft's data; DraftNotFound when it is gone."""
        from pakn_desktop.data import drafts

        with self._database.engine.connect() as conn:
            data = drafts.form_of(conn, draft_id)
        if data is None:
            raise DraftNotFound(draft_id)
        return data

    def add_attachments(self, draft_id: uuid.UUID, refs: list[dict[str, Any]]) -> bool:
        """Append stored attachments (``Attachment.as_reference()``) to a draft that is not on
        screen, skipping any it already holds; False when the draft is gone. For an image
        that finished after its call was put on hold."""
        from pakn_desktop.data import drafts
        from pakn_desktop.data.engine import retry_when_busy

        def append() -> bool:
            with self._database.writer.begin() as conn:
                data = drafts.form_of(conn, draft_id)
                if data is None:
                    return False
                held = list(data.get("attachments") or [])
                known = {a.get("sha256") for a in held}
                held += [r for r in refs if r.get("sha256") not in known]
                drafts.replace_form(conn, draft_id, {**data, "attachments": held}, self._clock())
            return True

        return retry_when_busy(append)  # reads, then writes: see retry_when_busy

    def discard(self, draft_id: uuid.UUID) -> None:
        """Delete the draft (no error when it is already gone)."""
        from pakn_desktop.data import drafts

        with self._database.writer.begin() as conn:
            drafts.remove(conn, draft_id)


def draft_title(data: Any) -> str:
    """Phone, else name, else the content's first words, else "(trống)"."""
    if isinstance(data, dict):
        for key in ("reporter_phone", "reporter_name", "sender_name", "content"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                text = " ".join(value[: TITLE_MAX * 4].split())
                return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1] + "…"
    return "(trống)"
