"""The evidence screen parts' services, built on a worker on first use, and the plain
functions their background tasks run (no widget, no model: values in, values out).

SQLAlchemy and the evidence services are imported inside the factory, so importing the
widgets costs nothing before the first paint.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pakn_desktop.services.evidence.flags import refuse_active_pdf
from pakn_desktop.services.evidence.names import sanitise_name
from pakn_desktop.services.evidence.records import AttachedEvidence, EvidenceBytes

if TYPE_CHECKING:
    from pakn_desktop.services.archive import ArchiveResult
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.evidence.service import EvidenceService
    from pakn_desktop.services.redaction import Rect, RedactionService
    from pakn_desktop.ui.tasks import TaskContext

OPEN_PURPOSE = "open_external"  # a read-only copy handed to the system's player or viewer


@dataclass(frozen=True)
class EvidenceBackend:
    service: EvidenceService
    redaction: RedactionService
    thumbs_dir: Path
    copies_dir: Path  # read-only copies handed to the system's programs

    def path_of(self, sha256: str) -> Path:
        return self.service.store.path_of(sha256)

    # Not "list": in the class body that name would then hide the builtin in annotations.
    def attached(self, ticket_id: uuid.UUID) -> list[AttachedEvidence]:
        return self.service.list_for_ticket(ticket_id)

    def attach(
        self,
        ticket_id: uuid.UUID,
        paths: Sequence[Path],
        items: Sequence[EvidenceBytes],
        source: str,
        ctx: TaskContext,
    ) -> list[AttachedEvidence]:
        """Files, then bytes (a paste rarely carries both): each service call is all or
        nothing, with progress and the cancel check between 1 MiB chunks."""
        out: list[AttachedEvidence] = []
        progress = ctx.progress
        if paths:
            out += self.service.attach_files(
                ticket_id, paths, source, progress=progress, should_cancel=ctx.is_cancelled
            )
        if items:
            out += self.service.attach_bytes(
                ticket_id, items, progress=progress, should_cancel=ctx.is_cancelled
            )
        return out

    def open_copy(self, item: AttachedEvidence) -> Path:
        """A read-only copy for the system's program (the store's own file is never handed
        out: a program that saves in place would alter the proof); an ``exported`` event.
        The copies live under the data dir, not a world-readable /tmp, and are removed when
        the next console starts. A PDF that runs code when opened is not handed to the
        system's viewer (decision 25): EvidenceError, and nothing is copied."""
        refuse_active_pdf(self.service.store.path_of(item.sha256), item.mime)
        self.copies_dir.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="xem-", dir=self.copies_dir))
        target = folder / sanitise_name(item.display_name, item.mime)
        with self.service.store.open(item.sha256) as source, target.open("wb") as out:
            while chunk := source.read(1024 * 1024):
                out.write(chunk)
        os.chmod(target, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        self.service.record_export([item.id], OPEN_PURPOSE)
        return target

    def redact(self, evidence_id: uuid.UUID, rectangles: Sequence[Rect]) -> AttachedEvidence:
        return self.redaction.redact(evidence_id, rectangles)

    def archive(self, ticket_id: uuid.UUID, out: Path, ctx: TaskContext) -> ArchiveResult:
        from pakn_desktop.services.archive import build_archive

        # The console cannot prove an authorised role yet: a denouncer's identity stays out.
        return build_archive(
            self.service,
            out,
            ticket=ticket_id,
            reveal_identity=False,
            progress=ctx.progress,
            should_cancel=ctx.is_cancelled,
        )

    def record_pdf(self, ticket_id: uuid.UUID, out: Path) -> Path:
        from pakn_desktop.services.record_file import write_record_pdf

        # As the archive: no authorised role is proven here, a denouncer stays masked.
        return write_record_pdf(self.service, out, ticket_id, reveal_identity=False)


class EvidenceBackendFactory:
    """``factory()`` builds the bundle once (thread-safe) and hands out the same one after."""

    def __init__(
        self,
        database: Database | Callable[[], Database],
        data_dir: Path,
        *,
        user_id: uuid.UUID | None = None,
    ) -> None:
        self._database = database
        self._data_dir = data_dir
        self._user_id = user_id
        self._backend: EvidenceBackend | None = None
        self._lock = threading.Lock()

    def __call__(self) -> EvidenceBackend:
        with self._lock:
            if self._backend is None:
                from pakn_desktop.services.evidence.service import EvidenceService
                from pakn_desktop.services.evidence.store import EvidenceStore
                from pakn_desktop.services.redaction import RedactionService

                db = self._database() if callable(self._database) else self._database
                store = EvidenceStore(self._data_dir / "evidence")
                from pakn_desktop.services.workstation import local_user_id

                user_id = self._user_id or local_user_id(db)
                service = EvidenceService(db, store, user_id=user_id)
                copies = self._data_dir / "open-copies"
                remove_copies(copies)  # the last session's; their programs are long closed
                self._backend = EvidenceBackend(
                    service, RedactionService(service), self._data_dir / "thumbs", copies
                )
            return self._backend


def remove_copies(temp_root: Path) -> None:
    """Best effort at close: the read-only copies handed to other programs."""
    if not temp_root.exists():
        return
    for path in sorted(temp_root.rglob("*"), reverse=True):
        with contextlib.suppress(OSError):
            if path.is_dir():
                path.rmdir()
            else:
                os.chmod(path, stat.S_IWUSR | stat.S_IRUSR)
                path.unlink()
    with contextlib.suppress(OSError):
        temp_root.rmdir()
