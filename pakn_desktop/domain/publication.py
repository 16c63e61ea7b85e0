"""What may be published, and a report's text with the reporter's identity masked.

Used for the public result (công khai) and for anything a unit receives about a protected
report (a denouncer's identity is protected by law: domain/README.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

MASK = "***"
# Any e-mail address, and any run of 9+ digits a phone number may be typed as (spaces, dots,
# dashes, brackets, a leading +): masked whoever's they are, as a second line of defence.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE_LIKE = re.compile(r"(?<![\w])\+?(?:\d[\s.\-()]{0,2}){8,14}\d(?![\w])")


class PublicationRefusal(StrEnum):
    CONFIDENTIAL = "confidential"  # the reporter asked for confidentiality
    NO_PUBLISH = "no_publish"  # the reporter asked not to publish
    STATE_SECRET = "state_secret"
    PERSONAL_DATA = "personal_data"  # the text still names the reporter


@dataclass(frozen=True)
class Identity:
    """What identifies a reporter; any part may be empty."""

    name: str = ""
    phone: str = ""  # E.164
    phone_raw: str = ""
    email: str = ""
    address: str = ""


# One person, or everyone a report names (``people_of``).
Who = Identity | Iterable[Identity]

# What a message (fanpage, Zalo) carries of its sender: an account's name, profile and
# message links identify the person as surely as the reporter fields do.
SENDER_KEYS = ("sender_name", "sender_profile_url", "message_url")


def people_of(reporter: Identity | None, sender: str | None) -> tuple[Identity, ...]:
    """Everyone a report names, whom a protected report withholds and a publication may not
    show: its reporter, and the sender of a message (often the only name a moderator has, and
    not always the reporter's name: ``intake_meta["sender_name"]``)."""
    people = [reporter] if reporter is not None and reporter != Identity() else []
    sender = (sender or "").strip()
    if sender and all(sender != p.name for p in people):
        people.append(Identity(name=sender))
    return tuple(people)


def publication_refusal(
    *, confidential: bool, no_publish: bool, state_secret: bool
) -> PublicationRefusal | None:
    """Why a report's result may not be published, or None (Khánh Hòa regulation)."""
    if state_secret:
        return PublicationRefusal.STATE_SECRET
    if confidential:
        return PublicationRefusal.CONFIDENTIAL
    if no_publish:
        return PublicationRefusal.NO_PUBLISH
    return None


def _folded_with_origins(text: str) -> tuple[str, list[int]]:
    """``text`` folded (accents and combining marks dropped, đ → d, lower case) and, for each
    folded character, the index in ``text`` it came from, plus ``len(text)`` at the end.

    Text may come in NFC, NFD (a macOS paste: "e" then U+0301) or typed without accents: all
    three fold alike, and a match in the folded text maps back onto the original text, its
    combining marks included.
    """
    distinct = set(text)
    if not distinct <= _ONE_FOR_ONE:
        for char in distinct - _FOLDED_CHARS.keys():
            _FOLDED_CHARS[char]  # learnt, and added to _ONE_FOR_ONE when it folds to one
    if distinct <= _ONE_FOR_ONE:  # NFC: one character for one
        return text.translate(_FOLDED_ORDS), list(range(len(text) + 1))
    pieces = [_FOLDED_CHARS[c] for c in text]
    origins = [index for index, piece in enumerate(pieces) for _ in piece]
    origins.append(len(text))
    return "".join(pieces), origins


class _FoldedChars(dict[str, str]):
    """Each character's folded form, learnt as met (a few hundred distinct characters in
    practice): folding char by char through unicodedata made a 2 kB text take milliseconds."""

    def __missing__(self, char: str) -> str:
        self[char] = folded = _fold_char(char)
        _FOLDED_ORDS[ord(char)] = folded
        if len(folded) == 1:
            _ONE_FOR_ONE.add(char)
        return folded


_FOLDED_CHARS = _FoldedChars()
_FOLDED_ORDS: dict[int, str] = {}  # the same, for str.translate
# The characters learnt to fold to exactly one character: a text made only of them keeps its
# indexes when folded (one set comparison, not a look-up per distinct character).
_ONE_FOR_ONE: set[str] = set()


def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d"
    if char == "\u00a0":
        return " "
    decomposed = unicodedata.normalize("NFD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    # Lower-casing may add a mark ("İ" → "i" + U+0307).
    return "".join(c for c in base if not unicodedata.combining(c))


def _folded(text: str) -> str:
    return _folded_with_origins(text)[0]


def _words_pattern(phrase: str) -> re.Pattern[str] | None:
    words = _folded(phrase).split()
    if not words:
        return None
    body = r"\s+".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w){body}(?!\w)")


# Words Vietnamese put before the name a person is called by: "anh An", "bà Lan".
_HONORIFICS = ("anh", "chị", "ông", "bà", "cô", "chú", "em", "bác", "cụ", "dì", "thím")
_WORD = re.compile(r"[^\W_]+")


class _Word:
    """A word as written (NFC, lower case) and folded."""

    __slots__ = ("folded", "written")

    def __init__(self, written: str, folded: str | None = None) -> None:
        self.written = unicodedata.normalize("NFC", written).lower()
        self.folded = _folded(written) if folded is None else folded

    def same(self, word: _Word) -> bool:
        """This is ``word``: accents and case aside when typed without accents, but with the
        same accents when typed with any, so "cơ" is not "cô" and "quán" is not "Quân"."""
        if self.folded != word.folded:
            return False
        return self.written == self.folded or self.written == word.written


_HONORIFIC_WORDS = tuple(_Word(h) for h in _HONORIFICS)


def _name_part_spans(
    text: str, folded: str, origins: list[int], name: str
) -> list[tuple[int, int]]:
    """Part of the name said without the rest, wholly: a run of the name's words that holds
    its given name (the last word), "Thị Kín", "Văn Bình", "Nguyễn Bình"; the given name alone
    after an honorific in any case, or capitalised on its own ("Bình gọi lại", not "bình
    thường"). A run is masked whole, never leaving a middle name behind."""
    parts = name.split()
    # Every span holds the given name (the last word) as a whole folded word: when the text
    # lacks it even as a substring, there is none (the common case, checked in C).
    if len(parts) < 2 or _folded(parts[-1]) not in folded:
        return []
    words = [_Word(w) for w in parts]
    wanted = {w.folded for w in words} | {h.folded for h in _HONORIFIC_WORDS}
    tokens = list(_WORD.finditer(folded))
    # Only the few tokens that fold like a name word or an honorific are compared closely.
    seen: dict[int, _Word] = {}
    for index, token in enumerate(tokens):
        if token.group() in wanted:
            written = text[origins[token.start()] : origins[token.end()]]
            seen[index] = _Word(written, token.group())

    def is_any(index: int, choices: Sequence[_Word]) -> bool:
        word = seen.get(index)
        return word is not None and any(word.same(c) for c in choices)

    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        if not is_any(i, words):
            i += 1
            continue
        j = i
        while (
            j + 1 < len(tokens)
            and is_any(j + 1, words)
            and not folded[tokens[j].end() : tokens[j + 1].start()].strip()
        ):
            j += 1
        if any(is_any(k, words[-1:]) for k in range(i, j + 1)):
            after_honorific = i > 0 and is_any(i - 1, _HONORIFIC_WORDS)
            capitalised = text[origins[tokens[i].start()]].isupper()
            if j > i or after_honorific or capitalised:
                spans.append((tokens[i].start(), tokens[j].end()))
        i = j + 1
    return spans


class _DigitOrds(dict[int, str | None]):
    """Each character's ASCII digit, or None (dropped by str.translate), learnt as met."""

    def __missing__(self, code: int) -> str | None:
        value = unicodedata.decimal(chr(code), None)
        self[code] = digit = None if value is None else str(value)
        return digit


_DIGIT_ORDS = _DigitOrds()


def _digits(text: str) -> str:
    """The digits of ``text`` as ASCII (full-width or other scripts' digits too)."""
    return text.translate(_DIGIT_ORDS)


def _phone_forms(identity: Identity) -> set[str]:
    forms = {_digits(identity.phone), _digits(identity.phone_raw)}
    for digits in list(forms):
        if digits.startswith("84") and len(digits) in (11, 12):
            forms.add("0" + digits[2:])
        elif digits.startswith("0") and len(digits) in (10, 11):
            forms.add("84" + digits[1:])
    # The subscriber number without 0 or 84 ("912 345 678" after a spoken "+84").
    forms |= {f[1:] for f in forms if f.startswith("0") and len(f) >= 10}
    return {f for f in forms if len(f) >= 6}


def _people_spans(text: str, who: Who) -> list[tuple[int, int]]:
    """Where ``text`` names any of ``who``."""
    people = (who,) if isinstance(who, Identity) else tuple(who)
    if not people:
        return []
    folded = _folded_with_origins(text)  # once for everyone named, not once a person
    return [span for person in people for span in _identity_spans(text, folded, person)]


def _identity_spans(
    text: str, folding: tuple[str, list[int]], identity: Identity
) -> list[tuple[int, int]]:
    """Where ``text`` (``folding``: its folded form and origins) names the reporter: name
    (whole or in part), address, e-mail, phone."""
    folded, origins = folding
    found: list[tuple[int, int]] = []
    # The full name, address and e-mail, accent- and case-insensitively.
    for phrase in (identity.name, identity.address, identity.email):
        # Compiling a pattern per reporter is what masking a long list costs: skip it when
        # some word of the phrase is nowhere in the text, as it is in most texts.
        words = _folded(phrase).split()
        if not words or not all(word in folded for word in words):
            continue
        pattern = _words_pattern(phrase)
        if pattern is not None:
            found += [m.span() for m in pattern.finditer(folded)]
    found += _name_part_spans(text, folded, origins, identity.name)
    spans = [(origins[start], origins[end]) for start, end in found]
    forms = _phone_forms(identity)
    if forms:
        for match in _DIGIT_RUN.finditer(text):
            digits = _digits(match.group())
            if any(form in digits for form in forms):
                spans.append(match.span())
    return spans


_DIGIT_RUN = re.compile(r"\+?\d[\d\s.\-()]*\d")


def _spans(text: str, who: Who) -> list[tuple[int, int]]:
    spans = _people_spans(text, who)
    spans += [m.span() for m in _EMAIL.finditer(text)]
    spans += [m.span() for m in _PHONE_LIKE.finditer(text)]
    return spans


def _replace(text: str, spans: list[tuple[int, int]]) -> str:
    out: list[str] = []
    position = 0
    for start, end in sorted(spans):
        if end <= position:
            continue
        start = max(start, position)
        out.append(text[position:start])
        out.append(MASK)
        position = end
    out.append(text[position:])
    return "".join(out)


def mask_identity(text: str, identity: Who) -> str:
    """``text`` with only this reporter's name (whole or in part), phone (any way typed),
    e-mail and address replaced by ``***``: for records that keep other numbers (an archive).
    Several people (``people_of``) are masked alike."""
    return _replace(text, _people_spans(text, identity))


def names_identity(text: str, identity: Who) -> bool:
    """True when ``text`` holds something of this reporter that ``mask_identity`` masks."""
    return bool(_people_spans(text, identity))


def mask_personal(text: str, identity: Who) -> str:
    """``text`` with the reporter's name (whole or in part: no middle name is left), phone
    (any way typed), e-mail and address, and any other e-mail or phone-like number, replaced
    by ``***``. NFC, NFD and accent-free text are masked alike."""
    return _replace(text, _spans(text, identity))


def contains_personal(text: str, identity: Who) -> bool:
    """True when ``text`` still holds something ``mask_personal`` would mask."""
    return bool(_spans(text, identity))


def default_publication_text(summary: str, result_text: str, identity: Who) -> str:
    """The text offered for publication: summary and result, the reporter's identity masked."""
    text = f"{summary.strip()}\n\nKết quả xử lý: {result_text.strip()}"
    return mask_personal(text, identity)


def delay_publication_text(summary: str, reason: str, identity: Who) -> str:
    """The text published while a report has no result yet: its summary and the lead unit's
    own reason for the delay, as a person typed it (Khánh Hòa regulation 2022: the lead
    agency publishes the reason a case is not yet resolved), the reporter's identity masked."""
    text = f"{summary.strip()}\n\nLý do chưa có kết quả xử lý: {reason.strip()}"
    return mask_personal(text, identity)
