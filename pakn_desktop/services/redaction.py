"""Redaction: black rectangles over faces, names and phone numbers on a copy of a screenshot
or photo, with every piece of metadata dropped, kept as a derived evidence row.

The original is never touched (its file and hash stay); the copy is what may be published or
shared. Rectangles are in the pixels of the image *as shown*, i.e. after its EXIF orientation
is applied, since that orientation tag is dropped with the rest of the metadata.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from pakn_desktop.services.evidence.errors import EvidenceError
from pakn_desktop.services.evidence.images import DEFAULT_MAX_PIXELS, check_image
from pakn_desktop.services.evidence.records import AttachedEvidence
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.evidence.store import EvidenceStore, StoredBlob

PURPOSE = "redacted"
_REDACTABLE = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif"})
JPEG_QUALITY = 92  # visually lossless for screenshots' text; the copy is for reading


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    width: int
    height: int


def redacted_bytes(
    data: bytes, mime: str, rectangles: Sequence[Rect], *, max_pixels: int = DEFAULT_MAX_PIXELS
) -> bytes:
    """The image in ``data`` with ``rectangles`` filled black, re-encoded without EXIF, ICC,
    XMP or text chunks: JPEG stays JPEG, everything else becomes PNG (a GIF or WebP
    animation keeps its first frame: the copy is a still for publication)."""
    if mime not in _REDACTABLE:
        raise EvidenceError("not_image", "Chỉ che thông tin được trên ảnh (PNG, JPEG, WebP, GIF)")
    from PIL import Image, ImageDraw, ImageOps

    check_image(io.BytesIO(data), mime, max_pixels=max_pixels)  # before decoding a pixel
    with Image.open(io.BytesIO(data)) as opened:
        shown = ImageOps.exif_transpose(opened)  # pixels as the operator saw them
        mode = "RGB" if mime == "image/jpeg" else "RGBA"
        pixels = shown.convert(mode)
    for rect in rectangles:
        _check(rect)
    draw = ImageDraw.Draw(pixels)
    black = (0, 0, 0) if mode == "RGB" else (0, 0, 0, 255)
    for rect in rectangles:
        left, top = max(rect.x, 0), max(rect.y, 0)
        right = min(rect.x + rect.width, pixels.width)
        bottom = min(rect.y + rect.height, pixels.height)
        if right > left and bottom > top:
            draw.rectangle((left, top, right - 1, bottom - 1), fill=black)
    # A new image from the raw pixels: no ``info`` (icc_profile, exif, dpi, text) to carry over.
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if mime == "image/jpeg":
        clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        clean.save(out, "PNG", optimize=False)
    return out.getvalue()


def redact(store: EvidenceStore, sha256: str, rectangles: Sequence[Rect]) -> StoredBlob:
    """Store the redacted copy of the stored file ``sha256``; the original stays as it is."""
    mime = _mime_of(store, sha256)
    data = redacted_bytes(store.read_bytes(sha256), mime, rectangles, max_pixels=store.max_pixels)
    return store.put_bytes(data)


class RedactionService:
    def __init__(self, evidence: EvidenceService) -> None:
        self.evidence = evidence

    def redact(self, evidence_id: uuid.UUID, rectangles: Sequence[Rect]) -> AttachedEvidence:
        """A derived evidence row (``derived_from`` = the original, ``purpose`` = redacted) and
        an ``evidence_redacted`` event on the report naming both hashes."""
        original = self.evidence.get(evidence_id)
        store = self.evidence.store
        if not store.verify(original.sha256):
            raise EvidenceError("altered", "Tệp gốc bị thiếu hoặc bị thay đổi; không che được")
        source = store.read_bytes(original.sha256)
        data = redacted_bytes(source, original.mime, rectangles, max_pixels=store.max_pixels)
        staged = store.stage_bytes(data)
        boxes = [[r.x, r.y, r.width, r.height] for r in rectangles]
        return self.evidence.attach_derived(
            original.id, staged, purpose=PURPOSE, event_data={"rectangles": boxes}
        )


def _check(rect: Rect) -> None:
    if rect.width <= 0 or rect.height <= 0:
        raise EvidenceError("bad_rectangle", "Vùng che phải có chiều rộng và chiều cao dương")


def _mime_of(store: EvidenceStore, sha256: str) -> str:
    from pakn_desktop.services.evidence.sniff import sniff

    with store.open(sha256) as stored:
        return sniff(stored.read(65536))
