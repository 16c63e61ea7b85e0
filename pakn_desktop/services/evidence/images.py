"""Images are opened lazily (header only) and refused above a pixel limit: the bomb guard.

Pillow's own guard warns above ``Image.MAX_IMAGE_PIXELS`` (set to our limit: its default of
89 Mpx is below a 108-Mpx phone photo) and raises above twice that; the warning is turned
into an error by a process-wide filter (``warnings.catch_warnings`` is not thread-safe and
the store runs on workers), and the limit is checked explicitly as well, so the refusal does
not depend on a warning filter someone else may reset.
"""

from __future__ import annotations

import warnings
from typing import BinaryIO

from .errors import EvidenceError

# A 108-megapixel phone photo (12000 x 9000) is real evidence; three 4K screens side by side
# are 25 Mpx. Past 120 Mpx, an image is far more likely a bomb than a photo.
DEFAULT_MAX_PIXELS = 120_000_000


def _configure(max_pixels: int) -> None:
    from PIL import Image

    _heif_opener()
    # Added on every call: filterwarnings drops an identical filter before inserting it, and
    # a test runner or a library's catch_warnings may have restored the list since last time.
    warnings.filterwarnings("error", category=Image.DecompressionBombWarning)
    # Pillow's guard at this store's limit (its default, 89 Mpx, is below a 108-Mpx photo);
    # the explicit check below is what each store relies on.
    Image.MAX_IMAGE_PIXELS = max_pixels


def check_image(stream: BinaryIO, mime: str, *, max_pixels: int) -> tuple[int, int]:
    """(width, height) of the image in ``stream``; EvidenceError if it is too big or unreadable.

    Only the header is parsed: no pixel is decoded, so a bomb costs nothing to refuse.
    """
    _configure(max_pixels)
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(stream) as image:
            width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
        raise EvidenceError("image_too_big", detail=_limit_text(max_pixels)) from bomb
    except UnidentifiedImageError as error:
        if mime == "image/heic":
            raise EvidenceError("heic_unsupported") from error
        raise EvidenceError("corrupt_image") from error
    except (OSError, ValueError, SyntaxError) as error:  # Pillow's parsers raise all three
        raise EvidenceError("corrupt_image") from error
    if width <= 0 or height <= 0:
        raise EvidenceError("corrupt_image")
    if width * height > max_pixels:
        raise EvidenceError(
            "image_too_big", detail=f"{width} x {height}; tối đa {_limit_text(max_pixels)}"
        )
    return width, height


def _limit_text(max_pixels: int) -> str:
    return f"{max_pixels / 1_000_000:.0f} triệu điểm ảnh"


def _heif_opener() -> None:
    """Pillow reads HEIC/HEIF (iPhone photos) once pillow-heif registers itself: the header
    check and the pixel limit then apply to them as to any photo."""
    global _HEIF_READY
    if not _HEIF_READY:
        import pillow_heif

        pillow_heif.register_heif_opener()
        _HEIF_READY = True


_HEIF_READY = False


def display_png(source: BinaryIO, *, box: int | None = None) -> bytes:
    """PNG bytes of an image Qt cannot decode itself (HEIC/HEIF), turned as its EXIF says and
    fitted in ``box`` pixels when given: for showing only, the evidence keeps its own bytes.
    EvidenceError ``corrupt_image`` (or ``image_too_big``) when it cannot be shown."""
    import io

    from PIL import Image, ImageOps

    _configure(DEFAULT_MAX_PIXELS)
    try:
        with Image.open(source) as image:
            if image.width * image.height > DEFAULT_MAX_PIXELS:
                raise EvidenceError("image_too_big", detail=_limit_text(DEFAULT_MAX_PIXELS))
            shown = ImageOps.exif_transpose(image.convert("RGB"))
            if box is not None:
                shown.thumbnail((box, box))
            out = io.BytesIO()
            shown.save(out, "PNG")
            return out.getvalue()
    except EvidenceError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
        raise EvidenceError("image_too_big", detail=_limit_text(DEFAULT_MAX_PIXELS)) from bomb
    except (OSError, ValueError, SyntaxError) as error:
        raise EvidenceError("corrupt_image") from error
