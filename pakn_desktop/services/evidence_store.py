"""The evidence store: files content-addressed by SHA-256 under the data directory.

A file is written to a temporary name, fsynced, renamed into ``ab/cd/<sha256>`` and made
read-only, so a crash never leaves a half-written file under a valid name and the same bytes
are stored once. Issue 6 extends this (verify, more types, sync).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 50 * 1024 * 1024  # a screenshot is well under; refuse a pasted video by mistake


class EvidenceError(ValueError):
    """Bytes the store refuses (unsupported type, empty, too large); ``message`` is Vietnamese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    mime: str


_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_READ_ONLY = 0o444
_CHUNK = 1024 * 1024


def detect_mime(data: bytes) -> str:
    """The image type from the magic bytes (PNG, JPEG, GIF, WebP); EvidenceError otherwise.

    The bytes decide, never the file name: a renamed executable is not an image.
    """
    if not data:
        raise EvidenceError("empty", "Tệp rỗng")
    for magic, mime in _SIGNATURES:
        if data.startswith(magic):
            return mime
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise EvidenceError(
        "unsupported_type", "Chỉ nhận ảnh PNG, JPEG, GIF hoặc WebP; tệp này không phải ảnh"
    )


def check_bytes(data: bytes) -> str:
    """The MIME type of ``data`` if the store would take it; EvidenceError otherwise."""
    if len(data) > MAX_BYTES:
        raise EvidenceError(
            "too_large", f"Tệp quá lớn ({len(data) // (1024 * 1024)} MB; tối đa 50 MB)"
        )
    return detect_mime(data)


class EvidenceStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        """``root/ab/cd/<sha256>``."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put_bytes(self, data: bytes) -> StoredBlob:
        """Store ``data`` (once) and return its hash, size and detected type."""
        mime = check_bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        path = self.path_of(sha)
        if path.exists() and self.verify(sha):
            return StoredBlob(sha, len(data), mime)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Unique temp name in the target folder: same file system, so the rename is atomic,
        # and two writers of the same bytes never share a temp file.
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, _READ_ONLY)
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        _fsync_dir(path.parent)
        return StoredBlob(sha, len(data), mime)

    def read_bytes(self, sha256: str) -> bytes:
        return self.path_of(sha256).read_bytes()

    def verify(self, sha256: str) -> bool:
        """True when the stored file exists and still hashes to its name."""
        digest = hashlib.sha256()
        try:
            with self.path_of(sha256).open("rb") as stored:
                while chunk := stored.read(_CHUNK):
                    digest.update(chunk)
        except FileNotFoundError:
            return False
        return digest.hexdigest() == sha256


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
