"""search_text and the timeline hash chain (moving to domain/)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from pakn_desktop.domain.text import fold

CONTENT_HEAD = 200
GENESIS_HASH = "0" * 64


def canonical_event_json(event: Mapping[str, Any]) -> str:
    """The hashed form of a timeline event: its JSON fields but the hashes, keys sorted."""
    body = {k: v for k, v in event.items() if k not in ("prev_hash", "hash")}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(prev_hash: str, event: Mapping[str, Any]) -> str:
    """``sha256(prev_hash + canonical JSON)``; the first event of a ticket chains to 64 zeros."""
    return hashlib.sha256((prev_hash + canonical_event_json(event)).encode()).hexdigest()


def phone_search_digits(phone: str | None) -> list[str]:
    """The digits of a phone as given, plus its national form when given with +84/84."""
    if not phone:
        return []
    digits = "".join(c for c in phone if c.isdigit())
    if digits.startswith("84") and len(digits) in (11, 12):
        return [digits, "0" + digits[2:]]
    return [digits]


def search_text(
    code: str,
    summary: str,
    content: str,
    reporter_name: str | None,
    phone: str | None,
    address: str | None,
) -> str:
    """``ticket.search_text``: folded code, summary, content head, reporter, phone, address."""
    parts = [code, summary, content[:CONTENT_HEAD], reporter_name or ""]
    parts += phone_search_digits(phone)
    parts.append(address or "")
    return fold(" ".join(p for p in parts if p))
