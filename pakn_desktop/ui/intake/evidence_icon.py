"""A stand-in picture for evidence Qt cannot show as a thumbnail: a voice note, a video, a
PDF, an Office file, an iPhone photo (HEIC, no decoder here). Painted on a QImage, so a
worker can make it with the rest of the attachment."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter

# (label, colour) by the start of the MIME type, the first match wins.
_KINDS: tuple[tuple[str, str, str], ...] = (
    ("image/", "ẢNH", "#2e7d32"),
    ("audio/", "GHI ÂM", "#6a1b9a"),
    ("video/", "VIDEO", "#c62828"),
    ("application/pdf", "PDF", "#b71c1c"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml", "WORD", "#1565c0"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml", "EXCEL", "#2e7d32"),
)


def kind_label(mime: str) -> str:
    for prefix, label, _colour in _KINDS:
        if mime.startswith(prefix):
            return label
    return "TỆP"


def kind_icon(mime: str, size: int = 72) -> QImage:
    """A rounded tile with the kind's word ("GHI ÂM", "VIDEO", "PDF"…) and its format."""
    colour = next((c for p, _l, c in _KINDS if mime.startswith(p)), "#546e7a")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawRoundedRect(QRectF(2, 6, size - 4, size - 12), 8, 8)
        painter.setPen(Qt.GlobalColor.white)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(max(9, size // 6))
        painter.setFont(font)
        upper = QRectF(2, 6, size - 4, (size - 12) / 2 + 4)
        painter.drawText(upper, Qt.AlignmentFlag.AlignCenter, kind_label(mime))
        font.setBold(False)
        font.setPixelSize(max(8, size // 7))
        painter.setFont(font)
        lower = QRectF(2, size / 2, size - 4, (size - 12) / 2)
        painter.drawText(lower, Qt.AlignmentFlag.AlignCenter, _format(mime))
    finally:
        painter.end()
    return image


def _format(mime: str) -> str:
    from pakn_desktop.services.evidence.sniff import ALLOWED

    return ALLOWED.get(mime, "")
