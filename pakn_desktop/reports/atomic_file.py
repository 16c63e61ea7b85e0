"""A file that appears whole or not at all: written to a temp file in the same folder,
fsynced, then renamed over the target (the archive export's way, services/archive.py).

A cancelled or failed export must leave no half-written workbook for a manager to send on.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(out: Path) -> Iterator[Path]:
    """Yields a temp path next to ``out``; on a clean exit it becomes ``out``, on any
    exception (a cancel too) it is removed. An ``OSError`` (a read-only folder, a full disk)
    is left to the caller to word: reports/ does not know the error codes (data/errors.py)."""
    fd, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        with temp.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(temp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
