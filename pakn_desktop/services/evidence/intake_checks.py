"""The intake form's checks on what is pasted or dropped, before it is kept: every allowed
type (a fanpage message is often a voice note, a video, a PDF), within the form's size
limit, an image within the pixel limit. The store itself is ``evidence.store``."""

from __future__ import annotations

from .errors import EvidenceError
from .sniff import inspect, sniff

MAX_BYTES = 50 * 1024 * 1024  # a pasted screenshot is well under; the form holds it in memory

_NOT_EVIDENCE = (
    "Chỉ nhận ảnh (PNG, JPEG, GIF, WebP, HEIC), ghi âm (M4A, MP3, OGG/Opus, AAC, WAV, AMR), "
    "video (MP4, MOV, 3GP) hoặc tài liệu (PDF, DOCX, XLSX)"
)


def detect_mime(data: bytes) -> str:
    """The evidence type from the bytes (``sniff.ALLOWED``; a zip is decided by
    ``check_bytes``); EvidenceError otherwise.

    The bytes decide, never the file name: a renamed executable is not a photo.
    """
    try:
        mime = sniff(data[:65536])
    except EvidenceError as error:
        if error.code == "empty":
            raise
        raise EvidenceError("unsupported_type", _NOT_EVIDENCE) from error
    return mime


def check_size(size: int) -> None:
    """EvidenceError ``too_large`` past the form's limit: checked on a file's ``stat`` before
    it is read, so a 3 GB video dropped by mistake costs nothing."""
    if size > MAX_BYTES:
        raise EvidenceError(
            "too_large",
            f"Tệp quá lớn ({size / (1024 * 1024):.0f} MB; tối đa {MAX_BYTES // (1024 * 1024)} MB)",
        )


def check_bytes(data: bytes) -> str:
    """The MIME type of ``data`` if the intake form would take it (evidence of an allowed
    type within the size limit; an image within the pixel limit); EvidenceError otherwise."""
    check_size(len(data))
    mime = detect_mime(data)
    from .images import DEFAULT_MAX_PIXELS

    return inspect(data, mime, max_pixels=DEFAULT_MAX_PIXELS)
