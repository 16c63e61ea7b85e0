"""Text at the edge: NFC normalisation, refusal of control characters, accent folding."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

# Tab, LF and CR are the only control characters a report may carry; PostgreSQL rejects NUL
# outright and would block the sync queue, the others are paste accidents. C1 controls
# (U+0080–U+009F) are what cp1252 text read as Latin-1 leaves behind; a lone surrogate cannot
# be written as UTF-8 at all (a JSON "\ud800" escape).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

# Invisible characters (docs/decisions.md, "Invisible characters"). Bidi embeddings,
# overrides and isolates reorder what follows them: "Nguyễn\u202eAn" shows reversed in the
# queue, a file name can hide its real extension. Zero-width characters split a word so that
# search and duplicate detection miss it. None of them can be seen, so an operator could not
# find one to delete it: where they are removed, they are removed silently.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = re.compile(f"[{BIDI_CONTROLS}{ZERO_WIDTH}]")
# Free text keeps the zero-width joiner and non-joiner: emoji sequences pasted from a chat
# (👨\u200d👩\u200d👧) and some scripts' spelling need them.
_INVISIBLE_IN_FREE_TEXT = re.compile(f"[{BIDI_CONTROLS}\u200b\u2060\ufeff]")


class TextKind(StrEnum):
    """What a field holds, which decides what happens to invisible characters."""

    FREE = "free"  # content, notes: removed, except the joiners emoji need
    NAME = "name"  # names, addresses, summaries, file names: all removed
    CODE = "code"  # codes, phone, e-mail, links, case codes: refused (they are compared)


class ControlCharacterError(ValueError):
    """The text holds a character that may not be stored (NUL or another control character,
    a lone surrogate, or an invisible character in a code)."""

    def __init__(self, position: int, char: str) -> None:
        super().__init__(f"control character U+{ord(char):04X} at position {position}")
        self.position = position
        self.char = char

    @property
    def invisible(self) -> bool:
        return self.char in BIDI_CONTROLS or self.char in ZERO_WIDTH


def clean(text: str, kind: TextKind = TextKind.FREE) -> str:
    """``text`` NFC-normalised with invisible characters handled per ``kind``; raises
    ControlCharacterError on a control character, a lone surrogate, or (CODE) an invisible
    character. The one cleaning of the intake: validation (GUI and CLI) and the save."""
    match = _FORBIDDEN.search(text)
    if match is None and kind is TextKind.CODE:
        match = _INVISIBLE.search(text)
    if match is not None:
        raise ControlCharacterError(match.start(), match.group())
    if text.isascii():
        return text
    pattern = _INVISIBLE if kind is TextKind.NAME else _INVISIBLE_IN_FREE_TEXT
    return unicodedata.normalize("NFC", pattern.sub("", text))


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _precomposed_table() -> dict[int, str]:
    """Each precomposed Latin letter (Vietnamese's included) → the letters without marks."""
    table: dict[int, str] = {}
    for cp in (*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)):
        char = chr(cp)
        bare = _strip_marks(char)
        if bare != char and bare.isascii():
            table[cp] = bare
    return table


# Folding runs on every save and for every demo row. NFD plus one regex pass over the marks
# Vietnamese (and every Latin script) uses is C code end to end: a translate() table over the
# precomposed letters did the same per character in Python dict lookups and took twice as long
# (39 → 23 µs for a 400-character call). What is still not ASCII after that (a mark of another
# script, a letter of another alphabet) takes the full per-character path. Equal to the slow
# path on all text (a hypothesis test checks it).
_LATIN_MARKS = re.compile("[\u0300-\u036f]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_MARKED_LETTER = re.compile("[đĐ" + "".join(map(chr, _precomposed_table())) + "]")


# Punctuation inside names folds like a diacritic: "Cư M’gar", "cu m'gar" and "cu mgar" are one
# name, and so are "Chân Mây – Lăng Cô", "chan may - lang co" and "chan may lang co". Every
# apostrophe (typographic, ASCII, the modifier letter, and the accents and primes keyboards
# put in their place) is dropped; every dash becomes a space.
_APOSTROPHES = "'\u2019\u2018\u201b\u02bc\u02bb`\u00b4\u2032"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
# Two regex passes, C code throughout: a translate() table walks non-ASCII text per character
# in Python and made fold() twice as slow.
_APOSTROPHE = re.compile(f"[{_APOSTROPHES}]")
_DASH = re.compile(f"[{re.escape(_DASHES)}]")


def fold(text: str) -> str:
    """Lower-case, accent- and punctuation-free form for search: "Đường Phố" -> "duong pho",
    "Xã Cư M’gar" -> "xa cu mgar", "Chân Mây – Lăng Cô" -> "chan may lang co"."""
    # Unicode gives đ/Đ no decomposition, so stripping marks alone would leave them. Lower-case
    # before stripping: lower() can itself produce combining marks (İ -> i + U+0307).
    unpunctuated = _DASH.sub(" ", _APOSTROPHE.sub("", text))
    lowered = unpunctuated.replace("đ", "d").replace("Đ", "D").lower()
    if lowered.isascii():
        return " ".join(lowered.split())
    quick = _LATIN_MARKS.sub("", unicodedata.normalize("NFD", lowered))
    stripped = quick if quick.isascii() else _NON_ASCII.sub(_strip_run, quick)
    return " ".join(stripped.split())


def _strip_run(match: re.Match[str]) -> str:
    return _strip_marks(match.group())


def has_vietnamese_diacritics(text: str) -> bool:
    """True when ``text`` holds at least one letter with a Vietnamese diacritic (or đ)."""
    if text.isascii():
        return False
    if _MARKED_LETTER.search(text) is not None:
        return True  # the common case: stops at the first marked letter, no decomposition
    return any(c in "đĐ" or unicodedata.normalize("NFD", c) != c for c in text if c.isalpha())
