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
