"""Reading evidence images into QImages, iPhone photos (HEIC/HEIF) included.

Qt decodes PNG, JPEG, GIF and WebP itself, at thumbnail size when asked (the JPEG decoder
skips most pixels); what it cannot read and Pillow can (HEIC through pillow-heif) comes back
as PNG bytes from ``services.evidence.images.display_png``. Worker side: no widget touched.
"""

from __future__ import annotations

import io
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader

from pakn_desktop.services.evidence.errors import EvidenceError
from pakn_desktop.services.evidence.images import display_png


def read_image(source: Path | bytes, box: int | None = None) -> QImage:
    """The image turned as its EXIF orientation says, fitted in ``box`` pixels when given;
    a null QImage when nothing here decodes it (the caller shows the type's tile)."""
    data = QByteArray(source) if isinstance(source, bytes) else None
    buffer = QBuffer(data) if data is not None else None
    if buffer is not None:
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer)
    else:
        reader = QImageReader(str(source))
    reader.setAutoTransform(True)
    full = reader.size()
    if box is not None and full.isValid() and (full.width() > box or full.height() > box):
        # Orientation may swap the sides; scaling both to the larger box keeps the aspect.
        reader.setScaledSize(full.scaled(QSize(box, box), Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        image = _through_pillow(source, box)
    if box is not None and (image.width() > box or image.height() > box):
        image = image.scaled(
            box, box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    return image


def _through_pillow(source: Path | bytes, box: int | None) -> QImage:
    try:
        if isinstance(source, bytes):
            png = display_png(io.BytesIO(source), box=box)
        else:
            with source.open("rb") as stream:
                png = display_png(stream, box=box)
    except (EvidenceError, OSError):
        return QImage()
    # PySide6's stubs type the format as bytes, but at run time it accepts only a str.
    return QImage.fromData(QByteArray(png), "PNG")  # type: ignore[arg-type]
