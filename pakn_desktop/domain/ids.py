"""Client-generated, time-ordered identifiers (UUIDv7, RFC 9562)."""

from __future__ import annotations

import os
import random
import threading
import time
import uuid

_RAND_BITS = 74  # rand_a (12) + rand_b (62)
_RAND_B = (1 << 62) - 1

# Not for secrets: ids only need to be unique, so a Mersenne Twister seeded from the OS
# (reseeded in a forked child, which would otherwise repeat its parent's ids) is plenty, and
# a tenth of the cost of os.urandom per id.
_random = random.Random(os.urandom(32))
_lock = threading.Lock()
_last = 0  # the last (unix_ms << 74 | rand) handed out: ids only ever grow in a process


def _reseed() -> None:
    global _last
    _random.seed(os.urandom(32))
    _last = 0


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reseed)


def _layout(value: int) -> int:
    """(unix_ms << 74 | 74 random bits) -> the UUIDv7 integer, version and variant set."""
    return (
        (value >> _RAND_BITS) << 80
        | 0x7 << 76
        | ((value >> 62) & 0xFFF) << 64
        | 0b10 << 62
        | (value & _RAND_B)
    )


def _next_values(count: int) -> list[int]:
    global _last
    getrandbits = _random.getrandbits
    with _lock:
        base = time.time_ns() // 1_000_000 << _RAND_BITS
        last = _last
        out = []
        for _ in range(count):
            # Within one millisecond (or when the clock steps back) count on from the last id.
            value = base | getrandbits(_RAND_BITS)
            last = value if value > last else last + 1
            out.append(last)
        _last = last
    return out


def new_id() -> uuid.UUID:
    """A UUIDv7: unique without a server, and ordered by creation time so indexes stay compact.

    Strictly increasing within a process (RFC 9562 method 3: a random start per millisecond,
    plus one for each further id in it).
    """
    return uuid.UUID(int=_layout(_next_values(1)[0]))


def new_ids(count: int) -> list[uuid.UUID]:
    """``count`` new ids, in order, as :func:`new_id` makes them one by one (for the outbox
    rows of a bulk insert: one lock and clock read for all)."""
    return [uuid.UUID(int=_layout(v)) for v in _next_values(count)]


def new_id_hexes(count: int) -> list[str]:
    """``count`` new ids as 32 lower-case hex digits (how SQLite stores a UUID), in order;
    for bulk inserts, where a ``uuid.UUID`` per row costs more than the row."""
    return [f"{_layout(v):032x}" for v in _next_values(count)]
