"""The intake screen's services in one bundle, built on a worker thread on first use.

The GUI never opens the database: ``IntakeBackendFactory`` is called inside ``tasks.read`` /
``tasks.write`` functions, where opening (and the SQLAlchemy import) may take its time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.evidence.store import EvidenceStore
    from pakn_desktop.services.intake.caller_history import CallerHistory
    from pakn_desktop.services.intake.drafts import DraftService
    from pakn_desktop.services.intake.duplicates import Candidate
    from pakn_desktop.services.intake.service import IntakeService
    from pakn_desktop.services.reference_lists import ReferenceLists


@dataclass(frozen=True)
class IntakeBackend:
    database: Database
    intake: IntakeService
    drafts: DraftService
    history: CallerHistory
    # Where attached images go the moment they are attached (a draft keeps their hashes);
    # None only for a screen built without a data directory (tests, examples).
    evidence: EvidenceStore | None = None

    def candidates(
        self, commune_code: str, category: str, text: str, province_code: str = ""
    ) -> list[Candidate]:
        from pakn_desktop.services.intake.duplicates import find_candidates

        return find_candidates(
            self.database, commune_code, category, text, province_code=province_code
        )

    def lists(self) -> ReferenceLists:
        from pakn_desktop.services.reference_lists import load_reference_lists

        return load_reference_lists(self.database)


class IntakeBackendFactory:
    """``factory()`` builds the bundle once (thread-safe) and hands out the same one after."""

    def __init__(
        self, database: Database | Callable[[], Database], evidence_dir: Path | None
    ) -> None:
        self._database = database
        self._evidence_dir = evidence_dir
        self._backend: IntakeBackend | None = None
        self._lock = threading.Lock()

    def __call__(self) -> IntakeBackend:
        with self._lock:
            if self._backend is None:
                from pakn_desktop.services.evidence.store import EvidenceStore
                from pakn_desktop.services.intake.caller_history import CallerHistory
                from pakn_desktop.services.intake.drafts import DraftService
                from pakn_desktop.services.intake.service import IntakeService
                from pakn_desktop.services.workstation import local_user_id

                db = self._database() if callable(self._database) else self._database
                evidence = EvidenceStore(self._evidence_dir) if self._evidence_dir else None
                self._backend = IntakeBackend(
                    database=db,
                    intake=IntakeService(db, evidence, user_id=local_user_id(db)),
                    drafts=DraftService(db),
                    history=CallerHistory(db),
                    evidence=evidence,
                )
            return self._backend
