"""The store's guards: every allowed type in, every bad file out with its code and a
Vietnamese message, nothing stored, no exception but EvidenceError escapes."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from pakn_desktop.services.evidence.errors import EvidenceCancelled, EvidenceError
from pakn_desktop.services.evidence.names import sanitise_name, unique_names
from pakn_desktop.services.evidence.store import EvidenceStore
from tests.evidence_fixtures import stored_files
from tests.evidence_samples import ALLOWED, REFUSED


@pytest.mark.parametrize("mime", sorted(ALLOWED))
def test_every_allowed_type_is_stored_from_a_file(tmp_path: Path, mime: str) -> None:
    data = ALLOWED[mime]
    source = tmp_path / "upload.bin"  # the name never decides
    source.write_bytes(data)
    store = EvidenceStore(tmp_path / "store")
    blob = store.put_file(source)
    assert (blob.mime, blob.size) == (mime, len(data))
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    path = store.path_of(blob.sha256)
    assert path.read_bytes() == data
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o444
    assert [p.name for p in stored_files(tmp_path / "store")] == [blob.sha256]


@pytest.mark.parametrize("mime", sorted(ALLOWED))
def test_every_allowed_type_is_stored_from_bytes(tmp_path: Path, mime: str) -> None:
    assert EvidenceStore(tmp_path).put_bytes(ALLOWED[mime]).mime == mime


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_every_bad_file_is_refused_with_its_code_and_nothing_stored(
    tmp_path: Path, name: str
) -> None:
    data, code = REFUSED[name]
    source = tmp_path / name
    source.write_bytes(data)
    store = EvidenceStore(tmp_path / "store")
    for attempt in (lambda: store.put_file(source), lambda: store.put_bytes(data)):
        with pytest.raises(EvidenceError) as caught:
            attempt()
        assert caught.value.code == code
        assert caught.value.message and caught.value.message.isascii() is False  # Vietnamese
        assert stored_files(tmp_path / "store") == []


def test_over_limit_refused_from_stat_before_reading(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path / "store", max_bytes=1024 * 1024)
    big = tmp_path / "video.mp4"
    with big.open("wb") as out:  # sparse: the store must refuse it without reading 5 MB
        out.truncate(5 * 1024 * 1024)
    with pytest.raises(EvidenceError) as caught:
        store.put_file(big)
    assert caught.value.code == "too_large"
    assert "MB" in caught.value.message
    assert stored_files(tmp_path / "store") == []


def test_default_limit_is_200_mb(tmp_path: Path) -> None:
    assert EvidenceStore(tmp_path).max_bytes == 200 * 1024 * 1024


def test_cancel_between_chunks_leaves_nothing(tmp_path: Path) -> None:
    data = ALLOWED["video/mp4"] + os.urandom(3 * 1024 * 1024)
    source = tmp_path / "clip.mp4"
    source.write_bytes(data)
    store = EvidenceStore(tmp_path / "store")
    seen: list[tuple[int, int]] = []
    with pytest.raises(EvidenceCancelled):
        store.put_file(source, progress=lambda d, t: seen.append((d, t)), cancel=lambda: True)
    assert seen and seen[0][1] == len(data)
    assert stored_files(tmp_path / "store") == []


def test_big_file_streams_with_progress_and_dedups(tmp_path: Path) -> None:
    data = ALLOWED["video/mp4"] + os.urandom(5 * 1024 * 1024 + 17)
    source = tmp_path / "clip.mp4"
    source.write_bytes(data)
    store = EvidenceStore(tmp_path / "store")
    seen: list[int] = []
    blob = store.put_file(source, progress=lambda d, t: seen.append(d))
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert seen[-1] == len(data) and seen == sorted(seen)
    assert store.put_file(source) == blob
    assert len(stored_files(tmp_path / "store")) == 1


def test_unreadable_path_is_a_clear_refusal(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError) as caught:
        EvidenceStore(tmp_path).put_file(tmp_path / "khong-co.png")
    assert caught.value.code == "unreadable"
    with pytest.raises(EvidenceError) as caught:
        EvidenceStore(tmp_path / "s").put_file(tmp_path)  # a folder
    assert caught.value.code == "not_regular"


@pytest.mark.parametrize(
    ("given", "mime", "expected"),
    [
        ("C:\\Users\\an\\Desktop\\ảnh chụp.PNG", "image/png", "ảnh chụp.PNG"),
        ("../../etc/passwd", "application/pdf", "passwd.pdf"),
        ("CON.jpg", "image/jpeg", "minh-chung_CON.jpg"),
        ("a\x00b\x1fc\x7f.gif", "image/gif", "a_b c_.gif"),  # \x1f counts as a space
        ("report.jpg", "image/png", "report.jpg.png"),
        ("  ...  ", "image/png", "minh-chung.png"),
        ("ghi âm\n cuộc gọi.m4a", "audio/mp4", "ghi âm cuộc gọi.m4a"),
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("..", "application/pdf", "minh-chung.pdf"),
        ("..\\..\\Windows\\..", "image/png", "minh-chung.png"),
        # A right-to-left override makes "ảnh<RLO>gnp.exe" read as "ảnhexe.png".
        ("ảnh\u202egnp.exe", "image/png", "ảnhgnp.exe.png"),
        ("a\u2066b\u2069\u200f.pdf", "application/pdf", "ab.pdf"),
        ("hóa\u200b\u200c\u200d\ufeff\u2060đơn.pdf", "application/pdf", "hóađơn.pdf"),
        ("cuo\u0323\u0302c go\u0323i.m4a", "audio/mp4", "cuộc gọi.m4a"),  # NFD → NFC
    ],
)
def test_display_names_are_sanitised(given: str, mime: str, expected: str) -> None:
    assert sanitise_name(given, mime) == expected


def test_long_names_keep_their_extension() -> None:
    name = sanitise_name("x" * 400 + ".pdf", "application/pdf")
    assert len(name) == 255 and name.endswith(".pdf")


@pytest.mark.parametrize("letter", ["ễ", "ệ", "đ", "😀", "a"])
def test_long_names_fit_255_bytes_cut_on_a_character(letter: str) -> None:
    """A file system allows 255 bytes, not characters: 200 Vietnamese letters are 600."""
    given = "Biên bản " + letter * 300 + ".docx"
    name = sanitise_name(
        given, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    encoded = name.encode("utf-8")
    assert len(encoded) <= 255 and len(encoded) > 255 - len(letter.encode())
    assert name.endswith(".docx") and name.startswith("Biên bản " + letter)
    assert set(name[len("Biên bản ") : -len(".docx")]) == {letter}  # no half letter left


def test_unique_names_ignore_case() -> None:
    names = unique_names(["a.png", "A.png", "a.png", "b"])
    assert names == ["a.png", "A (2).png", "a (3).png", "b"]
