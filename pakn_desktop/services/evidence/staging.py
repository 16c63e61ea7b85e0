"""The store's staging area: where files are copied and checked before their rename into place.

Each process stages in its own folder, ``.staging/<pid>-<random>/``, and holds an exclusive
``flock`` on that folder for as long as it lives; the kernel drops the lock when the process
ends, however it ends. So the leftovers of a crash (a copy cut short by a kill or a power
cut) are exactly the folders nobody holds, and a store opened later removes them, while the
folder of another process saving at the same moment (a second window, ``evidence add`` from
a script) is held and left alone. A folder is also left alone while it is young
(``SAFE_AGE``), which covers the instant between its creation and its lock. Where there is no
``flock`` (Windows), only age decides, with a margin no copy could need (``NO_LOCK_AGE``).

Loose files directly in ``.staging/`` come from versions before this layout; nobody can
say whether they are in use, so only age decides for them as well.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

SAFE_AGE = 15 * 60  # seconds; a folder that young may be another process's, just created
NO_LOCK_AGE = 24 * 60 * 60
try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

_lock = threading.Lock()
_owned: dict[str, tuple[Path, int]] = {}  # staging folder → (this process's folder, its fd)
_swept: set[str] = set()


def own_folder(staging: Path) -> Path:
    """This process's folder under ``staging``, created and locked on first use."""
    key = os.path.abspath(staging)
    with _lock:
        found = _owned.get(key)
        if found is not None and found[0].is_dir():
            return found[0]
        staging.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(dir=staging, prefix=f"{os.getpid()}-"))
        fd = -1
        if fcntl is not None:
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # new: nobody else can hold it
        if found is not None and found[1] >= 0:
            os.close(found[1])  # the old folder was removed from under us
        _owned[key] = (folder, fd)
        return folder


def sweep_once(staging: Path) -> int:
    """:func:`sweep` the first time this process opens a store on ``staging``."""
    key = os.path.abspath(staging)
    with _lock:
        if key in _swept:
            return 0
        _swept.add(key)
    return sweep(staging)


def sweep(staging: Path, *, now: float | None = None) -> int:
    """Remove what crashed processes left in ``staging``; how many entries were removed.
    Never raises: a leftover that cannot be removed now is tried again next start."""
    if not staging.is_dir():
        return 0
    moment = time.time() if now is None else now
    with _lock:
        mine = {str(folder) for folder, _fd in _owned.values()}
    removed = 0
    try:
        entries = list(os.scandir(staging))
    except OSError:
        return 0
    for entry in entries:
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            age = moment - info.st_mtime
            if entry.is_dir(follow_symlinks=False):
                if entry.path in mine or age < SAFE_AGE:
                    continue
                if _remove_unheld(Path(entry.path), age):
                    removed += 1
            elif age >= SAFE_AGE:
                os.unlink(entry.path)
                removed += 1
    return removed


def _remove_unheld(folder: Path, age: float) -> bool:
    """Remove ``folder`` if no living process holds its lock."""
    if fcntl is None:
        if age < NO_LOCK_AGE:
            return False
        shutil.rmtree(folder, ignore_errors=True)
        return True
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # a process is staging in it right now
        shutil.rmtree(folder, ignore_errors=True)  # under our lock: nobody starts using it
        return True
    finally:
        os.close(fd)
