"""Intake: record one report from the form (or the CLI) in one local transaction.

The save never waits on the network: ticket, reporter, first timeline events, evidence rows
and their outbox rows commit together in the local database; the sync pushes them later.
SQLAlchemy is imported on first use, as in ``services.queue``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from pakn_desktop.data.types import utcnow

from .intake_form import (
    MAX_CONTENT_BYTES,
    MODES,
    Attachment,
    FieldError,
    IntakeForm,
    IntakeInvalid,
    SavedTicket,
    ValidationResult,
    derive_summary,
    form_from_mapping,
    form_to_mapping,
)
from .intake_rules import IntakeReference, Place, validate

if TYPE_CHECKING:
    from .database import Database
    from .evidence_store import EvidenceStore

__all__ = [
    "MAX_CONTENT_BYTES",
    "MODES",
    "Attachment",
    "FieldError",
    "IntakeForm",
    "IntakeInvalid",
    "IntakeReference",
    "IntakeService",
    "Place",
    "SavedTicket",
    "ValidationResult",
    "derive_summary",
    "form_from_mapping",
    "form_to_mapping",
    "load_reference",
    "validate",
]


def load_reference(database: Database) -> IntakeReference:
    """Channels, kinds, active categories, provinces and communes, read once (~20 ms)."""
    raise NotImplementedError


class IntakeService:
    """Validate and save intake forms. Every call opens its own session, so calls may run on
    any worker thread; run ``save`` on the serial write lane.

    ``evidence`` is the store attachments go to; a form with attachments and no store is a
    programming error (ValueError). ``clock`` is for tests.
    """

    def __init__(
        self,
        database: Database,
        evidence: EvidenceStore | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
        user_id: uuid.UUID | None = None,
    ) -> None:
        self._database = database
        self._evidence = evidence
        self._clock = clock
        self._user_id = user_id
        self._reference: IntakeReference | None = None

    def reference(self) -> IntakeReference:
        """The reference codes, loaded on first use and cached (they change rarely)."""
        raise NotImplementedError

    def validate(self, form: IntakeForm) -> ValidationResult:
        """``validate(form, self.reference())`` at the service's clock."""
        raise NotImplementedError

    def save(self, form: IntakeForm, *, draft_id: uuid.UUID | None = None) -> SavedTicket:
        """Validate and store ``form`` in one local transaction; raise IntakeInvalid (nothing
        stored) when invalid or when ``duplicate_of`` names no known report.

        Stores: the reporter (reused by E.164 phone), the ticket (status ``new``; ``closed``
        with ``closed_at`` for a hỏi đáp answered on the call; ``duplicate`` with the link for
        ``duplicate_of``), its first timeline events hash-chained, attachments (evidence store
        + blob/evidence rows), the outbox rows (ORM hook), and deletes ``draft_id`` if given,
        all in the same commit. Khiếu nại / tố cáo keep their kind and are marked for their
        own procedure in the "created" event; tố cáo sets ``identity_protected``.
        """
        raise NotImplementedError
