"""Text at the edge: NFC, control characters, accent and đ folding."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pakn_desktop.domain.text import ControlCharacterError, clean, fold, has_vietnamese_diacritics


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đường phố", "duong pho"),
        ("đường PHỐ", "duong pho"),
        ("Phường Bến Thành", "phuong ben thanh"),
        ("Hà Nội", "ha noi"),
        ("Định  Công\n", "dinh cong"),
        ("Thừa Thiên Huế", "thua thien hue"),
        ("ỷ ỹ ữ ợ", "y y u o"),
    ],
)
def test_fold_removes_diacritics_and_d_stroke(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_same_for_nfc_and_nfd_input() -> None:
    word = "Nguyễn Đức Thắng"
    assert fold(unicodedata.normalize("NFD", word)) == fold(unicodedata.normalize("NFC", word))


@given(st.text())
def test_fold_output_is_ascii_for_vietnamese_letters_and_idempotent(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert "đ" not in once and "Đ" not in once


def test_clean_normalises_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Phản ánh")
    assert decomposed != "Phản ánh"
    assert clean(decomposed) == "Phản ánh"


@pytest.mark.parametrize("bad", ["\x00", "a\x07b", "x\x1by", "\x7f"])
def test_clean_refuses_control_characters(bad: str) -> None:
    with pytest.raises(ControlCharacterError) as info:
        clean(bad)
    assert info.value.char in bad


def test_clean_keeps_tab_and_newlines_and_emoji() -> None:
    text = "dòng 1\ndòng 2\r\n\tthụt lề 👍"
    assert clean(text) == text


def test_diacritics_detection() -> None:
    assert has_vietnamese_diacritics("Đi")
    assert has_vietnamese_diacritics("cống bị tắc")
    assert not has_vietnamese_diacritics("cong bi tac o duong Le Loi")
    assert not has_vietnamese_diacritics("12345 !!")


# Written out here independently of domain/text.py: what names put between letters.
APOSTROPHES = ("'", "’", "‘", "‛", "ʼ", "ʻ", "`", "´", "′")
DASHES = ("-", "‐", "‑", "‒", "–", "—", "―", "−", "﹘", "﹣", "－")


def _slow_fold(text: str) -> str:
    """The definition: apostrophes dropped, dashes made spaces, decompose everything, drop the
    marks (and đ → d)."""
    for apostrophe in APOSTROPHES:
        text = text.replace(apostrophe, "")
    for dash in DASHES:
        text = text.replace(dash, " ")
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D").lower())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@given(st.text())
def test_fold_equals_the_full_decomposition(text: str) -> None:
    assert fold(text) == _slow_fold(text)


@given(st.text(alphabet=st.characters(min_codepoint=0x00C0, max_codepoint=0x1EFF)))
def test_fold_equals_the_full_decomposition_on_latin_letters(text: str) -> None:
    assert fold(text) == _slow_fold(text)


def test_fold_with_a_loose_combining_mark_takes_the_full_path() -> None:
    assert fold("Ha\u0300 No\u0323i") == "ha noi"


@given(st.text())
def test_diacritics_detection_equals_its_definition(text: str) -> None:
    slow = any(c in "đĐ" or unicodedata.normalize("NFD", c) != c for c in text if c.isalpha())
    assert has_vietnamese_diacritics(text) == slow


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("cu m'gar", "Xã Cư M’gar"),
        ("cu mgar", "Xã Cư M’gar"),
        ("ea h'leo", "Xã Ea H'Leo"),
        ("chan may - lang co", "Xã Chân Mây – Lăng Cô"),
        ("chan may lang co", "Xã Chân Mây – Lăng Cô"),
        ("van mieu-quoc tu giam", "Phường Văn Miếu - Quốc Tử Giám"),
        ("van mieu quoc tu giam", "Phường Văn Miếu — Quốc Tử Giám"),
    ],
)
def test_punctuation_folds_like_diacritics(typed: str, name: str) -> None:
    assert fold(typed) in fold(name)
