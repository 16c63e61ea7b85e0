"""Text at the edge: NFC normalisation, refusal of control characters, accent folding."""

from __future__ import annotations

import re
import unicodedata

# Tab, LF and CR are the only control characters a report may carry; PostgreSQL rejects NUL
# outright and would block the sync queue, the others are paste accidents.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Unicode gives đ/Đ no decomposition, so stripping combining marks alone leaves them.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "D"})


class ControlCharacterError(ValueError):
    """The text holds a character that may not be stored (NUL or another control character)."""

    def __init__(self, position: int, char: str) -> None:
        super().__init__(f"control character U+{ord(char):04X} at position {position}")
        self.position = position
        self.char = char


def clean(text: str) -> str:
    """Return ``text`` NFC-normalised; raise ControlCharacterError on NUL or control chars."""
    match = _FORBIDDEN.search(text)
    if match is not None:
        raise ControlCharacterError(match.start(), match.group())
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case, accent-free form for search: "Đường Phố" -> "duong pho"."""
    # Lower-case first: lower() can itself produce combining marks (İ -> i + U+0307).
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA_FOLDS).lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


def has_vietnamese_diacritics(text: str) -> bool:
    """True when ``text`` holds at least one letter with a Vietnamese diacritic (or đ)."""
    return any(c in "đĐ" or unicodedata.normalize("NFD", c) != c for c in text if c.isalpha())
