"""The evidence store: files content-addressed by SHA-256 under the data directory.

Every file is first *staged*: copied in 1 MiB chunks into ``.staging/`` inside the store (this
process's own locked folder there; crash leftovers are swept on open, ``staging``) while
it is hashed, checked (type from the bytes, pixel count, Office parts) on that private copy,
fsynced and made read-only; *committing* renames it to ``ab/cd/<sha256>`` and fsyncs the
folder. A crash never leaves a half-written file under a valid name, a refused file never
reaches a valid name, and the same bytes are stored once. A batch stages everything first and
commits only when every file passed, so a bad file in it leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import queue
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from . import staging
from .errors import EvidenceCancelled, EvidenceError, megabytes
from .flags import flags_of
from .images import DEFAULT_MAX_PIXELS
from .sniff import HEAD_BYTES, inspect, sniff

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
CHUNK = 1024 * 1024
READ_ONLY = 0o444
STAGING = ".staging"
# The writer flushes to disk every so often, so the final fsync of a 500 MB video does not
# wait for all of it at once while the hashing side sits idle.
_SYNC_EVERY = 64 * CHUNK
_datasync = getattr(os, "fdatasync", os.fsync)  # fdatasync: POSIX only

Progress = Callable[[int, int], None]  # (bytes done, bytes in all)
ShouldCancel = Callable[[], bool]


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    mime: str
    # ``flags``: kept as it is but worth saying (a truncated image, a PDF that runs code);
    # not compared, as they follow from the bytes the hash already names.
    warnings: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Staged:
    """A checked, fsynced, read-only private copy waiting for :meth:`EvidenceStore.commit`."""

    temp: Path
    blob: StoredBlob


class EvidenceStore:
    def __init__(
        self,
        root: Path,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_pixels: int = DEFAULT_MAX_PIXELS,
    ) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        # What a crash left half-copied is removed on the first open in each process; never
        # what another process is staging right now (see ``staging``).
        staging.sweep_once(root / STAGING)

    def path_of(self, sha256: str) -> Path:
        """``root/ab/cd/<sha256>``."""
        if not is_sha256(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    # --- writing ------------------------------------------------------------------------

    def put_bytes(self, data: bytes) -> StoredBlob:
        """Store ``data`` (once) and return its hash, size and detected type."""
        return self.commit(self.stage_bytes(data))

    def put_file(
        self, path: Path, progress: Progress | None = None, cancel: ShouldCancel | None = None
    ) -> StoredBlob:
        return self.commit(self.stage_file(path, progress, cancel))

    def stage_bytes(self, data: bytes) -> Staged:
        self._check_size(len(data))
        mime = sniff(data[:HEAD_BYTES])
        mime = inspect(data, mime, max_pixels=self.max_pixels)  # before any byte hits the disk
        temp = self._temp()
        try:
            with temp.open("wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, READ_ONLY)
        except BaseException:
            _unlink(temp)
            raise
        sha = hashlib.sha256(data).hexdigest()
        return Staged(temp, StoredBlob(sha, len(data), mime, flags_of(data, mime)))

    def stage_file(
        self, path: Path, progress: Progress | None = None, cancel: ShouldCancel | None = None
    ) -> Staged:
        """Copy ``path`` into the staging area, hashing on the way; EvidenceError if refused.

        The size is checked from ``stat`` before anything is read and again while copying (a
        file still growing), the type from the first bytes before the copy starts.
        """
        with open_regular(path) as source:
            info = os.fstat(source.fileno())
            self._check_size(info.st_size)
            head = _read(source, HEAD_BYTES)
            mime = sniff(head)
            temp = self._temp()
            try:
                sha, size = self._copy(source, head, temp, info.st_size, progress, cancel)
                if size != info.st_size:
                    raise EvidenceError("changed")
                mime = inspect(temp, mime, max_pixels=self.max_pixels)
                warnings = flags_of(temp, mime)
                os.chmod(temp, READ_ONLY)
            except BaseException:
                _unlink(temp)
                raise
        return Staged(temp, StoredBlob(sha, size, mime, warnings))

    def commit(self, staged: Staged) -> StoredBlob:
        """Move a staged copy to its hash name; a sound copy already there is kept."""
        blob = staged.blob
        path = self.path_of(blob.sha256)
        if path.exists() and path.stat().st_size == blob.size and self.verify(blob.sha256):
            _unlink(staged.temp)
            return blob
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(staged.temp, path)  # same file system: atomic; repairs an altered copy
        except BaseException:
            _unlink(staged.temp)
            raise
        _fsync_dir(path.parent)
        return blob

    def discard(self, staged: Staged) -> None:
        _unlink(staged.temp)

    # --- reading ------------------------------------------------------------------------

    def open(self, sha256: str) -> BinaryIO:
        """The stored file; FileNotFoundError when it is missing, EvidenceError
        ``not_regular`` when what has its name is not a regular file (a symbolic link, even
        to the right bytes; a folder; a FIFO, which would block a plain open forever), or
        when one of its folders is a link (O_NOFOLLOW guards the last name only)."""
        path = self.path_of(sha256)
        _check_shards(path)
        return _open_checked(path, follow=False)

    def read_bytes(self, sha256: str) -> bytes:
        with self.open(sha256) as stored:
            return stored.read()

    def describe(self, sha256: str) -> StoredBlob:
        """Hash, size and type of a file already stored (by an earlier ``put_*``), read back
        and checked on the way: FileNotFoundError when it is not there, EvidenceError
        ``changed`` when it no longer hashes to its name, the ``put`` refusals otherwise.
        Writes nothing: a file attached to a draft is reused as it is at save. Read in
        chunks, never whole: it may be a 200 MB video."""
        size = 0

        def count(n: int) -> None:
            nonlocal size
            size += n

        if self.hash_of_stored(sha256, count) != sha256:
            raise EvidenceError("changed", detail=f"{sha256[:12]}… trong kho đã bị sửa")
        self._check_size(size)
        with self.open(sha256) as stored:
            head = _read(stored, HEAD_BYTES)
        path = self.path_of(sha256)
        mime = inspect(path, sniff(head), max_pixels=self.max_pixels)
        return StoredBlob(sha256, size, mime, flags_of(path, mime))

    def hash_of_stored(self, sha256: str, progress: Callable[[int], None] | None = None) -> str:
        """The SHA-256 of the stored file as it is now; FileNotFoundError when missing."""
        digest = hashlib.sha256()
        with self.open(sha256) as stored:
            while chunk := stored.read(CHUNK):
                digest.update(chunk)
                if progress is not None:
                    progress(len(chunk))
        return digest.hexdigest()

    def verify(self, sha256: str) -> bool:
        """True when the stored file exists and still hashes to its name."""
        try:
            return self.hash_of_stored(sha256) == sha256
        except (FileNotFoundError, EvidenceError):
            return False

    def irregular(self, sha256: str) -> str | None:
        """What is at ``sha256``'s name when it is not a regular file (Vietnamese, e.g. "thư
        mục"); None for a regular file or nothing. ``lstat`` only: nothing is opened."""
        path = self.path_of(sha256)
        try:
            _check_shards(path)
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return None
        except EvidenceError as error:
            return error.detail
        return None if stat.S_ISREG(mode) else _kind_of(mode)

    def stored_hashes(self) -> Iterator[str]:
        """Every hash-named file in the store (staging and stray files ignored)."""
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if len(first.name) != 2 or not first.is_dir():
                continue
            for second in sorted(first.iterdir()):
                if not second.is_dir():
                    continue
                for item in sorted(second.iterdir()):
                    if is_sha256(item.name) and item.name.startswith(first.name + second.name):
                        yield item.name

    # --- internals ----------------------------------------------------------------------

    def _check_size(self, size: int) -> None:
        if size == 0:
            raise EvidenceError("empty")
        if size > self.max_bytes:
            raise EvidenceError(
                "too_large", detail=f"{megabytes(size)}; tối đa {megabytes(self.max_bytes)}"
            )

    def _temp(self) -> Path:
        # Unique name in the store's own file system, so the commit's rename is atomic and two
        # writers of the same bytes never share a temp file; in this process's locked folder,
        # so a store opened by another process never takes it for a crash's leftover.
        folder = staging.own_folder(self.root / STAGING)
        fd, name = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        os.close(fd)
        return Path(name)

    def _copy(
        self,
        source: BinaryIO,
        head: bytes,
        temp: Path,
        expected: int,
        progress: Progress | None,
        cancel: ShouldCancel | None,
    ) -> tuple[str, int]:
        """Hash on this thread while a writer thread writes: the two overlap (both release the
        GIL), so storing costs about what hashing alone does. Returns (sha256, size)."""
        digest = hashlib.sha256()
        chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=16)
        writer = _Writer(temp, chunks)
        writer.start()
        size = 0
        try:
            chunk = head
            while chunk:
                digest.update(chunk)
                size += len(chunk)
                if size > self.max_bytes:
                    raise EvidenceError("too_large", detail=f"tối đa {megabytes(self.max_bytes)}")
                writer.put(chunk)
                if progress is not None:
                    progress(size, max(expected, size))
                if cancel is not None and cancel():
                    raise EvidenceCancelled()
                chunk = source.read(CHUNK)
        finally:
            writer.finish()
        return digest.hexdigest(), size


