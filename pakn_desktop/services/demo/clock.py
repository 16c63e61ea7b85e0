"""Instants as integer microseconds since the epoch (UTC), and the text forms rows carry."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

US = 1_000_000
MIN = 60 * US
HOUR = 60 * MIN
DAY = 24 * HOUR
EPOCH = datetime(1970, 1, 1)
# Vietnam keeps UTC+7 all year: the "local day" of a case code.
LOCAL_OFFSET_US = 7 * HOUR


def iso(us: int) -> str:
    """The outbox/JSON form of a UTC instant, exactly as ``outbox.to_json`` writes an aware
    datetime (microseconds omitted when zero)."""
    return (EPOCH + timedelta(microseconds=us)).isoformat() + "+00:00"


def us_of(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    delta = moment.astimezone(UTC).replace(tzinfo=None) - EPOCH
    return (delta.days * 86400 + delta.seconds) * US + delta.microseconds


def local_day(us: int) -> date:
    """The day in Vietnam at instant ``us``."""
    return (EPOCH + timedelta(microseconds=us + LOCAL_OFFSET_US)).date()


def uuid7(rng: random.Random, us: int) -> str:
    """A UUIDv7 laid out from ``us`` (ms precision) and seeded random bits, in dashed form.

    Seeded, unlike ``domain.ids.new_id``: the same seed gives the same demo ids.
    """
    bits = rng.getrandbits(74)
    value = (
        (us // 1000) << 80 | 0x7 << 76 | (bits >> 62) << 64 | 0b10 << 62 | (bits & (1 << 62) - 1)
    )
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
