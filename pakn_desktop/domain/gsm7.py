"""Text for one SMS segment: the GSM 03.38 default alphabet, accent-free.

A single character outside GSM-7 switches the whole message to UCS-2 (70 characters a
segment, 67 when split), so a unit's SMS is folded to the accent-free form Vietnamese
brandname SMS use ("đ" → "d", marks removed), typographic punctuation becomes ASCII and
anything else (emoji, other scripts) is dropped. Characters of the extension table cost two
septets (an escape, then the character).
"""

from __future__ import annotations

import re
import unicodedata

SEGMENT = 160  # septets in one unsplit SMS

# GSM 03.38 basic table (without ESC). Only the ASCII part survives ``fold``, but the set
# is the standard's, so ``is_gsm7`` checks any text.
BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = frozenset("^{}\\[]~|€\f")

_PUNCTUATION = {
    **dict.fromkeys("“”„‟«»″〝〞＂", '"'),
    **dict.fromkeys("‘’‚‛′`´", "'"),
    **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
    **dict.fromkeys("•·∙●▪", "-"),
    "…": "...",
    "×": "x",
    "⁄": "/",
    "đ": "d",
    "Đ": "D",
    "Ð": "D",
    "ð": "d",
}
_TABLE = str.maketrans(_PUNCTUATION)
_SPACES = re.compile(r"\s+")


def septets(text: str) -> int:
    """Septets ``text`` takes in GSM-7 (extension characters count two)."""
    return sum(2 if c in EXTENSION else 1 for c in text)


def is_gsm7(text: str) -> bool:
    return all(c in BASIC or c in EXTENSION for c in text)


def fold(text: str) -> str:
    """``text`` accent-free, on one line, in GSM-7: "Đường “Láng” 😡" → 'Duong "Lang"'."""
    text = unicodedata.normalize("NFKC", text).translate(_TABLE)
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    kept = "".join(c if c.isspace() or c in BASIC or c in EXTENSION else " " for c in bare)
    # Every letter kept is ASCII now (marks went with NFD); GSM's own accented letters
    # (é, Ñ…) came apart too, so what a Vietnamese reader sees stays accent-free.
    return _SPACES.sub(" ", kept).strip()


def cut(text: str, budget: int, ellipsis: str = "...") -> str:
    """``text`` within ``budget`` septets, cut at a word where one is near, marked with
    ``ellipsis``; "" when not even the ellipsis fits."""
    if septets(text) <= budget:
        return text
    room = budget - septets(ellipsis)
    if room <= 0:
        return ""
    out, used = [], 0
    for c in text:
        cost = 2 if c in EXTENSION else 1
        if used + cost > room:
            break
        out.append(c)
        used += cost
    head = "".join(out)
    space = head.rfind(" ")
    if space >= room // 2:  # a word boundary not too far back: don't leave half a word
        head = head[:space]
    return head.rstrip(" ,.;:-") + ellipsis
