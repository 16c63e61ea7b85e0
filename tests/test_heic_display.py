"""An iPhone's HEIC photo is shown as the photo everywhere evidence is shown: the viewer, the
detail's thumbnails and the intake strip (Qt has no HEIC decoder; pillow-heif decodes it for
the screen only, the evidence keeps its bytes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from pakn_desktop.ui.evidence.thumbs import make_thumbnail
from pakn_desktop.ui.evidence.viewer import load_image
from pakn_desktop.widgets.image_read import read_image

from .evidence_samples import heic

BLUE = (20, 40, 210)


def _centre(image: QImage) -> tuple[int, int, int]:
    colour = image.pixelColor(image.width() // 2, image.height() // 2)
    return colour.red(), colour.green(), colour.blue()


def _close(seen: tuple[int, int, int], wanted: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 30 for a, b in zip(seen, wanted, strict=True))


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "IMG_0001.HEIC"
    path.write_bytes(heic(size=(640, 480), colour=BLUE))
    return path


def test_the_viewer_shows_the_whole_photo(photo: Path) -> None:
    image = load_image(photo)
    assert (image.width(), image.height()) == (640, 480)
    assert _close(_centre(image), BLUE)


def test_thumbnails_are_the_photo_fitted_and_cached(photo: Path, tmp_path: Path) -> None:
    thumbs = tmp_path / "thumbs"
    image = make_thumbnail(photo, "ab" * 32, thumbs, size=96)
    assert max(image.width(), image.height()) == 96 and _close(_centre(image), BLUE)
    assert any(thumbs.rglob("*.png"))  # cached as PNG: decoded once


def test_bytes_and_a_broken_photo(photo: Path) -> None:
    assert _close(_centre(read_image(photo.read_bytes(), 48)), BLUE)
    broken = photo.read_bytes()[:200]  # the header of a HEIC, the pixels gone
    assert read_image(broken, 48).isNull()  # the caller shows the tile of its kind
