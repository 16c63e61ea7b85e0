"""Warnings about a file the store accepts as it is (decision 25 in docs/decisions.md).

Evidence is kept unaltered, so two kinds of odd file are taken and flagged, not refused:

- an image cut short (a photo whose upload or copy stopped part-way): it still shows what the
  citizen sent; the flag says the end is missing. Checked from the file's structure (PNG's
  IEND chunk, JPEG's EOI marker, GIF's trailer, WebP's RIFF size), tail only, no decoding.
- a PDF that can run something when opened (``/JS``, ``/JavaScript``, ``/Launch``,
  ``/OpenAction``, ``/AA``): the program never renders a PDF, and does not hand a flagged one
  to the system's viewer either (``open_copy`` refuses it; export still works).

The flags are a pure function of the bytes: recorded in the custody event at attach, and
computed again wherever they matter (opening a copy) rather than trusted from a row.
"""

from __future__ import annotations

import io
import os
import re
import zlib
from pathlib import Path
from typing import BinaryIO

from .errors import EvidenceError

TRUNCATED = "truncated_image"
PDF_ACTIVE = "pdf_active_content"
MESSAGES = {
    TRUNCATED: "Ảnh bị cắt cụt (thiếu phần cuối tệp); vẫn lưu nguyên trạng làm minh chứng",
    PDF_ACTIVE: (
        "PDF có mã hoặc lệnh tự chạy khi mở ({what}); vẫn lưu nguyên trạng nhưng chương trình "
        "không mở tệp này, hãy xuất bản sao và mở bằng trình xem an toàn"
    ),
}

_CHUNK = 1024 * 1024
_TAIL = 4096
# Names that make a PDF viewer act on its own; a name ends at whitespace or a delimiter, so
# "/JSON" is not "/JS". Names may hide letters as #xx escapes ("/J#61vaScript").
_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|OpenAction|AA)(?=[\s()<>\[\]{}/%]|$)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n")
# Compressed streams (object streams hold dictionaries too) are inflated to look inside, up
# to this much output per file: a zip bomb in a PDF costs at most this.
_INFLATE_LIMIT = 64 * 1024 * 1024


def flags_of(source: Path | bytes, mime: str) -> tuple[str, ...]:
    """The warning codes for ``source`` (a stored or staged file, or bytes) of type ``mime``."""
    if mime in ("image/png", "image/jpeg", "image/gif", "image/webp"):
        with _open(source) as stream:
            return (TRUNCATED,) if _truncated(stream, mime) else ()
    if mime == "application/pdf":
        with _open(source) as stream:
            found = _pdf_actions(stream)
        return (PDF_ACTIVE,) if found else ()
    return ()


def pdf_actions(source: Path | bytes) -> tuple[str, ...]:
    """The active names found in a PDF (``JavaScript``, ``Launch``…), sorted."""
    with _open(source) as stream:
        return tuple(sorted(_pdf_actions(stream)))


def message(code: str, source: Path | bytes | None = None) -> str:
    """The Vietnamese warning; with ``source`` (read again) a PDF's names are listed, without
    it nothing is read (the GUI thread's wording)."""
    if code == PDF_ACTIVE:
        if source is None:
            return MESSAGES[code].replace(" ({what})", "")
        what = ", ".join(f"/{n}" for n in pdf_actions(source))
        return MESSAGES[code].format(what=what)
    return MESSAGES.get(code, code)


def refuse_active_pdf(path: Path, mime: str) -> None:
    """EvidenceError ``pdf_active_content`` when ``path`` is a PDF that runs something when
    opened: the caller was about to hand it to a viewer."""
    if mime == "application/pdf" and PDF_ACTIVE in flags_of(path, mime):
        raise EvidenceError(PDF_ACTIVE, message(PDF_ACTIVE, path))


def _open(source: Path | bytes) -> BinaryIO:
    return io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")


def _truncated(stream: BinaryIO, mime: str) -> bool:
    size = stream.seek(0, os.SEEK_END)
    stream.seek(max(size - _TAIL, 0))
    tail = stream.read()
    if mime == "image/png":
        # IEND: length 0, type, fixed CRC; some writers add bytes after it, none drop it
        return b"IEND\xaeB`\x82" not in tail
    if mime == "image/jpeg":
        return b"\xff\xd9" not in tail
    if mime == "image/gif":
        return b";" not in tail[-16:]  # the trailer byte; padding after it is rare but seen
    stream.seek(4)
    declared = int.from_bytes(stream.read(4), "little")  # webp: RIFF chunk size
    return declared + 8 > size


def _pdf_actions(stream: BinaryIO) -> set[str]:
    """Active names in the raw bytes and inside every stream zlib can inflate."""
    found: set[str] = set()
    budget = [_INFLATE_LIMIT]
    carry = b""
    inflating: zlib._Decompress | None = None
    while chunk := stream.read(_CHUNK):
        data = carry + chunk
        _scan(data, found)
        position = 0
        while True:
            if inflating is not None:
                position, inflating = _inflate(inflating, data, position, found, budget)
                if inflating is not None:
                    break  # the stream goes on in the next chunk
            match = _STREAM.search(data, position)
            if match is None or budget[0] <= 0:
                break
            inflating = zlib.decompressobj()
            position = match.end()
        carry = data[-64:]  # a name cut by the chunk boundary is seen whole next time
        if inflating is not None:
            carry = b""  # the inflater has the bytes already; keep no copy to feed twice
    return found


def _inflate(
    inflater: zlib._Decompress, data: bytes, start: int, found: set[str], budget: list[int]
) -> tuple[int, zlib._Decompress | None]:
    """Feed ``data[start:]``; (where to look for the next stream, the inflater if unfinished)."""
    try:
        out = inflater.decompress(data[start:], max(budget[0], 1))
    except zlib.error:
        return start, None  # not Flate (an image, another filter): nothing to read inside
    budget[0] -= len(out)
    _scan(out, found)
    if inflater.eof:
        used = len(data) - start - len(inflater.unused_data)
        return start + used, None
    if budget[0] <= 0:
        return len(data), None
    return len(data), inflater


def _scan(data: bytes, found: set[str]) -> None:
    if b"#" in data:
        data = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
    for match in _ACTIVE.finditer(data):
        found.add(match.group(1).decode("ascii"))