class _Writer(threading.Thread):
    """Writes queued chunks to ``temp`` and fsyncs at the end; an error is re-raised on the
    hashing side by :meth:`finish`.

    Every ``_SYNC_EVERY`` bytes a third thread fdatasyncs what is written so far, so the final
    fsync of a 500 MB video has little left to flush, and the writes never wait for the disk
    (a blocking fdatasync here made storing 0.6 times the speed of hashing; overlapped, ~0.9).
    """

    def __init__(self, temp: Path, chunks: queue.Queue[bytes | None]) -> None:
        super().__init__(name="evidence-writer", daemon=True)
        self.temp = temp
        self.chunks = chunks
        self.error: BaseException | None = None
        self.failed = threading.Event()

    def put(self, chunk: bytes) -> None:
        if self.failed.is_set():
            self._raise()
        self.chunks.put(chunk)

    def run(self) -> None:
        ended = False
        try:
            with self.temp.open("wb", buffering=0) as out:
                syncer = _Syncer(out.fileno())
                syncer.start()
                try:
                    unsynced = 0
                    while (chunk := self.chunks.get()) is not None:
                        out.write(chunk)
                        unsynced += len(chunk)
                        if unsynced >= _SYNC_EVERY:
                            syncer.wake.release()
                            unsynced = 0
                    ended = True
                finally:
                    syncer.stop()
                os.fsync(out.fileno())
        except BaseException as error:  # handed to the hashing thread
            self.error = error
            self.failed.set()
            # Keep draining until the end marker, so the hashing side never blocks on put().
            while not ended and self.chunks.get() is not None:
                pass

    def finish(self) -> None:
        self.chunks.put(None)
        self.join()
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error


