"""Thumbnails of stored evidence: decoded at a small size on a worker, cached by hash.

``QImageReader.setScaledSize`` lets the JPEG decoder skip most of the pixels, so a 24 MP
photo costs a fraction of a full decode. A thumbnail is kept in memory (by SHA-256: the same
bytes have the same picture, whichever report shows them) and on disk under
``data_dir/thumbs``, so reopening a report or restarting the console decodes nothing.
"""

from __future__ import annotations

import contextlib
import os
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QPixmap

from pakn_desktop.widgets.image_read import read_image

SIZE = 96
MEMORY_ITEMS = 400  # ~40 KB each: a bounded few MB however many reports are opened


def is_image(mime: str) -> bool:
    return mime in ("image/png", "image/jpeg", "image/gif", "image/webp")


def thumb_path(thumbs_dir: Path, sha256: str) -> Path:
    return thumbs_dir / sha256[:2] / f"{sha256}.png"


def make_thumbnail(source: Path, sha256: str, thumbs_dir: Path, size: int = SIZE) -> QImage:
    """Worker side: the cached thumbnail, or a scaled read of ``source`` saved to the cache.
    A null image when the file cannot be decoded (the strip shows the type tile)."""
    cached = thumb_path(thumbs_dir, sha256)
    if cached.exists():
        image = QImage(str(cached))
        if not image.isNull():
            return image
    image = read_image(source, size)  # scaled while decoding where the format allows; HEIC too
    if image.isNull():
        return image
    cached.parent.mkdir(parents=True, exist_ok=True)
    temp = cached.with_suffix(f".{os.getpid()}.tmp")
    # PySide6's stubs type the format as bytes, but at run time it accepts only a str.
    if image.save(str(temp), "PNG"):  # type: ignore[call-overload]
        with contextlib.suppress(OSError):
            os.replace(temp, cached)  # a cache: a lost race or a full disk is harmless
    return image


class ThumbnailCache:
    """GUI side: the last thumbnails shown, by SHA-256 (least recently used dropped)."""

    def __init__(self, limit: int = MEMORY_ITEMS) -> None:
        self._limit = limit
        self._images: OrderedDict[str, QImage] = OrderedDict()

    def get(self, sha256: str) -> QImage | None:
        image = self._images.get(sha256)
        if image is not None:
            self._images.move_to_end(sha256)
        return image

    def put(self, sha256: str, image: QImage) -> None:
        self._images[sha256] = image
        self._images.move_to_end(sha256)
        while len(self._images) > self._limit:
            self._images.popitem(last=False)


_KINDS = {
    "application/pdf": ("PDF", QColor(196, 43, 28)),
    "video/": ("VIDEO", QColor(94, 53, 177)),
    "audio/": ("ÂM THANH", QColor(0, 121, 107)),
    "wordprocessingml": ("DOCX", QColor(21, 101, 192)),
    "spreadsheetml": ("XLSX", QColor(46, 125, 50)),
    "image/": ("ẢNH", QColor(97, 97, 97)),
}


def type_label(mime: str) -> tuple[str, QColor]:
    for key, found in _KINDS.items():
        if key in mime:
            return found
    return "TỆP", QColor(97, 97, 97)


def type_tile(mime: str, size: int = SIZE) -> QPixmap:
    """A page-shaped tile with the file's kind written on it (for non-images)."""
    word, colour = type_label(mime)
    text = QCoreApplication.translate("EvidenceThumbs", word)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    page = QRect(size // 6, 4, size * 2 // 3, size - 8)
    painter.setPen(QPen(QColor(160, 160, 160), 1))
    painter.setBrush(QColor(250, 250, 250))
    painter.drawRoundedRect(page, 4, 4)
    band = QRect(page.left() - 6, page.center().y() - 11, page.width() + 12, 22)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(band, 3, 3)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(11 if len(text) > 5 else 13)
    painter.setFont(font)
    painter.setPen(QColor(255, 255, 255))
    painter.drawText(band, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pixmap


def with_badge(base: QPixmap, text: str, colour: QColor, size: int = SIZE) -> QPixmap:
    """``base`` centred on a square canvas, with a small label in its lower corner when
    ``text`` is given (a derived copy, a detached file): painted once per item."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if not base.isNull():
        painter.drawPixmap((size - base.width()) // 2, (size - base.height()) // 2, base)
    if not text:
        painter.end()
        return pixmap
    font = QFont()
    font.setBold(True)
    font.setPixelSize(11)
    painter.setFont(font)
    width = painter.fontMetrics().horizontalAdvance(text) + 10
    badge = QRect(size - width - 1, size - 19, width, 18)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(badge, 4, 4)
    painter.setPen(QColor(255, 255, 255))
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pixmap
