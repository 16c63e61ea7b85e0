"""``ticket.search_text``: what the queue's search box looks in, and how a query is read."""

from __future__ import annotations

import re

from .publication import Identity, mask_identity, people_of
from .text import fold

CONTENT_HEAD = 200  # characters of the content that are searchable
# A query made only of digits and what people put between them in a phone number.
_PHONE_QUERY = re.compile(r"^[\d\s().+\-]+$")
_MIN_PHONE_QUERY_DIGITS = 4


def _digits(text: str) -> str:
    return "".join(filter(str.isdigit, text))


def phone_search_digits(raw: str | None, e164: str | None = None) -> list[str]:
    """The digit strings a reporter's number is found under, without repeats.

    A Vietnamese number appears in its national (``0912345678``) and international
    (``84912345678``) digits, so a search typed either way finds it; the number as given is
    kept too when its digits are neither (a number that did not normalise, ``0084…``).
    """
    found: list[str] = []

    def add(digits: str) -> None:
        if digits and digits not in found:
            found.append(digits)

    if e164:
        digits = _digits(e164)
        if e164.startswith("+84"):
            add("0" + digits[2:])
        add(digits)
    if raw:
        digits = _digits(raw)
        add(digits)
        if digits.startswith("84") and len(digits) in (11, 12):
            add("0" + digits[2:])
    return found


def search_text(
    *,
    code: str,
    summary: str,
    content: str,
    reporter_name: str | None = None,
    phone: str | None = None,
    phone_raw: str | None = None,
    address: str | None = None,
    protected: bool = False,
    reporter_email: str | None = None,
    reporter_address: str | None = None,
    sender_name: str | None = None,
) -> str:
    """Folded code, summary, content head, reporter name, phone digits and address.

    ``phone`` is the reporter's E.164 number, ``phone_raw`` the number as given.

    ``protected`` (a denunciation, or a reporter who asked for confidentiality): the
    reporter's name and number are left out, and masked wherever the summary or content says
    them (``reporter_email``, ``reporter_address`` and a message's ``sender_name`` too), so no
    search for the person finds the report, nor tells that this number denounced someone.
    """
    if protected:
        identity = Identity(
            name=reporter_name or "",
            phone=phone or "",
            phone_raw=phone_raw or "",
            email=reporter_email or "",
            address=reporter_address or "",
        )
        people = people_of(identity, sender_name)
        summary = mask_identity(summary, people)
        content = mask_identity(content, people)
        reporter_name = phone = phone_raw = None
    head = content[:CONTENT_HEAD]
    # A summary made from the content's first line adds no word the head lacks; folding and
    # indexing it again made every save's search row a third longer.
    if summary.rstrip("…").rstrip() in " ".join(head.split()):
        summary = ""
    parts = [code, summary, head, reporter_name or ""]
    parts += phone_search_digits(phone_raw, phone)
    parts.append(address or "")
    return fold(" ".join(p for p in parts if p))


def search_key(query: str) -> str:
    """What to look for in ``search_text`` (as a substring) for what the operator typed.

    A phone number typed any way (``0912 345 678``, ``+84 912-345-678``, ``(+84) 912…``) is
    looked for by its digits, which ``search_text`` carries in both national and international
    form; anything else is folded like the column.
    """
    text = query.strip()
    if _PHONE_QUERY.match(text) and len(_digits(text)) >= _MIN_PHONE_QUERY_DIGITS:
        return _digits(text)
    return fold(text)