class _Syncer(threading.Thread):
    """fdatasyncs ``fd`` each time it is woken; stopped before the file is closed."""

    def __init__(self, fd: int) -> None:
        super().__init__(name="evidence-syncer", daemon=True)
        self.fd = fd
        self.wake = threading.Semaphore(0)
        self.done = False

    def run(self) -> None:
        while True:
            self.wake.acquire()
            if self.done:
                return
            with contextlib.suppress(OSError):  # the final fsync reports a real failure
                _datasync(self.fd)

    def stop(self) -> None:
        self.done = True
        self.wake.release()
        self.join()


# Opening a FIFO for reading waits for a writer (forever: the CLI and the intake worker hung);
# opening a tape or a terminal can rewind or take it over. O_NONBLOCK makes such an open return
# at once should the path be swapped for one between the stat and the open; a regular file
# ignores the flag.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def check_regular(path: Path | str) -> os.stat_result:
    """``path``'s ``stat`` if it is a regular file (or a link to one); EvidenceError
    ``unreadable`` or ``not_regular`` otherwise. Nothing is opened."""
    try:
        info = os.stat(path)
    except OSError as error:
        raise EvidenceError("unreadable", detail=error.strerror or str(error)) from error
    if not stat.S_ISREG(info.st_mode):
        raise EvidenceError("not_regular", detail=_kind_of(info.st_mode))
    return info


def open_regular(path: Path | str) -> BinaryIO:
    """``path`` opened for reading if it is a regular file (or a link to one); EvidenceError
    ``not_regular`` for a folder, FIFO, socket or device, decided by ``stat`` before any open,
    and checked again on the opened file (the path may have changed in between)."""
    try:
        return _open_checked(path, follow=True)
    except FileNotFoundError as error:
        raise EvidenceError("unreadable", detail=error.strerror or str(error)) from error


def _open_checked(path: Path | str, *, follow: bool) -> BinaryIO:
    """FileNotFoundError when nothing is there; ``follow=False`` refuses a symbolic link too
    (a stored file must be the bytes themselves, not a pointer to bytes elsewhere)."""
    try:
        before = os.stat(path) if follow else os.lstat(path)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise EvidenceError("unreadable", detail=error.strerror or str(error)) from error
    if not stat.S_ISREG(before.st_mode):
        raise EvidenceError("not_regular", detail=_kind_of(before.st_mode))
    flags = _OPEN_FLAGS if follow else _OPEN_FLAGS | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise EvidenceError("unreadable", detail=error.strerror or str(error)) from error
    try:
        after = os.fstat(fd)
        if not stat.S_ISREG(after.st_mode):
            raise EvidenceError("not_regular", detail=_kind_of(after.st_mode))
        if (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
            raise EvidenceError("changed")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _check_shards(path: Path) -> None:
    """EvidenceError ``not_regular`` when ``ab/`` or ``ab/cd/`` above a stored file is a
    symbolic link: the bytes would live outside the store. FileNotFoundError when missing."""
    for folder in (path.parent.parent, path.parent):
        if stat.S_ISLNK(os.lstat(folder).st_mode):
            raise EvidenceError("not_regular", detail="thư mục trong kho là liên kết tượng trưng")


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "thư mục"
    if stat.S_ISLNK(mode):
        return "liên kết tượng trưng"
    if stat.S_ISFIFO(mode):
        return "ống dẫn FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "thiết bị"
    return "không phải tệp thường"


def is_sha256(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def _read(source: BinaryIO, size: int) -> bytes:
    parts: list[bytes] = []
    wanted = size
    while wanted > 0 and (part := source.read(wanted)):
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
