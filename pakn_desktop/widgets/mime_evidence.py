"""What a paste or a drop carries, as evidence: bytes to attach, or files to stream in.

One helper for the clipboard (``QClipboard.mimeData()``) and drag and drop (``QDropEvent
.mimeData()``): local file URLs become paths (a 200 MB video is streamed by the store, never
read into memory here), ``<img src="data:…">`` in HTML (an image copied from a browser or a
chat) becomes bytes, ``<img src="file:…">`` a path, and plain image data is kept as the
source's own PNG/JPEG bytes when offered, else encoded to PNG. Remote ``http(s)`` images are
not fetched (the console does not reach out to the internet); they are counted as skipped.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QUrl
from PySide6.QtGui import QImage

from pakn_desktop.domain.office_time import office_now
from pakn_desktop.services.evidence.records import EvidenceBytes

_IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_DATA_URL = re.compile(r"^data:([\w/+.-]+)?((?:;[\w=.-]+)*?)(;base64)?,(.*)$", re.DOTALL)
_RAW_FORMATS = ("image/png", "image/jpeg", "image/webp", "image/gif")


@dataclass
class MimeEvidence:
    items: list[EvidenceBytes] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    skipped: int = 0  # remote images, unreadable data URLs
    # Plain image data not encoded yet (``encode=False``): (name, image, source) for a worker.
    images: list[tuple[str, QImage, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.items or self.files or self.images)

    def encoded_items(self) -> list[EvidenceBytes]:
        """``items`` plus ``images`` encoded to PNG: call it on a worker (QImage is safe
        there), since encoding a full-screen screenshot takes ~70 ms."""
        return self.items + [
            EvidenceBytes(name, image_to_png(image), source) for name, image, source in self.images
        ]


def evidence_from_mime(
    mime: QMimeData, source: str = "clipboard", *, encode: bool = True
) -> MimeEvidence:
    """``encode=False`` leaves plain image data as a QImage in ``images`` for a worker to
    encode (``encoded_items``): the GUI thread only copies it."""
    found = MimeEvidence()
    if mime.hasUrls():
        for url in mime.urls():
            _add_url(found, url)
        if found:
            return found
    if mime.hasHtml():
        for index, src in enumerate(_IMG_SRC.findall(mime.html())):
            _add_src(found, unescape(src[1]).strip(), source, index)
        if found:
            return found
    for fmt in _RAW_FORMATS:  # the source's own bytes: no re-encoding, EXIF and all
        if mime.hasFormat(fmt):
            data = bytes(mime.data(fmt).data())
            if data:
                found.items.append(EvidenceBytes(_name(fmt.split("/")[1]), data, source))
                return found
    if mime.hasImage():
        _add_image(found, mime.imageData(), source, encode)
    return found


def _add_image(found: MimeEvidence, image: object, source: str, encode: bool) -> None:
    if not isinstance(image, QImage) or image.isNull():
        return
    if encode:
        found.items.append(EvidenceBytes(_name("png"), image_to_png(image), source))
    else:
        found.images.append((_name("png"), image.copy(), source))


def image_to_png(image: QImage) -> bytes:
    """PNG bytes of ``image`` (ValueError if Qt cannot encode it). ~70 ms for a 1080p
    screenshot: call it on a worker."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6's stubs type the format as bytes, but at run time it accepts only a str.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise ValueError("không mã hoá được ảnh")
    data = bytes(buffer.data().data())
    buffer.close()
    return data


def _name(extension: str) -> str:
    return f"anh-dan-{office_now().strftime('%Y%m%d-%H%M%S')}.{extension}"


def _add_url(found: MimeEvidence, url: QUrl) -> None:
    if url.isLocalFile():
        found.files.append(Path(url.toLocalFile()))
    else:
        found.skipped += 1


def _add_src(found: MimeEvidence, src: str, source: str, index: int) -> None:
    if src.startswith("data:"):
        match = _DATA_URL.match(src)
        if match is None or match.group(3) is None:
            found.skipped += 1
            return
        try:
            data = base64.b64decode(match.group(4), validate=False)
        except (binascii.Error, ValueError):
            found.skipped += 1
            return
        extension = (match.group(1) or "image/png").split("/")[-1]
        name = _name(extension).replace(".", f"-{index + 1}.", 1)
        found.items.append(EvidenceBytes(name, data, source))
    elif src.startswith("file:"):
        found.files.append(Path(QUrl(src).toLocalFile()))
    else:
        found.skipped += 1


def mime_with_bytes(fmt: str, data: bytes) -> QMimeData:
    """A QMimeData holding ``data`` as ``fmt`` (tests, and a drag out of the console later)."""
    mime = QMimeData()
    mime.setData(fmt, QByteArray(data))
    return mime
