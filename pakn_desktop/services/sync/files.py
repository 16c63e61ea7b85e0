"""Evidence files through the shared server, in chunks (decision 50).

The push sends the ``blob`` and ``evidence`` rows; the bytes follow here:

* **Upload**, after each push: every file this station stored since the last upload (the
  blob rows in the order stored, after a cursor kept in ``sync_state``) that the server does
  not hold whole is cut into chunks of ``CHUNK_SIZE``, each sent in its own short server
  transaction: a cut connection loses at most the chunk in flight, and the next round sends
  only the chunks the server lacks (resumable). When all are in, the server hashes them in
  order itself (``sha256()``) and only then marks the file complete. A file here that no
  longer hashes to its name is not sent (logged, counted). A round sends at most
  ``ROUND_BYTES``, even of one file (the next round sends its other chunks), so the pull
  after it is not held up long by a video.
* **Fetch on demand** (:func:`fetch_missing`), when a station opens evidence it has only the
  rows of: the chunks are appended to ``<store>/.fetch/<sha256>.part``, resuming after the
  chunks already written, then go through the store's own staging (hashed and checked like
  any attached file) and are committed only when the hash is the name. Anything else leaves
  nothing in the store.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from sqlalchemy import Connection

from pakn_desktop.data import blob_chunks
from pakn_desktop.data.engine import retry_when_busy
from pakn_desktop.data.types import utcnow

from . import errors

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.evidence.store import EvidenceStore

T = TypeVar("T")


class ServerRounds(Protocol):
    """What the files need of ``push.Pusher`` (not imported: the push imports this module)."""

    @property
    def database(self) -> Database: ...

    def on_server(self, work: Callable[[], T]) -> T: ...


try:
    import fcntl
except ImportError:  # Windows: one fetch of a file at a time within this process only
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024  # a chunk per row and per transaction: ~22 ms on loopback
ROUND_BYTES = 16 * CHUNK_SIZE  # bytes a push round uploads at most (a chunk over, at worst)
SCAN = 500  # blob rows looked at per read
RESCAN_EVERY = timedelta(days=1)  # a pass from the first file (blob_chunks.RESCAN_KEY)
FETCHING = ".fetch"  # beside .staging, not swept: a part outlives its process to be resumed

ChunkHook = Callable[[str, int], None]  # (sha256, chunk number) after each chunk moved
Progress = Callable[[int, int], None]  # (bytes here, bytes in all), after each chunk fetched
Cancelled = Callable[[], bool]  # asked before each chunk: the user closed the viewer


@dataclass(frozen=True)
class FilesUploaded:
    uploaded: int = 0  # files made complete on the server in this round
    chunks: int = 0  # chunks sent in this round
    already: int = 0  # files the server already held whole
    missing: int = 0  # blob rows whose file this station does not have (another's, not fetched)
    bad: int = 0  # files here that no longer hash to their name: not sent
    more: bool = False  # the round stopped at ROUND_BYTES: the rest goes next round


class FileUploader:
    """Uploads ``store``'s files through ``pusher``'s server connection."""

    def __init__(
        self,
        pusher: ServerRounds,
        store: EvidenceStore,
        *,
        chunk_size: int | None = None,
        round_bytes: int | None = None,
        after_chunk: ChunkHook | None = None,
    ) -> None:
        self._pusher = pusher
        self._store = store
        # Read at the call, not at import: a test cuts files into a few KiB.
        self.chunk_size = chunk_size or CHUNK_SIZE
        self.round_bytes = round_bytes or ROUND_BYTES
        self._after_chunk = after_chunk

    def upload(self, server: Connection) -> FilesUploaded:
        db = self._pusher.database
        on_server = self._pusher.on_server
        self._rescan_if_due()
        with db.engine.connect() as conn:
            cursor = blob_chunks.read_upload_cursor(conn)
        uploaded = chunks = already = missing = bad = sent = 0
        while True:
            with db.engine.connect() as conn:
                rows = blob_chunks.blobs_after(conn, cursor, SCAN)
            if not rows:
                break
            hashes = [sha for sha, _, _ in rows]
            whole = on_server(lambda: self._complete(server, hashes))  # noqa: B023
            for sha, _size, stored_at in rows:
                if sha in whole:
                    already += 1
                elif not self._store.path_of(sha).exists():
                    missing += 1
                elif not self._store.verify(sha):
                    bad += 1
                    log.warning("sync files: %s… no longer hashes to its name: not sent", sha[:12])
                else:
                    if sent >= self.round_bytes:
                        self._keep_cursor(cursor)
                        return FilesUploaded(uploaded, chunks, already, missing, bad, True)
                    n, size, ok = self._upload_one(server, sha, self.round_bytes - sent)
                    chunks, sent = chunks + n, sent + size
                    if ok is None:  # the round's bytes are spent: the rest of it next round
                        self._keep_cursor(cursor)
                        return FilesUploaded(uploaded, chunks, already, missing, bad, True)
                    if not ok:
                        # Checked here, yet the server's hash differs: altered on the way (or
                        # the file between the check and the read). The server dropped the
                        # chunks; the cursor stays before the file, so the next round sends
                        # it again.
                        log.warning("sync files: %s… refused by the server's hash", sha[:12])
                        self._keep_cursor(cursor)
                        return FilesUploaded(uploaded, chunks, already, missing, bad + 1, True)
                    uploaded += 1
                    self._keep_cursor((stored_at, sha))
                cursor = (stored_at, sha)
            self._keep_cursor(cursor)
            if len(rows) < SCAN:
                break
        if uploaded or bad:
            log.info("sync files: %d uploaded (%d chunks), %d not sent", uploaded, chunks, bad)
        return FilesUploaded(uploaded, chunks, already, missing, bad, False)

    def _rescan_if_due(self) -> None:
        """Once a day, the cursor back before the first file: the server's bulk check makes a
        pass over files already sent cheap, and the ones the cursor passed over go."""
        db, now = self._pusher.database, utcnow()
        with db.engine.connect() as conn:
            if not blob_chunks.rescan_due(conn, now, RESCAN_EVERY):
                return

        def restart() -> None:
            with db.writer.begin() as conn:
                blob_chunks.start_rescan(conn, now)

        retry_when_busy(restart)
        log.info("sync files: every file checked against the server again (daily pass)")

    @staticmethod
    def _complete(server: Connection, hashes: list[str]) -> set[str]:
        with server.begin():
            return blob_chunks.complete_among(server, hashes)

    def _upload_one(
        self, server: Connection, sha: str, budget: int
    ) -> tuple[int, int, bool | None]:
        """(chunks sent, bytes sent, complete now) for one file; None for the last when
        ``budget`` bytes were sent before its end (the next round sends the rest)."""
        on_server = self._pusher.on_server
        size = self._store.path_of(sha).stat().st_size

        def begin() -> tuple[blob_chunks.Upload, set[int]]:
            with server.begin():
                upload = blob_chunks.begin_upload(server, sha, size, self.chunk_size)
                return upload, blob_chunks.chunks_present(server, sha)

        upload, present = on_server(begin)
        if upload.complete:
            return 0, 0, True
        sent = sent_bytes = 0
        with self._store.open(sha) as source:
            for n in range(upload.chunks):
                if n in present:
                    continue
                if sent_bytes >= budget:
                    return sent, sent_bytes, None
                source.seek(n * upload.chunk_size)
                data = source.read(upload.chunk_size)

                def put(data: bytes = data, n: int = n) -> None:
                    with server.begin():
                        blob_chunks.put_chunk(server, sha, n, data)

                on_server(put)
                sent, sent_bytes = sent + 1, sent_bytes + len(data)
                if self._after_chunk is not None:
                    self._after_chunk(sha, n)

        expected = self._chunk_hashes(sha, upload.chunk_size)
        if expected is None:  # altered here since its check: not finished, not trusted
            return sent, sent_bytes, False

        def finish() -> bool:
            with server.begin():
                return blob_chunks.finish_upload(server, sha, expected)

        return sent, sent_bytes, on_server(finish)

    def _chunk_hashes(self, sha: str, chunk_size: int) -> list[str] | None:
        """The SHA-256 of each chunk of the stored file, read once; None when the file no
        longer hashes to its name as a whole (the server compares chunk by chunk)."""
        whole, parts = hashlib.sha256(), []
        with self._store.open(sha) as source:
            while data := source.read(chunk_size):
                whole.update(data)
                parts.append(hashlib.sha256(data).hexdigest())
        return parts if whole.hexdigest() == sha else None

    def _keep_cursor(self, cursor: tuple[datetime, str] | None) -> None:
        if cursor is None:
            return
        kept = cursor

        def work() -> None:
            with self._pusher.database.writer.begin() as conn:
                blob_chunks.store_upload_cursor(conn, kept)

        retry_when_busy(work)


# --- fetch on demand ------------------------------------------------------------------------

_fetch_lock = threading.Lock()
_fetching: dict[str, threading.Lock] = {}


@contextlib.contextmanager
def only_fetch(store: EvidenceStore, sha256: str) -> Iterator[Path]:
    """One fetch of ``sha256`` at a time (threads here, and processes where ``flock`` is):
    two writers of one part file would interleave their chunks."""
    folder = store.root / FETCHING
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / f"{sha256}.part"
    with _fetch_lock:
        lock = _fetching.setdefault(sha256, threading.Lock())
    with lock:
        fd = os.open(folder / f"{sha256}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield part
        finally:
            os.close(fd)  # drops the flock; the lock file stays (removing it would race)


def download(
    pusher: ServerRounds,
    server: Connection,
    sha256: str,
    part: Path,
    after_chunk: ChunkHook | None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """Append the chunks the part file lacks, each read in its own short transaction;
    ``progress`` hears the bytes here after each; ``cancelled`` stops it between two chunks
    (FetchCancelled: the part keeps what came, the next fetch resumes after it)."""

    def look() -> blob_chunks.Upload | None:
        with server.begin():
            return blob_chunks.upload_of(server, sha256)

    upload = pusher.on_server(look)
    if upload is None or not upload.complete:
        raise errors.file_not_on_server(sha256)
    with part.open("ab+") as out:
        # Whole chunks only: a chunk cut mid-write is fetched again; a part longer than the
        # file (another server's cut) starts over.
        have = out.tell()
        done = have // upload.chunk_size if have <= upload.size else 0
        out.truncate(done * upload.chunk_size)
        out.seek(0, os.SEEK_END)
        if progress is not None:
            progress(done * upload.chunk_size, upload.size)
        for n in range(done, upload.chunks):
            if cancelled is not None and cancelled():
                raise errors.fetch_cancelled()

            def read(n: int = n) -> bytes | None:
                with server.begin():
                    return blob_chunks.read_chunk(server, sha256, n)

            data = pusher.on_server(read)
            if data is None:  # removed since (an upload found bad): nothing usable
                raise errors.file_not_on_server(sha256)
            out.write(data)
            out.flush()
            if progress is not None:
                progress(min(upload.size, (n + 1) * upload.chunk_size), upload.size)
            if after_chunk is not None:
                after_chunk(sha256, n)
        os.fsync(out.fileno())


def commit_part(store: EvidenceStore, sha256: str, part: Path) -> None:
    """Through the store's staging (hashed, its type checked, like any attached file); into
    the store only when the hash is the name. The part goes either way: a part that hashes
    wrong cannot say which chunk is bad, so the next fetch starts over."""
    try:
        staged = store.stage_file(part)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    part.unlink(missing_ok=True)
    if staged.blob.sha256 != sha256:
        store.discard(staged)
        log.warning("sync files: %s… fetched but hashes otherwise: refused", sha256[:12])
        raise errors.file_corrupt_on_arrival(sha256)
    store.commit(staged)
