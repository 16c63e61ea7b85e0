"""Finding a planted identity in any output, whatever form it was written in.

A name is looked for folded (NFC, NFD, without accents, any case all read alike) and as whole
words; a phone number by its digit runs (dots, spaces, dashes, brackets and a leading + may
separate the digits), in its national (0xxx), international (84xxx) and bare subscriber forms.
Bytes are read as UTF-8 and also after undoing what a format may have done to the text on the
way out: HTML entities, JSON ``\\u`` escapes, an e-mail's quoted-printable or base64 body and
encoded headers. Reuse :func:`leaks` for any new output: it returns what it found, so a
failing assertion says where.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import html
import quopri
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

_SEPARATED_DIGITS = re.compile(r"\+?\d(?:[\s.\-()]{0,3}\d)*")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def fold(text: str) -> str:
    """Accents and combining marks dropped, đ → d, lower case, whitespace runs made one space."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(bare.split())


@dataclass(frozen=True)
class Planted:
    """An identity planted in the data: a full name and a Vietnamese mobile number."""

    name: str  # "Khổng Thị Quỳnh Nhụy"
    phone: str  # national digits: "0975318642"

    def name_phrases(self) -> list[str]:
        """The full name and each tail of it holding the given name ("Thị Quỳnh Nhụy",
        "Quỳnh Nhụy", "Nhụy"), folded: a leaked middle-and-given name counts as a leak."""
        words = fold(self.name).split()
        return [" ".join(words[i:]) for i in range(len(words))]

    def phone_forms(self) -> list[str]:
        subscriber = self.phone.removeprefix("0")
        return ["0" + subscriber, "84" + subscriber, subscriber]

    def forms_typed(self) -> list[str]:
        """The name as an operator may type it: NFC, NFD and without accents."""
        nfc = unicodedata.normalize("NFC", self.name)
        return [nfc, unicodedata.normalize("NFD", self.name), _accent_free(nfc)]

    def phones_typed(self) -> list[str]:
        """The number written as people write it."""
        s = self.phone.removeprefix("0")
        dotted = f"0{s[:3]}.{s[3:6]}.{s[6:]}"
        return [dotted, dotted.replace(".", " "), "+84" + s, "84" + s]


def _accent_free(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _views(data: bytes) -> list[str]:
    """The text of ``data`` as written and with the usual output encodings undone."""
    text = data.decode("utf-8", errors="replace")
    views = [text, html.unescape(text)]
    views.append(_JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))
    views.append(quopri.decodestring(data).decode("utf-8", errors="replace"))
    return views


def _found_in(text: str, planted: Planted) -> list[str]:
    found: list[str] = []
    folded = fold(text)
    for phrase in planted.name_phrases():
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", folded):
            found.append(phrase)
    for match in _SEPARATED_DIGITS.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        found += [form for form in planted.phone_forms() if form in digits]
    return found


def leaks(data: bytes | str, planted: Planted) -> list[str]:
    """What of ``planted`` appears in ``data`` (empty: nothing)."""
    raw = data.encode() if isinstance(data, str) else data
    found: list[str] = []
    for view in _views(raw):
        found += [f for f in _found_in(view, planted) if f not in found]
    return found


def message_leaks(message: Message, planted: Planted) -> list[str]:
    """:func:`leaks` over an e-mail: the raw message, every decoded header and every part's
    decoded body (base64 or quoted-printable bodies hide the text from a raw scan)."""
    found = leaks(message.as_bytes(policy=email.policy.SMTP), planted)
    reparsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    for key, value in reparsed.items():
        found += [f"{key}: {f}" for f in leaks(str(value), planted)]
    for part in reparsed.walk():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            found += [f"body: {f}" for f in leaks(payload, planted)]
    return found


def base64_leaks(data: bytes, planted: Planted) -> list[str]:
    """:func:`leaks` over every base64 run in ``data`` (an attachment, an encoded header)."""
    found: list[str] = []
    for run in re.findall(rb"[A-Za-z0-9+/=]{16,}", data):
        try:
            decoded = base64.b64decode(run, validate=True)
        except (binascii.Error, ValueError):
            continue
        found += leaks(decoded, planted)
    return found


def files_leaks(paths: Iterable[Path], planted: Planted) -> dict[str, list[str]]:
    """Per file, what of ``planted`` it holds; only files holding something are listed."""
    out: dict[str, list[str]] = {}
    for path in paths:
        found = leaks(path.read_bytes(), planted) + base64_leaks(path.read_bytes(), planted)
        if found:
            out[str(path)] = found
    return out
