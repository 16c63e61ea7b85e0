"""What may be published, and a report's text with the reporter's identity masked.

Used for the public result (công khai) and for anything a unit receives about a protected
report (a denouncer's identity is protected by law: domain/README.md).
"""

from __future__ import annotations

import re
import unicodedata
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


def _fold_char(char: str) -> str:
    """One character's search form, exactly one character long, so offsets stay aligned."""
    if char in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base[0] if base else char


def _folded(text: str) -> str:
    return "".join(_fold_char(c) for c in text)


def _words_pattern(phrase: str) -> re.Pattern[str] | None:
    words = _folded(phrase).split()
    if not words:
        return None
    body = r"\s+".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w){body}(?!\w)")


# Words Vietnamese put before the name a person is called by: "anh An", "bà Lan".
_HONORIFICS = ("anh", "chi", "ong", "ba", "co", "chu", "em", "bac", "cu", "di", "thim")


def _given_name_spans(text: str, folded: str, name: str) -> list[tuple[int, int]]:
    """The given name (the full name's last word) said alone: after an honorific in any
    case, or capitalised on its own ("Bình gọi lại", not "bình thường")."""
    words = name.split()
    if len(words) < 2:
        return []
    given = re.escape(_folded(words[-1]).lower())
    spans: list[tuple[int, int]] = []
    honorific = re.compile(rf"(?<!\w)(?:{'|'.join(_HONORIFICS)})\s+({given})(?!\w)")
    spans += [m.span(1) for m in honorific.finditer(folded)]
    alone = re.compile(rf"(?<!\w){given}(?!\w)")
    spans += [m.span() for m in alone.finditer(folded) if text[m.start()].isupper()]
    return spans


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _phone_forms(identity: Identity) -> set[str]:
    forms = {_digits(identity.phone), _digits(identity.phone_raw)}
    for digits in list(forms):
        if digits.startswith("84") and len(digits) in (11, 12):
            forms.add("0" + digits[2:])
        elif digits.startswith("0") and len(digits) in (10, 11):
            forms.add("84" + digits[1:])
    return {f for f in forms if len(f) >= 6}


def _spans(text: str, identity: Identity) -> list[tuple[int, int]]:
    folded = _folded(text.replace("\u00a0", " "))
    spans: list[tuple[int, int]] = []
    # The full name, address and e-mail, accent- and case-insensitively.
    for phrase in (identity.name, identity.address, identity.email):
        pattern = _words_pattern(phrase) if phrase.strip() else None
        if pattern is not None:
            spans += [m.span() for m in pattern.finditer(folded)]
    spans += _given_name_spans(text, folded, identity.name)
    forms = _phone_forms(identity)
    for match in re.finditer(r"\+?\d[\d\s.\-()]*\d", text):
        digits = _digits(match.group())
        if any(form in digits for form in forms):
            spans.append(match.span())
    spans += [m.span() for m in _EMAIL.finditer(text)]
    spans += [m.span() for m in _PHONE_LIKE.finditer(text)]
    return spans


def mask_personal(text: str, identity: Identity) -> str:
    """``text`` with the reporter's name, phone (any way typed), e-mail and address, and any
    other e-mail or phone-like number, replaced by ``***``."""
    spans = sorted(_spans(text, identity))
    out: list[str] = []
    position = 0
    for start, end in spans:
        if end <= position:
            continue
        start = max(start, position)
        out.append(text[position:start])
        out.append(MASK)
        position = end
    out.append(text[position:])
    return "".join(out)


def contains_personal(text: str, identity: Identity) -> bool:
    """True when ``text`` still holds something ``mask_personal`` would mask."""
    return bool(_spans(text, identity))


def default_publication_text(summary: str, result_text: str, identity: Identity) -> str:
    """The text offered for publication: summary and result, the reporter's identity masked."""
    text = f"{summary.strip()}\n\nKết quả xử lý: {result_text.strip()}"
    return mask_personal(text, identity)


def delay_publication_text(summary: str, reason: str, identity: Identity) -> str:
    """The text published while a report has no result yet: its summary and the lead unit's
    own reason for the delay, as a person typed it (Khánh Hòa regulation 2022: the lead
    agency publishes the reason a case is not yet resolved), the reporter's identity masked."""
    text = f"{summary.strip()}\n\nLý do chưa có kết quả xử lý: {reason.strip()}"
    return mask_personal(text, identity)
