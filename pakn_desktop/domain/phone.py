"""Phone numbers as callers give them (0912 345 678, +84 912…, 84912…, 0912.345.678) → E.164."""

from __future__ import annotations

import functools
import re

import phonenumbers

_DIGITS = re.compile(r"\d+")


# Cached: the form checks the number as it is typed, validation and the save read it again.
@functools.lru_cache(maxsize=4096)
def normalise_phone(raw: str) -> str | None:
    """E.164 (``+84912345678``) for a valid Vietnamese or international number, else None.

    People drop the leading 0 or the +, so a bare ``84…`` of the right length is read as
    Vietnam's country code before falling back to a national number.
    """
    text = raw.strip()
    if not text:
        return None
    digits = "".join(_DIGITS.findall(text))
    known = _vietnamese(text, digits)
    if known is not None:
        return known
    return _parsed(text, digits)


# Digits with spaces, dots or dashes between them, after an optional "+": how almost every
# number in a register is written.
_PLAIN = re.compile(r"\+?\d[\d .-]*\d")
_VN = 84


def _vietnamese(text: str, digits: str) -> str | None:
    """The E.164 form of a Vietnamese number written plainly ("0912 345 678", "+84 912…",
    "84912…") when it is valid, else None (then :func:`_parsed` decides). Checked against
    the same metadata without ``phonenumbers.parse``, two thirds of the time of a number
    (a register imports thousands); the same answer as the parse for every such number
    (tests/test_domain_phone.py compares them)."""
    if _PLAIN.fullmatch(text) is None:
        return None
    if text.startswith("+") or (digits.startswith("84") and len(digits) in (11, 12)):
        if not digits.startswith("84"):
            return None
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]  # the national prefix
    else:
        return None
    if not national or national.startswith("0"):  # an international prefix (00…), or odd
        return None
    number = phonenumbers.PhoneNumber(country_code=_VN, national_number=int(national))
    return f"+{_VN}{national}" if phonenumbers.is_valid_number(number) else None


def _parsed(text: str, digits: str) -> str | None:
    candidates = [text]
    if not text.startswith("+") and digits.startswith("84") and len(digits) in (11, 12):
        candidates.insert(0, "+" + digits)
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, "VN")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def display_phone(e164: str) -> str:
    """The national form an operator reads back: ``0912 345 678``."""
    number = phonenumbers.parse(e164, "VN")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def shown_phone(stored: str) -> str:
    """A stored number as an operator reads it back (0912 345 678); a number an older
    station stored as typed, or one that is no phone number, as it is."""
    e164 = normalise_phone(stored)
    return display_phone(e164) if e164 else stored
