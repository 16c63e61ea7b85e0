"""Read-only copies of evidence handed to the system's programs (a player, a PDF viewer)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .flags import refuse_active_pdf
from .names import sanitise_name

if TYPE_CHECKING:
    from .records import AttachedEvidence
    from .service import EvidenceService

OPEN_PURPOSE = "open_external"  # the custody event's purpose for such a copy


class OpenCopies:
    """Copies under ``folder`` (in the data dir, not a world-readable /tmp). The last
    session's copies are removed when this is built: their programs are long closed."""

    def __init__(self, service: EvidenceService, folder: Path) -> None:
        self._service = service
        self.folder = folder
        remove_copies(folder)

    def open_copy(self, item: AttachedEvidence) -> Path:
        """A read-only copy for the system's program (the store's own file is never handed
        out: a program that saves in place would alter the proof); an ``exported`` event.
        A PDF that runs code when opened is not handed to the system's viewer (decision 25):
        EvidenceError, and nothing is copied."""
        store = self._service.store
        # Another station's file this one has only the rows of comes from the server first.
        refuse_active_pdf(self._service.local_path(item.sha256), item.mime)
        self.folder.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="xem-", dir=self.folder))
        target = folder / sanitise_name(item.display_name, item.mime)
        with store.open(item.sha256) as source, target.open("wb") as out:
            while chunk := source.read(1024 * 1024):
                out.write(chunk)
        os.chmod(target, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        self._service.record_export([item.id], OPEN_PURPOSE)
        return target


def remove_copies(temp_root: Path) -> None:
    """Best effort: the read-only copies handed to other programs."""
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
