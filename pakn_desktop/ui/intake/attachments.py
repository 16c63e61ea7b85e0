"""Pasted images and dropped files (photos, voice notes, videos, documents), made ready on a
worker: PNG bytes, checks, a thumbnail (or a picture of the kind, for what Qt cannot show),
and the bytes put into the evidence store at once, so a draft holds only their hash and
survives a kill.

Encoding a full-screen screenshot to PNG takes ~100 ms and reading a dropped file touches the
disk, so none of it runs on the GUI thread (``tasks.read``). QImage is safe to use on a worker
as long as no other thread touches the same object: callers hand over a copy.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from pakn_desktop.domain.office_time import office_now
from pakn_desktop.services.evidence.errors import EvidenceError
from pakn_desktop.services.evidence.intake_checks import (
    MAX_BYTES,
    check_bytes,
    check_size,
    detect_mime,
)
from pakn_desktop.services.evidence.store import EvidenceStore, check_regular, open_regular
from pakn_desktop.services.intake.form import Attachment
from pakn_desktop.ui.intake.evidence_icon import kind_icon
from pakn_desktop.widgets.image_read import read_image
from pakn_desktop.widgets.mime_evidence import image_to_png

THUMB = 96


@dataclass(frozen=True)
class Prepared:
    attachment: Attachment
    thumbnail: QImage


def from_image(
    image: QImage, source: str = "clipboard", geometry: dict[str, Any] | None = None
) -> Prepared:
    """A pasted, dropped or captured image as PNG bytes (a capture with its geometry)."""
    data = image_to_png(image)
    prefix = "chup-man-hinh" if source == "screenshot" else "anh-dan"
    name = f"{prefix}-{office_now().strftime('%Y%m%d-%H%M%S')}.png"
    return Prepared(Attachment(name, data, source, geometry), _thumb(image))


def from_file(path: str, source: str = "drop", store: EvidenceStore | None = None) -> Prepared:
    """A dropped or chosen file; the bytes decide whether it is evidence (EvidenceError).

    ``stat`` first: a FIFO, socket or device is refused without being opened (opening a FIFO
    blocked this worker for ever) and a file over the limit before a byte is read. With a
    store the file is copied into it in chunks while hashed, never held whole in memory, and
    an image's thumbnail is decoded at thumbnail size from the stored copy; the attachment
    then carries only its hash, as a stored draft's does.
    """
    name = Path(path).name
    check_size(check_regular(path).st_size)
    if store is None:
        with open_regular(path) as source_file:
            data = source_file.read(MAX_BYTES + 1)
        mime = check_bytes(data)
        return Prepared(Attachment(name, data, source), _picture(data, mime))
    blob = store.commit(store.stage_file(Path(path)))
    thumbnail = _thumb_from(store.path_of(blob.sha256)) if blob.mime.startswith("image/") else None
    if thumbnail is None or thumbnail.isNull():
        thumbnail = kind_icon(blob.mime, THUMB)
    return Prepared(Attachment(name, b"", source, sha256=blob.sha256), thumbnail)


def stored(store: EvidenceStore | None, prepared: Prepared) -> Prepared:
    """``prepared`` with its bytes in the store (crash-safe: temp, fsync, rename) and its
    ``sha256`` set; unchanged without a store or when already stored (a file streamed in).
    EvidenceError when the store refuses them.

    A draft discarded later leaves its files behind, unreferenced: harmless, as the store is
    content-addressed (the same image attached again is the same file) and no row points at
    them; nothing collects them for now."""
    if store is None or prepared.attachment.sha256:
        return prepared
    blob = store.put_bytes(prepared.attachment.data)
    return replace(prepared, attachment=replace(prepared.attachment, sha256=blob.sha256))


def from_store(store: EvidenceStore | None, reference: Attachment) -> Prepared:
    """A draft's attachment read back from the store by its hash, checked, with a thumbnail;
    EvidenceError when the file is gone or no longer matches its hash."""
    if store is None:
        raise EvidenceError("unreadable", f"{reference.display_name}: không có kho minh chứng")
    try:
        data = store.read_bytes(reference.sha256)
    except (OSError, ValueError) as error:
        raise EvidenceError(
            "unreadable", f"{reference.display_name}: ảnh không còn trong kho minh chứng"
        ) from error
    if hashlib.sha256(data).hexdigest() != reference.sha256:
        raise EvidenceError("changed", f"{reference.display_name}: ảnh trong kho đã bị sửa")
    try:
        mime = detect_mime(data)
    except EvidenceError:  # stored by an older version that took it: shown by name
        mime = ""
    return Prepared(replace(reference, data=data), _picture(data, mime))


def _picture(data: bytes, mime: str) -> QImage:
    """The thumbnail of what Qt decodes; the kind's picture for the rest (a voice note, a
    video, a PDF, an iPhone's HEIC photo here without a decoder): never a refusal."""
    if mime.startswith("image/"):
        image = read_image(data, THUMB)  # HEIC too
        if not image.isNull():
            return _thumb(image)
    return kind_icon(mime, THUMB)


def _thumb_from(path: Path) -> QImage:
    """A thumbnail decoded at its own size (a JPEG is scaled while decoding): a 100-Mpx photo
    never becomes a 400 MB QImage."""
    return read_image(path, THUMB)


def _thumb(image: QImage) -> QImage:
    if image.isNull():
        return QImage()
    return image.scaled(
        THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
