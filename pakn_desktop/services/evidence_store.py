"""The evidence store: files content-addressed by SHA-256 under the data directory.

A file is written to a temporary name, fsynced, renamed into ``ab/cd/<sha256>`` and made
read-only, so a crash never leaves a half-written file under a valid name and the same bytes
are stored once. Issue 6 extends this (verify, more types, sync).
"""

from __future__ import annotations

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


def detect_mime(data: bytes) -> str:
    """The image type from the magic bytes (PNG, JPEG, GIF, WebP); EvidenceError otherwise."""
    raise NotImplementedError


class EvidenceStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        """``root/ab/cd/<sha256>``."""
        raise NotImplementedError

    def put_bytes(self, data: bytes) -> StoredBlob:
        """Store ``data`` (once) and return its hash, size and detected type."""
        raise NotImplementedError

    def read_bytes(self, sha256: str) -> bytes:
        raise NotImplementedError

    def verify(self, sha256: str) -> bool:
        """True when the stored file exists and still hashes to its name."""
        raise NotImplementedError
