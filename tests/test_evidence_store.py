"""The evidence store: content-addressed, read-only, deduplicated; the intake image check."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from pakn_desktop.services.evidence.errors import EvidenceError
from pakn_desktop.services.evidence.intake_checks import check_bytes, detect_mime
from pakn_desktop.services.evidence.store import EvidenceStore
from tests.intake_data import EXE, GIF, JPEG, WEBP, png


def test_stored_by_hash_under_two_levels(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path / "evidence")
    data = png(4, 4)
    blob = store.put_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    assert (blob.sha256, blob.size, blob.mime) == (sha, len(data), "image/png")
    path = tmp_path / "evidence" / sha[:2] / sha[2:4] / sha
    assert path.read_bytes() == data
    assert store.read_bytes(sha) == data
    assert store.verify(sha)


def test_files_are_read_only_and_no_temp_left(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path)
    blob = store.put_bytes(png())
    mode = stat.S_IMODE(os.stat(store.path_of(blob.sha256)).st_mode)
    assert mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) == 0
    leftovers = [p for p in tmp_path.rglob(".tmp-*")]
    assert leftovers == []
    assert list(store.stored_hashes()) == [blob.sha256]


def test_same_bytes_stored_once(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path)
    first = store.put_bytes(png(seed=7))
    second = store.put_bytes(png(seed=7))
    assert first == second
    assert list(store.stored_hashes()) == [first.sha256]
    assert store.put_bytes(png(seed=8)).sha256 != first.sha256


@pytest.mark.parametrize(
    ("data", "mime"),
    [(png(), "image/png"), (JPEG, "image/jpeg"), (GIF, "image/gif"), (WEBP, "image/webp")],
)
def test_image_types_detected_from_bytes(data: bytes, mime: str) -> None:
    assert detect_mime(data) == mime


@pytest.mark.parametrize("data", [EXE, b"hello"])
def test_intake_form_check_refuses_what_is_not_evidence(data: bytes) -> None:
    """The intake form's in-memory check says what it takes when it refuses."""
    with pytest.raises(EvidenceError) as caught:
        check_bytes(data)
    assert caught.value.code == "unsupported_type"
    assert "PNG" in caught.value.message and "M4A" in caught.value.message


@pytest.mark.parametrize(
    ("data", "mime"),
    [(b"%PDF-1.7\n", "application/pdf"), (b"RIFF\x00\x00\x00\x00WAVE", "audio/x-wav")],
)
def test_intake_form_check_takes_documents_and_voice(data: bytes, mime: str) -> None:
    """A fanpage message is often a voice note or a PDF: the form takes them (it was
    images-only)."""
    assert check_bytes(data) == mime


def test_fake_jpeg_header_is_refused_by_the_pixel_check() -> None:
    with pytest.raises(EvidenceError) as caught:
        check_bytes(JPEG)
    assert caught.value.code == "corrupt_image"


def test_empty_refused(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError) as caught:
        EvidenceStore(tmp_path).put_bytes(b"")
    assert caught.value.code == "empty"


def test_altered_file_is_detected_and_rewritten(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path)
    data = png(2, 2)
    blob = store.put_bytes(data)
    path = store.path_of(blob.sha256)
    path.chmod(0o644)
    path.write_bytes(data[:-1] + b"\x00")
    assert not store.verify(blob.sha256)
    store.put_bytes(data)  # the same bytes again repair the stored copy
    assert store.verify(blob.sha256)


def test_path_of_refuses_non_hashes(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        EvidenceStore(tmp_path).path_of("../../etc/passwd")
