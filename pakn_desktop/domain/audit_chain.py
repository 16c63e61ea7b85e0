"""The timeline's hash chain: each event hashes the one before it, so edits show."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

GENESIS_HASH = "0" * 64  # what a ticket's first event chains to
_LINKS = ("prev_hash", "hash")


_OPTIONS: dict[str, Any] = {"sort_keys": True, "separators": (",", ":"), "ensure_ascii": False}
try:  # the C encoder json.dumps makes per call with these options, made once (every event)
    from _json import make_encoder as _make_encoder

    _ENCODE: Any = _make_encoder(
        None, json.JSONEncoder().default, json.encoder.encode_basestring, None, ":", ",",
        True, False, True,
    )  # fmt: skip
except ImportError:  # pragma: no cover - another interpreter
    _ENCODE = None


def canonical_event_json(event: Mapping[str, Any]) -> str:
    """The hashed form of an event: every field but the two hashes, in JSON form (dashed
    UUIDs, ISO instants with offset), keys sorted, no spaces, UTF-8 kept as is: the text of
    ``json.dumps(body, **_OPTIONS)`` (tests/test_domain_audit_chain.py compares them)."""
    body = {k: v for k, v in event.items() if k not in _LINKS}
    if _ENCODE is None:  # pragma: no cover
        return json.dumps(body, **_OPTIONS)
    return "".join(_ENCODE(body, 0))


def event_hash(prev_hash: str, event: Mapping[str, Any]) -> str:
    """``sha256(prev_hash + canonical JSON)`` in hex."""
    return hashlib.sha256((prev_hash + canonical_event_json(event)).encode()).hexdigest()


def verify_chain(
    events: Sequence[Mapping[str, Any]], *, last_hash: str | None = None
) -> int | None:
    """Index of the first event that breaks one ticket's chain, or None when it is whole.

    ``events`` in ``seq`` order, in JSON form. An event breaks the chain when its ``seq`` is
    not its position (1-based), its ``prev_hash`` is not the hash before it, or its ``hash``
    is not the hash of its fields: a changed field, a removed, inserted or swapped event all
    show. A chain cut short at the end looks whole; pass the ``last_hash`` known from
    elsewhere (the server's copy) to catch that: a mismatch gives ``len(events)``.
    """
    prev = GENESIS_HASH
    for index, event in enumerate(events):
        if event.get("seq", index + 1) != index + 1 or event.get("prev_hash") != prev:
            return index
        prev = event_hash(prev, event)
        if event.get("hash") != prev:
            return index
    if last_hash is not None and prev != last_hash:
        return len(events)
    return None
