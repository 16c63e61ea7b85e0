"""The evidence store's public face for the intake form, which takes images only.

The store itself (every allowed type, streaming, guards) lives in ``services.evidence``;
this module keeps the names the intake code imports and the in-memory image check its
form runs on pasted screenshots.
"""

from __future__ import annotations

from .evidence.errors import EvidenceError
from .evidence.sniff import IMAGES, inspect, sniff
from .evidence.store import DEFAULT_MAX_BYTES, EvidenceStore, StoredBlob

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_BYTES",
    "EvidenceError",
    "EvidenceStore",
    "StoredBlob",
    "check_bytes",
    "check_image_type",
    "check_size",
    "detect_mime",
]

MAX_BYTES = 50 * 1024 * 1024  # a pasted screenshot is well under; the form holds it in memory

_IMAGES_ONLY = "Chỉ nhận ảnh PNG, JPEG, GIF hoặc WebP; tệp này không phải ảnh"


def detect_mime(data: bytes) -> str:
    """The image type from the bytes (PNG, JPEG, GIF, WebP); EvidenceError otherwise.

    The bytes decide, never the file name: a renamed executable is not an image.
    """
    try:
        mime = sniff(data[:65536])
    except EvidenceError as error:
        if error.code == "empty":
            raise
        raise EvidenceError("unsupported_type", _IMAGES_ONLY) from error
    check_image_type(mime)
    return mime


def check_size(size: int) -> None:
    """EvidenceError ``too_large`` past the form's limit: checked on a file's ``stat`` before
    it is read, so a 3 GB video dropped by mistake costs nothing."""
    if size > MAX_BYTES:
        raise EvidenceError(
            "too_large",
            f"Tệp quá lớn ({size / (1024 * 1024):.0f} MB; tối đa {MAX_BYTES // (1024 * 1024)} MB)",
        )


def check_image_type(mime: str) -> None:
    """EvidenceError unless ``mime`` is an image the form takes (HEIC is not shown by Qt)."""
    if mime not in IMAGES or mime == "image/heic":
        raise EvidenceError("unsupported_type", _IMAGES_ONLY)


def check_bytes(data: bytes) -> str:
    """The MIME type of ``data`` if the intake form would take it (an image within the size
    and pixel limits); EvidenceError otherwise."""
    check_size(len(data))
    mime = detect_mime(data)
    from .evidence.images import DEFAULT_MAX_PIXELS

    return inspect(data, mime, max_pixels=DEFAULT_MAX_PIXELS)
